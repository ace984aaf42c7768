// Writes workerd configs (Cap'n Proto text) for one Worker served on 127.0.0.1:<port>.
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { extname, join, relative } from "node:path";

/** Cap'n Proto text literal: the escapes it shares with C. */
const str = (value) =>
  `"${String(value).replace(/[\\"\n\r\t]/g, (c) => ({ "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t" })[c])}"`;

const MODULE_KINDS = {
  ".js": "esModule",
  ".mjs": "esModule",
  ".cjs": "commonJsModule",
  ".wasm": "wasm",
  ".json": "json",
  ".bin": "data",
};

/**
 * Every module of a `wrangler deploy --dry-run --outdir` bundle: the entry first, then any
 * additional modules (wasm, text, data) under their import names. Source maps and wrangler's README are skipped.
 */
export function bundleModules(outdir, entry = "index.js") {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(relative(outdir, path));
    }
  };
  walk(outdir);
  return files
    .filter((file) => !file.endsWith(".map") && file !== "README.md")
    .sort((a, b) => (a === entry ? -1 : b === entry ? 1 : a.localeCompare(b)))
    .map((file) => ({ name: file.split("\\").join("/"), kind: MODULE_KINDS[extname(file)] ?? "text", path: join(outdir, file) }));
}

/**
 * @param {object} o
 * @param {string} o.file          where to write the config
 * @param {number} o.port
 * @param {{name: string, kind: string, path: string}[]} o.modules  entry module first
 * @param {string} o.compatibilityDate
 * @param {string[]} [o.compatibilityFlags]
 * @param {{className: string, binding: string}[]} [o.durableObjects]  SQLite-backed classes
 * @param {string} [o.diskPath]    absolute folder for object storage (`localDisk`); none = `inMemory`
 * @param {Record<string, unknown>} [o.vars]  strings become text bindings, other values JSON bindings (as wrangler does)
 */
export function writeWorkerdConfig(o) {
  const base = join(o.file, "..");
  const modules = o.modules.map((m) => `(name = ${str(m.name)}, ${m.kind} = embed ${str(relative(base, m.path))})`);
  const objects = o.durableObjects ?? [];
  const namespaces = objects.map(
    (d) => `(className = ${str(d.className)}, uniqueKey = ${str(`bench-${d.className}`)}, enableSql = true)`,
  );
  const bindings = [
    ...objects.map((d) => `(name = ${str(d.binding)}, durableObjectNamespace = ${str(d.className)})`),
    ...Object.entries(o.vars ?? {}).map(([name, value]) =>
      typeof value === "string"
        ? `(name = ${str(name)}, text = ${str(value)})`
        : `(name = ${str(name)}, json = ${str(JSON.stringify(value))})`,
    ),
  ];
  const onDisk = Boolean(o.diskPath);
  const services = [
    "(name = \"main\", worker = .mainWorker)",
    "(name = \"net\", network = (allow = [\"public\", \"private\", \"local\"]))",
    ...(onDisk ? [`(name = "disk", disk = (path = ${str(o.diskPath)}, writable = true))`] : []),
  ];
  const list = (items, indent = "    ") => items.map((item) => `${indent}${item},`).join("\n");
  const text = `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
${list(services)}
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${o.port}", http = (), service = "main") ],
);

const mainWorker :Workerd.Worker = (
  modules = [
${list(modules)}
  ],
  compatibilityDate = ${str(o.compatibilityDate)},
  compatibilityFlags = [${(o.compatibilityFlags ?? []).map(str).join(", ")}],
  durableObjectNamespaces = [
${list(namespaces)}
  ],
  durableObjectStorage = ${onDisk ? '(localDisk = "disk")' : "(inMemory = void)"},
  bindings = [
${list(bindings)}
  ],
  globalOutbound = "net",
);
`;
  writeFileSync(o.file, text);
  return o.file;
}

// Group A: what workerd itself allows on this machine, with Workers that do nothing else.
import { join } from "node:path";
import { build } from "esbuild";
import { BENCH, WORK } from "./paths.mjs";
import { startWorkerd } from "./workerd.mjs";

const OUT = join(WORK, "ceilings");
const ENTRIES = ["hono", "do-one", "do-new", "fanout"];

/** Bundles bench/ceilings/*.js the way wrangler would (esbuild, ESM, workerd conditions). */
export async function bundleCeilings() {
  await build({
    entryPoints: ENTRIES.map((name) => join(BENCH, "ceilings", `${name}.js`)),
    outdir: OUT,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["workerd", "worker", "browser"],
    external: ["cloudflare:*", "node:*"],
    logLevel: "error",
  });
}

/** @param {{ compatibilityDate: string, compatibilityFlags: string[] }} compat  taken from wrangler.toml */
export function ceilingScenarios(compat) {
  const worker = (entry, storage, objects) => ({
    ...compat,
    modules: [{ name: "index.js", kind: "esModule", path: join(OUT, `${entry}.js`) }],
    durableObjects: objects ? [{ className: "BenchObject", binding: "OBJECTS" }] : [],
    storage,
  });
  const scenario = (id, label, entry, storage, objects) => ({
    id,
    label,
    server: "ceiling",
    storage: objects ? storage : "n/a",
    start: () => startWorkerd(id, worker(entry, storage, objects)),
    target: async ({ baseUrl }) => ({
      url: `${baseUrl}/`,
      check: (status, body) => status < 300 && body.includes(objects ? '"written":1' : '"ok":true'),
    }),
  });
  return [
    scenario("ceil-hono", "(1) bare Hono, small JSON", "hono", "memory", false),
    scenario("ceil-do-one", "(2) Worker → one existing DO, 1 SQLite row", "do-one", "memory", true),
    scenario("ceil-do-new-mem", "(3) Worker → new DO per request, 1 SQLite row", "do-new", "memory", true),
    scenario("ceil-do-new-disk", "(3) Worker → new DO per request, 1 SQLite row", "do-new", "disk", true),
  ];
}

/**
 * The fan-out ceiling of bench/streaming.mjs (ceilings/fanout.js), as a workerd Worker for startWorkerd.
 * @param {{ compatibilityDate: string, compatibilityFlags: string[] }} compat  taken from wrangler.toml
 */
export function fanoutCeilingWorker(compat, storage = "memory") {
  return {
    ...compat,
    modules: [{ name: "index.js", kind: "esModule", path: join(OUT, "fanout.js") }],
    durableObjects: [{ className: "FanoutObject", binding: "OBJECTS" }],
    storage,
  };
}

// Runs one workerd process per scenario, so each scenario's peak RSS is its own.
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { freePort, logTail, startProcess, stopProcess, waitForHttp } from "./processes.mjs";
import { LOGS, WORK } from "./paths.mjs";
import { writeWorkerdConfig } from "./workerd-config.mjs";

const require = createRequire(import.meta.url);

export const WORKERD = join(dirname(require.resolve("@cloudflare/workerd-linux-64/package.json")), "bin", "workerd");

/** RAM-backed folder for "memory" storage when workerd's inMemory storage has no SQLite (see below). */
const TMPFS = existsSync("/dev/shm") ? join("/dev/shm", `a2a-bench-${process.pid}`) : join(WORK, "tmpfs-missing");

/** A folder on that tmpfs for `name` (removed with it on exit), e.g. `wrangler dev --persist-to`. */
export const tmpfsDir = (name) => join(TMPFS, name);

export function removeTmpfs() {
  rmSync(TMPFS, { recursive: true, force: true });
}

let memoryMode;

/** What "memory" storage meant in this run, once known. */
export const memoryStorageUsed = () => memoryMode?.describe;

/**
 * How "memory" storage is run. `durableObjectStorage = (inMemory = void)` is preferred, but in workerd
 * 2026-11-17 an in-memory object has no SQL API ("not backed by SQLite storage"), so when a one-request check
 * shows that, "memory" becomes `localDisk` on tmpfs (/dev/shm): same SQLite code path, no disk I/O.
 * @returns {Promise<{ inMemory: boolean, describe: string }>}
 */
export async function memoryStorage(compat) {
  if (memoryMode) return memoryMode;
  const source = join(WORK, "sql-check.js");
  writeFileSync(
    source,
    `import { DurableObject } from "cloudflare:workers";
export class SqlCheck extends DurableObject { check() { return this.ctx.storage.sql.exec("SELECT 1 AS x").one().x; } }
export default { async fetch(req, env) {
  try { return new Response(String(await env.CHECK.get(env.CHECK.idFromName("x")).check())); }
  catch (e) { return new Response(String(e), { status: 500 }); } } };
`,
  );
  const worker = {
    ...compat,
    modules: [{ name: "index.js", kind: "esModule", path: source }],
    durableObjects: [{ className: "SqlCheck", binding: "CHECK" }],
  };
  const server = await launch("sql-check", worker, "/__ready");
  try {
    const res = await fetch(`${server.baseUrl}/`);
    const inMemory = res.ok && (await res.text()) === "1";
    memoryMode = inMemory
      ? { inMemory, describe: "`durableObjectStorage = (inMemory = void)`" }
      : {
          inMemory,
          describe: `\`localDisk\` on tmpfs (/dev/shm): this workerd's \`inMemory\` storage has no SQLite API`,
        };
    return memoryMode;
  } finally {
    await server.stop();
  }
}

// Every live Durable Object holds 3 file descriptors (SQLite database, WAL, shared memory) until workerd evicts it
// ~10 s after its last request, so creating one per request at ~500/s passes a 20,000 limit within seconds
// ("accept(): Too many open files"). Raise the soft limit to the hard one, and the hard one too where allowed (root).
const NOFILE = 262144;
const RAISE_NOFILE = `ulimit -Hn ${NOFILE} 2>/dev/null; ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"`;

async function launch(name, worker, readyPath) {
  const port = await freePort();
  const file = writeWorkerdConfig({ ...worker, file: join(WORK, `${name}.capnp`), port });
  const logFile = join(LOGS, `${name}.log`);
  // `exec` keeps the pid: it is workerd's own, for VmHWM.
  // BENCH_INSPECTOR_PORT opens workerd's V8 inspector (bench/profile.mjs takes CPU profiles through it).
  const inspector = process.env.BENCH_INSPECTOR_PORT ? [`--inspector-addr=127.0.0.1:${process.env.BENCH_INSPECTOR_PORT}`] : [];
  const child = startProcess("/bin/sh", ["-c", RAISE_NOFILE, WORKERD, "serve", file, "--experimental", ...inspector], {
    cwd: WORK,
    logFile,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${baseUrl}${readyPath}`, child, { what: `workerd (${name})` });
  } catch (error) {
    await stopProcess(child);
    throw new Error(`${error.message}${logTail(logFile)}`);
  }
  return { child, baseUrl, logFile, stop: () => stopProcess(child) };
}

/**
 * Writes the config and starts `workerd serve` on a free port; resolves once it answers `readyPath`.
 * Object storage ("memory" or "disk") starts empty in a folder of its own, removed again on stop.
 * @param {string} name  scenario id: names the config, the log and the storage folder
 * @param {Omit<Parameters<typeof writeWorkerdConfig>[0], "file" | "port" | "diskPath"> & { storage: "memory" | "disk" }} worker
 */
export async function startWorkerd(name, { storage, ...worker }, { readyPath = "/" } = {}) {
  const hasObjects = (worker.durableObjects ?? []).length > 0;
  let diskPath;
  if (hasObjects && storage === "disk") diskPath = join(WORK, "disk", name);
  else if (hasObjects) {
    const { compatibilityDate, compatibilityFlags } = worker;
    if (!(await memoryStorage({ compatibilityDate, compatibilityFlags })).inMemory) diskPath = join(TMPFS, name);
  }
  if (diskPath) {
    rmSync(diskPath, { recursive: true, force: true });
    mkdirSync(diskPath, { recursive: true });
  }
  const removeStorage = () => diskPath && rmSync(diskPath, { recursive: true, force: true });
  try {
    const server = await launch(name, { ...worker, diskPath }, readyPath);
    return { ...server, stop: () => server.stop().finally(removeStorage) };
  } catch (error) {
    removeStorage();
    throw error;
  }
}

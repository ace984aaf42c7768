// The platform under `wrangler dev`, started the way scripts/dev.mjs starts it (same flags and variables),
// but on the bench's own database, with its object storage on tmpfs and without rate limits (as in workerd),
// for reference figures only.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { LOGS, NODE, ROOT, WORK } from "./paths.mjs";
import { descendants, freePort, logTail, startProcess, stopProcess, waitForHttp } from "./processes.mjs";
import { platformVars } from "./platform.mjs";

const WRANGLER = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");

/**
 * wrangler.toml as the bench runs it, in bench/.work: the same, minus the `[[ratelimits]]` bindings (the
 * workerd configs have none either, and workers/rate-limit.ts then limits nothing: one bench process is one
 * caller, and 1,000 subscriptions are more than one caller may open per window), with `main` and the assets
 * folder made absolute.
 * @returns {{ file: string, removed: string[] }}  the config, and the rate-limit bindings it left out
 */
export function benchWranglerConfig() {
  const removed = [];
  let skipping = false;
  let table = "";
  const lines = [];
  for (const line of readFileSync(join(ROOT, "wrangler.toml"), "utf8").split(/\r?\n/)) {
    const header = /^\s*\[\[?\s*([^\]\s]+)\s*\]\]?/.exec(line)?.[1];
    if (header) table = header;
    if (header) skipping = header === "ratelimits" || header.startsWith("ratelimits.");
    if (skipping) {
      const name = /^\s*name\s*=\s*"([^"]+)"/.exec(line)?.[1];
      if (name) removed.push(name);
      continue;
    }
    // Paths are relative to the config's folder: `main` and the console's assets folder are made absolute.
    const path = /^(\s*main\s*=\s*)"([^"]+)"/.exec(line) ?? (table === "assets" ? /^(\s*directory\s*=\s*)"([^"]+)"/.exec(line) : null);
    lines.push(path ? `${path[1]}${JSON.stringify(join(ROOT, path[2]))}` : line);
  }
  const file = join(WORK, "wrangler.stream.toml");
  writeFileSync(file, lines.join("\n"));
  return { file, removed };
}

/**
 * Starts `wrangler dev` in a process group of its own (so the workerd it spawns goes with it) and resolves
 * once the platform serves its agent card.
 * @param {string} id  names the log
 * @param {{ db: { databaseUrl: string, fetchEndpoint: string }, persistTo: string }} o
 * @returns {Promise<{ child: import("node:child_process").ChildProcess, baseUrl: string, logFile: string,
 *   runtime: () => { pid: number, count: number, others: number[] } | undefined, removedBindings: string[],
 *   stop: () => Promise<void> }>}
 *   `runtime()` is the newest workerd process under wrangler (the one serving the Worker; an older one runs
 *   wrangler's dev proxy, which owns the port), how many there are, and the others' pids
 */
export async function startWranglerDev(id, { db, persistTo }) {
  const config = benchWranglerConfig();
  const port = await freePort();
  const logFile = join(LOGS, `${id}.log`);
  const vars = platformVars({ vars: {} }, db); // wrangler.toml's [vars] are read by wrangler itself
  const binDir = join(ROOT, "node_modules", ".bin");
  const child = startProcess(
    NODE,
    [
      WRANGLER,
      "dev",
      "--config", config.file,
      "--ip", "127.0.0.1",
      "--port", String(port),
      ...Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
      "--persist-to", persistTo,
      "--show-interactive-dev-session=false",
      "--log-level", "warn",
    ],
    {
      cwd: ROOT,
      env: {
        // wrangler may start `node` from PATH: make that the Node 22 from node_modules, as scripts/dev.mjs does.
        PATH: `${binDir}${delimiter}${process.env.PATH ?? ""}`,
        WRANGLER_SEND_METRICS: "false",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        WRANGLER_LOG_PATH: LOGS,
        NO_COLOR: "1",
        CI: "1",
      },
      logFile,
      group: true,
    },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  // A build error does not end `wrangler dev` (it waits for the next file change): watch its log for one.
  let watching = true;
  const buildError = (async () => {
    while (watching) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const log = existsSync(logFile) ? readFileSync(logFile, "utf8") : "";
      if (/\[ERROR\]|Build failed/.test(log)) throw new Error("wrangler dev could not build the Worker");
    }
  })();
  try {
    await Promise.race([waitForHttp(`${baseUrl}/.well-known/agent-card.json`, child, { timeoutMs: 90_000, what: "wrangler dev" }), buildError]);
  } catch (error) {
    await stopProcess(child, 5000);
    throw new Error(`${error.message}${logTail(logFile)}`);
  } finally {
    watching = false;
    buildError.catch(() => {});
  }
  const runtime = () => {
    const workerds = descendants(child.pid).filter((p) => p.comm === "workerd");
    const newest = workerds.at(-1);
    return newest && { pid: newest.pid, count: workerds.length, others: workerds.slice(0, -1).map((p) => p.pid) };
  };
  return { child, baseUrl, logFile, runtime, removedBindings: config.removed, stop: () => stopProcess(child, 8000) };
}

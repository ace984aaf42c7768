// `npm run dev` as a process group of its own (npm, scripts/dev.mjs with its PGlite, wrangler, workerd), so the
// check can crash all of it at once with SIGKILL, as a power cut or an OOM kill would, and start it again.
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { freePort, liveProcesses } from "../../bench/lib/processes.mjs";

export { freePort };

/** npm itself: the one running this script when started by `npm run`, else the one on PATH. */
function npmCommand() {
  const cli = process.env.npm_execpath;
  return cli && cli.endsWith(".js") ? [process.execPath, [cli]] : ["npm", []];
}

/** Every live process whose process group is `pgid`, as { pid, comm }. */
function groupMembers(pgid) {
  return liveProcesses()
    .filter((p) => p.pgrp === pgid && p.state !== "Z")
    .map(({ pid, comm }) => ({ pid, comm }));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `npm run dev` with PORT and PGLITE_DIR set and `args` passed on to wrangler; resolves once the
 * orchestrator's card answers.
 * @param {{ root: string, port: number, pgliteDir: string, args: string[], logFile: string, readyPath: string, timeoutMs?: number }} o
 */
export async function startDev({ root, port, pgliteDir, args, logFile, readyPath, timeoutMs = 120_000 }) {
  const log = createWriteStream(logFile, { flags: "a" });
  const [command, prefix] = npmCommand();
  const env = { ...process.env, PORT: String(port), PGLITE_DIR: pgliteDir, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_COLOR: "1", CI: "1" };
  delete env.DATABASE_URL; // the embedded PGlite in pgliteDir: its files are the state that must survive
  const child = spawn(command, [...prefix, "run", "dev", "--", ...args], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const started = Date.now();
  const url = `http://127.0.0.1:${port}${readyPath}`;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`npm run dev exited (${child.signalCode ?? child.exitCode}) before it served ${url}; see ${logFile}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() - started > timeoutMs) {
      await killGroup(child.pid, "SIGKILL");
      throw new Error(`npm run dev did not serve ${url} within ${timeoutMs} ms; see ${logFile}`);
    }
    await sleep(200);
  }
  return {
    readyMs: Date.now() - started,
    /** The processes a crash takes down. */
    processes: () => groupMembers(child.pid),
    /** SIGKILL to every process of the group at once: nothing gets to clean up or flush. */
    crash: () => killGroup(child.pid, "SIGKILL"),
    /** For exit handlers, where nothing asynchronous runs any more. */
    killNow: () => {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    },
    /** SIGTERM (wrangler and the database shut down cleanly), SIGKILL after a grace period. */
    stop: async () => {
      await killGroup(child.pid, "SIGTERM", 10_000);
      await killGroup(child.pid, "SIGKILL");
    },
  };
}

/** Signals process group `pgid` and waits (up to `waitMs`) until none of it is left. */
async function killGroup(pgid, signal, waitMs = 10_000) {
  try {
    process.kill(-pgid, signal);
  } catch {
    return; // already gone
  }
  const deadline = Date.now() + waitMs;
  while (groupMembers(pgid).length > 0 && Date.now() < deadline) await sleep(50);
}

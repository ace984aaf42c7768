// One scenario: start a fresh server, prove one request right, warm up, measure, read peak RSS, stop.
import { dbDelta, settledDbStats } from "./db-stats.mjs";
import { measure, probe } from "./load.mjs";
import { cpuSeconds, logTail, openFiles, openFilesLimit, peakRssMiB } from "./processes.mjs";

/**
 * @typedef {{ child: import("node:child_process").ChildProcess, baseUrl: string, logFile: string, stop: () => Promise<void> }} Server
 * @typedef {{ id: string, label: string, server: string, storage: string,
 *   start: () => Promise<Server>, target: (server: Server) => Promise<import("./load.mjs").Target>,
 *   dbStatsUrl?: () => string | undefined, inspect?: (server: Server, target: any) => Promise<Record<string, unknown>> }} Scenario
 *   `dbStatsUrl`: the database's counters (GET), read around the measured run; `inspect`: more figures, gathered
 *   between the warm-up and the measured run
 * @typedef {{ id: string, label: string, server: string, storage: string, status: "ok" | "errors" | "failed",
 *   metrics?: Awaited<ReturnType<typeof measure>>, rssMiB?: number, files?: { peak: number, limit?: number, perRequest?: number },
 *   db?: { reads: number, writes: number, statements: number }, inspect?: Record<string, unknown>, error?: string }} Result
 */

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForEviction(pid, baseline, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && (openFiles(pid) ?? 0) > baseline + 30) await sleep(500);
}

/**
 * A live Durable Object holds open files (SQLite database, WAL, shared memory: 3) until workerd evicts it
 * ~10 s after its last request, and workerd exits when accept() hits the open-files limit. So when the
 * warm-up left files open, wait for those objects to go, then cap the measured run at the number of
 * requests the remaining file budget allows (the cost per request is taken from the warm-up).
 */
function fileBudget(pid, baseline, files) {
  return async ({ total }) => {
    const grown = (openFiles(pid) ?? baseline) - baseline;
    if (grown <= 30 || total === 0) return undefined;
    await waitForEviction(pid, baseline);
    if (!files.limit) return undefined;
    files.perRequest = grown / total;
    return { maxRequests: Math.floor((files.limit - baseline - 1000) / files.perRequest) };
  };
}

/**
 * The warm-up hook that keeps a run of `pid` (started just now, probed once) under workerd's open-files
 * limit, and the open-files figures it gathers.
 */
export function openFilesGuard(pid) {
  const baseline = openFiles(pid) ?? 0;
  const files = { peak: baseline, limit: openFilesLimit(pid) };
  return { files, budget: fileBudget(pid, baseline, files) };
}

/** @returns {Promise<Result>} never throws: a failure is a result with status "failed" */
export async function runScenario(scenario, settings) {
  const { id, label, server: serverName, storage } = scenario;
  const result = { id, label, server: serverName, storage, status: "failed" };
  process.stdout.write(`▶ ${id}: ${label} [${serverName}, ${storage}] … `);
  let server;
  let sampler;
  try {
    server = await scenario.start();
    const { pid } = server.child;
    const target = await scenario.target(server);
    await probe(target);
    const statsUrl = scenario.dbStatsUrl?.();
    const { files, budget } = openFilesGuard(pid);
    sampler = setInterval(() => (files.peak = Math.max(files.peak, openFiles(pid) ?? 0)), 1000);
    let cpuAtStart;
    let dbAtStart;
    const metrics = await measure(target, settings, {
      afterWarmup: async (warmup) => {
        const cap = await budget(warmup);
        // After the warm-up, so the code is as warm as in the measured run, and before it, on a quiet server.
        if (scenario.inspect) result.inspect = await scenario.inspect(server, target);
        if (statsUrl) dbAtStart = await settledDbStats(statsUrl, { timeoutMs: 3000 });
        cpuAtStart = cpuSeconds(pid);
        return cap;
      },
    });
    const cpuAtEnd = cpuSeconds(pid);
    result.metrics = metrics;
    // Round trips per request under load: writes from many requests share a statement (the index writers batch).
    if (dbAtStart && metrics.total > 0) {
      const delta = dbDelta(await settledDbStats(statsUrl), dbAtStart);
      result.db = { reads: delta.reads / metrics.total, writes: delta.writes / metrics.total, statements: delta.statements / metrics.total };
    }
    // The server's own CPU per request steadies comparisons on a shared machine, where req/s also moves
    // with what autocannon and the database take. (/proc ticks are 10 ms: fine over thousands of requests.)
    if (cpuAtStart !== undefined && cpuAtEnd !== undefined && metrics.total > 0) {
      result.cpuUsPerRequest = ((cpuAtEnd - cpuAtStart) * 1e6) / metrics.total;
    }
    result.rssMiB = peakRssMiB(pid);
    result.files = files;
    result.status = metrics.non2xx + metrics.errors + metrics.mismatches > 0 ? "errors" : "ok";
  } catch (error) {
    result.error = (error instanceof Error ? error.message : String(error)) + (server ? logTail(server.logFile, 8) : "");
  } finally {
    clearInterval(sampler);
    await server?.stop();
  }
  const m = result.metrics;
  if (result.status === "failed") process.stdout.write(`FAILED\n  ${result.error.replaceAll("\n", "\n  ")}\n`);
  else {
    const flag = result.status === "errors" ? `  ⚠ ERRORS (see ${server.logFile})` : "";
    const rss = result.rssMiB === undefined ? "RSS – (server gone)" : `RSS ${result.rssMiB.toFixed(0)} MiB`;
    const cpu = result.cpuUsPerRequest === undefined ? "" : `, ${Math.round(result.cpuUsPerRequest)} µs CPU/req`;
    const db = result.db ? `, Postgres ${result.db.reads.toFixed(2)} reads + ${result.db.writes.toFixed(2)} writes/req` : "";
    process.stdout.write(`${Math.round(m.rps)} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms${cpu}${db}, ${rss}${flag}\n`);
  }
  return result;
}

/** A group that cannot even start (build or database failure) still reports every scenario it owned. */
export function failedResults(scenarios, error) {
  return scenarios.map(({ id, label, server, storage }) => ({ id, label, server, storage, status: "failed", error }));
}

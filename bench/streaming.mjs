import { updateReadmeSection } from "./lib/report.mjs";
// npm run bench:stream [-- --subscribers 1000 --chunks 20 --interval 100 --delay ms --client-threads 1
//                          --only workerd,ceiling,direct,official,wrangler]
// Streaming fan-out (see bench/README.md): N SSE subscribers on one task in the demo agent's slow mode. It runs
// the platform's production bundle in workerd as `npm run bench` does, then two fan-out ceilings in workerd,
// then the official SDK server, then the platform under `wrangler dev` for reference. It prints a table and
// writes bench/streaming-results.md (and, after a full run, the "Streaming fan-out" section of README.md).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createSlowTask, createTask, discoverTargets } from "./lib/a2a-targets.mjs";
import { bundleCeilings, fanoutCeilingWorker } from "./lib/ceilings.mjs";
import { startOfficial } from "./lib/official.mjs";
import { BENCH, LOGS, ROOT, WORK } from "./lib/paths.mjs";
import { buildPlatform, platformWorker, startDatabase, startPlatform } from "./lib/platform.mjs";
import { cpuSeconds, descendants, killAllNow, logTail, machineBusySeconds, openFilesLimit, peakRssMiB, rssMiB, guardRun } from "./lib/processes.mjs";
import { openSubscribers, quantile } from "./lib/sse-fanout.mjs";
import { WORKERD, memoryStorageUsed, removeTmpfs, startWorkerd, tmpfsDir } from "./lib/workerd.mjs";
import { startWranglerDev } from "./lib/wrangler-dev.mjs";
import { wranglerConfig } from "./lib/wrangler-toml.mjs";

const RUNTIMES = ["workerd", "ceiling", "direct", "official", "wrangler"];
const TARGET_P99_MS = 50;
const OFFICIAL_REFERENCE = "the official @a2a-js/sdk server on this box: all delivered, p99 ~137 ms";

const { values: args } = parseArgs({
  options: {
    subscribers: { type: "string" },
    chunks: { type: "string" },
    interval: { type: "string" },
    delay: { type: "string" },
    "client-threads": { type: "string" },
    only: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
if (args.help) {
  console.log(
    `node bench/streaming.mjs [--subscribers 1000] [--chunks 20] [--interval 100] [--delay ms] [--client-threads 1] [--only ${RUNTIMES.join(",")}]`,
  );
  process.exit(0);
}
const num = (value, fallback) => (value === undefined || value === "" ? fallback : Number(value));
const subscribers = num(args.subscribers ?? process.env.BENCH_SUBSCRIBERS, 1000);
const settings = {
  subscribers,
  chunks: num(args.chunks ?? process.env.BENCH_CHUNKS, 20),
  intervalMs: num(args.interval ?? process.env.BENCH_INTERVAL, 100),
  // Long enough for every subscriber to connect before the first chunk: 1,000 took ~1 s in workerd and
  // ~3.5 s under wrangler dev here, so 2 s + 5 ms per subscriber (the run fails, saying so, if it is not).
  delayMs: num(args.delay ?? process.env.BENCH_DELAY, 2000 + 5 * subscribers),
  threads: num(args["client-threads"] ?? process.env.BENCH_CLIENT_THREADS, 1),
};
for (const [key, value, min, max] of [
  ["subscribers", settings.subscribers, 1, 10_000],
  ["chunks", settings.chunks, 1, 1000], // the demo agent's limits: chunks, interval, delay
  ["interval", settings.intervalMs, 0, 10_000],
  ["delay", settings.delayMs, 0, 60_000],
  ["client-threads", settings.threads, 1, 16],
]) {
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`bench:stream: --${key} must be an integer from ${min} to ${max}, not ${value}`);
    process.exit(2);
  }
}
const only = (args.only ?? process.env.BENCH_ONLY ?? RUNTIMES.join(",")).split(",").map((g) => g.trim()).filter(Boolean);
for (const g of only) {
  if (!RUNTIMES.includes(g)) {
    console.error(`bench:stream: unknown row "${g}" (rows: ${RUNTIMES.join(", ")})`);
    process.exit(2);
  }
}
const budgetSeconds = num(process.env.BENCH_TIMEOUT, 300);

const startedAt = new Date();
const results = [];
const notes = [];

process.on("exit", () => {
  killAllNow();
  removeTmpfs();
});
guardRun({
  label: "bench:stream",
  budgetSeconds,
  onBudget: () => {
    notes.push(`Stopped after ${budgetSeconds} s (BENCH_TIMEOUT): results are partial.`);
    writeResults();
  },
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const version = (command, argv) => {
  try {
    return execFileSync(command, argv, { encoding: "utf8" }).trim();
  } catch {
    return "?";
  }
};
const pkgVersion = (name) => JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")).version;
/** Which platform code ran: the commit, and whether the Worker's sources differ from it. */
function revision() {
  if (process.env.BENCH_REVISION) return process.env.BENCH_REVISION;
  const head = version("git", ["-C", ROOT, "rev-parse", "--short", "HEAD"]);
  if (head === "?") return "not a git checkout";
  const dirty = version("git", ["-C", ROOT, "status", "--porcelain", "--", "workers", "durable-objects", "schema", "wrangler.toml"]);
  return `commit ${head}${dirty ? " with uncommitted changes to the Worker" : ""}`;
}
const env = {
  revision: revision(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
  runtime: `${version(WORKERD, ["--version"])}, wrangler ${pkgVersion("wrangler")}, Node ${process.version} (subscribers)`,
};

/**
 * One fan-out: a slow task, `subscribers` SSE streams on it, all connected before its first chunk, each read
 * to its end. `runtimePid()` is the process whose memory is reported (sampled every 100 ms).
 */
async function fanOut(driver, runtimePid) {
  await driver.warm(); // the isolate, the database connection, one object
  const pid = runtimePid();
  if (!pid) throw new Error("no runtime process to measure");
  const samples = [];
  const sample = () => samples.push({ t: Date.now(), rss: rssMiB(pid), cpu: cpuSeconds(pid), machine: machineBusySeconds(), bench: benchCpuSeconds() });
  sample();
  const sampler = setInterval(sample, 100);
  const rssIdle = samples[0].rss;
  try {
    const { chunks, intervalMs, delayMs } = settings;
    const sentAt = Date.now();
    const taskId = await driver.create({ demoDelayMs: delayMs, demoChunks: chunks, demoIntervalMs: intervalMs });
    // The run starts after the request arrived, so its first chunk is due no earlier than this.
    const firstChunkDue = sentAt + delayMs;
    const subscribeStart = Date.now();
    const fanning = openSubscribers(driver.subscribe(taskId), {
      count: subscribers,
      threads: settings.threads,
      timeoutMs: delayMs + chunks * intervalMs + 30_000,
    });
    const lastSnapshot = await Promise.race([fanning.connected, sleep(Math.max(0, firstChunkDue - Date.now() - 50)).then(() => undefined)]);
    if (lastSnapshot === undefined) {
      fanning.abort("not connected before the first chunk");
      const { subscribers: subs } = await fanning.done;
      const snapshots = subs.filter((s) => s.connectedAt !== undefined).length;
      const failed = subs.filter((s) => s.error && s.connectedAt === undefined && s.error !== "not connected before the first chunk");
      throw new Error(
        `only ${snapshots} of ${subscribers} subscribers had their snapshot when the first chunk was due, ${firstChunkDue - subscribeStart} ms after ` +
          `subscribing (--delay ${delayMs}); raise --delay` +
          (failed.length ? `. ${failed.length} failed, e.g. ${failed[0].error}` : ""),
      );
    }
    const connectMs = lastSnapshot - subscribeStart;
    const rssConnected = rssMiB(pid);
    // This process's own CPU during the fan-out (every thread): the subscribers' share of the machine.
    await sleep(Math.max(0, firstChunkDue - Date.now()));
    const clientCpu = process.cpuUsage();
    const clientFrom = Date.now();
    const fan = await fanning.done;
    const clientUsage = process.cpuUsage(clientCpu);
    const clientShare = (clientUsage.user + clientUsage.system) / 1000 / Math.max(1, Date.now() - clientFrom);
    const ended = Date.now();
    sample();

    const lags = fan.lags.flat().sort((a, b) => a - b);
    const perChunk = [...fan.lags.entries()]
      .filter(([, l]) => l)
      .map(([i, l]) => {
        const sorted = [...l].sort((a, b) => a - b);
        return { chunk: i + 1, arrivals: l.length, first: sorted[0], p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), last: sorted.at(-1) };
      });
    const median = (values) => quantile([...values].sort((a, b) => a - b), 0.5);
    // Chunk 1 is the first fan-out after a long idle, the last chunk leaves in the same turn as COMPLETED
    // (which also closes every stream): the chunks between show the steady state.
    const steady = fan.lags.slice(1, chunks - 1).flat().sort((a, b) => a - b);
    const complete = fan.subscribers.filter(
      (s) => !s.error && s.chunks.length === chunks && s.terminal === "TASK_STATE_COMPLETED" && s.outOfOrder === 0 && s.snapshotArtifacts === 0,
    );
    // The fan-out phase: from the first chunk due until the last stream ended.
    const window = samples.filter((s) => s.t >= firstChunkDue && s.t <= ended);
    const cpuWindow = window.length > 1 ? window.at(-1).cpu - window[0].cpu : undefined;
    const machineWindow = window.length > 1 ? window.at(-1).machine - window[0].machine : undefined;
    const benchWindow = window.length > 1 ? window.at(-1).bench - window[0].bench : undefined;
    const wallWindow = window.length > 1 ? (window.at(-1).t - window[0].t) / 1000 : undefined;
    const errors = new Map();
    for (const s of fan.subscribers) if (s.error) errors.set(s.error, (errors.get(s.error) ?? 0) + 1);
    return {
      perChunk,
      samples: samples.map((x) => ({ ...x, t: x.t - firstChunkDue })),
      taskId,
      complete: complete.length,
      chunkDeliveries: fan.subscribers.reduce((n, s) => n + s.chunks.length, 0),
      events: fan.subscribers.reduce((n, s) => n + s.events, 0),
      terminal: fan.subscribers.filter((s) => s.terminal === "TASK_STATE_COMPLETED").length,
      late: fan.subscribers.filter((s) => (s.snapshotArtifacts ?? 0) > 0).length,
      outOfOrder: fan.subscribers.filter((s) => s.outOfOrder > 0).length,
      errors: [...errors].map(([error, count]) => `${count} × ${error}`),
      connectMs,
      lag: { p50: quantile(lags, 0.5), p99: quantile(lags, 0.99), max: lags.at(-1), count: lags.length },
      steadyLag: { p50: quantile(steady, 0.5), p99: quantile(steady, 0.99) },
      edgeChunks: [perChunk[0], perChunk.at(-1)].filter(Boolean).map((c) => ({ chunk: c.chunk, first: c.first, last: c.last })),
      firstArrivalMedian: median(perChunk.map((c) => c.first)),
      spreadMedian: median(perChunk.map((c) => c.last - c.first)),
      loopDelayP99: fan.loopDelayP99,
      rssIdle,
      rssConnected,
      rssFanout: Math.max(...window.map((s) => s.rss ?? 0), rssConnected ?? 0),
      peakRss: peakRssMiB(pid),
      cpuShare: cpuWindow !== undefined && wallWindow ? cpuWindow / wallWindow : undefined,
      clientShare,
      machineShare: machineWindow !== undefined && wallWindow ? machineWindow / wallWindow : undefined,
      benchShare: benchWindow !== undefined && wallWindow ? benchWindow / wallWindow : undefined,
    };
  } finally {
    clearInterval(sampler);
  }
}

/** The platform: slow tasks through JSON-RPC SendMessage, subscriptions through REST, at the card's URLs. */
async function platformDriver(baseUrl) {
  const targets = await discoverTargets(baseUrl);
  return {
    warm: () => createTask(targets),
    create: async (metadata) => (await createSlowTask(targets, metadata)).id,
    subscribe: (id) => targets.subscribe(id),
  };
}

/** The fan-out ceiling (ceilings/fanout.js). */
function ceilingDriver(baseUrl, path = "subscribe") {
  const create = async (metadata) => {
    const res = await fetch(`${baseUrl}/start`, { method: "POST", body: JSON.stringify(metadata), signal: AbortSignal.timeout(10_000) });
    const body = await res.json();
    if (!res.ok || typeof body.id !== "string") throw new Error(`ceiling /start → ${res.status}: ${JSON.stringify(body)}`);
    return body.id;
  };
  return {
    warm: () => create({ demoDelayMs: 0, demoChunks: 1, demoIntervalMs: 0 }),
    create,
    subscribe: (id) => ({ url: `${baseUrl}/${path}/${id}`, method: "POST", headers: { "content-type": "application/json" }, body: "{}" }),
  };
}

/** Other work on the machine (in cores) over the next second: its busy time minus this bench's. */
async function outsideLoad() {
  const before = machineBusySeconds() - benchCpuSeconds();
  await sleep(1000);
  return machineBusySeconds() - benchCpuSeconds() - before;
}

/**
 * The machine is shared: waits up to `maxMs` for a second in which other work keeps less than 15 % of a
 * core busy, and returns the load it last saw (a row measured under load says so; see BUSY_OUTSIDE).
 */
async function waitForQuiet(maxMs) {
  const deadline = Date.now() + maxMs;
  let load = await outsideLoad();
  while (load > 0.15 && Date.now() < deadline) load = await outsideLoad();
  return load;
}

async function runOne(id, label, start) {
  const load = await waitForQuiet(QUIET_WAIT_MS);
  process.stdout.write(
    `▶ ${label}: ${subscribers} subscribers, ${settings.chunks} chunks ${settings.intervalMs} ms apart after ${settings.delayMs} ms` +
      `${load > 0.15 ? ` (other work on the machine: ${fmt(load * 100)} % of a core)` : ""} … `,
  );
  const result = { id, label, status: "failed" };
  let server;
  try {
    server = await start();
    result.metrics = await fanOut(await server.driver(server.baseUrl), server.runtimePid);
    // Per-chunk lags and the memory/CPU samples, for a closer look at where the lag comes from.
    const { perChunk, samples, ...summary } = result.metrics;
    writeFileSync(join(WORK, `streaming-${id}.json`), JSON.stringify({ settings, summary, perChunk, samples }, null, 1));
    result.metrics = summary;
    if (server.note) result.note = server.note();
    const m = result.metrics;
    result.status = m.complete === subscribers ? "ok" : "incomplete";
    process.stdout.write(
      `${m.complete}/${subscribers} complete, connect ${fmt(m.connectMs)} ms, lag p50 ${fmt(m.lag.p50)} / p99 ${fmt(m.lag.p99)} / max ${fmt(m.lag.max)} ms, ` +
        `RSS ${fmt(m.rssFanout)} MiB (peak ${fmt(m.peakRss)})\n`,
    );
  } catch (error) {
    result.error = (error instanceof Error ? error.message : String(error)) + (server ? logTail(server.logFile, 8) : "");
    process.stdout.write(`FAILED\n  ${result.error.replaceAll("\n", "\n  ")}\n`);
  } finally {
    await server?.stop();
  }
  return result;
}

const fmt = (n, digits = 0) =>
  n === undefined || Number.isNaN(n) ? "–" : n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pct = (part, whole) => (whole ? `${fmt((100 * part) / whole, part === whole ? 0 : 1)} %` : "–");

const LABELS = {
  workerd: "platform, workerd",
  ceiling: "ceiling: bare DO → WebSocket → Worker SSE, workerd",
  direct: "ceiling: DO answers the SSE itself, workerd",
  official: "official @a2a-js/sdk server (Node)",
  wrangler: "platform, `wrangler dev` (reference)",
};

/** CPU of this bench and every process it started (the runtime, the database, wrangler), in seconds so far. */
function benchCpuSeconds() {
  return [process.pid, ...descendants(process.pid).map((p) => p.pid)].reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0);
}
/** CPU (in cores) during the fan-out of the bench's other processes: the database, wrangler and its proxy. */
const helperShare = (m) => (m.benchShare === undefined ? undefined : Math.max(0, m.benchShare - (m.cpuShare ?? 0) - m.clientShare));
/** CPU (in cores) during the fan-out of everything this bench did not start, and of the kernel outside them. */
const outsideShare = (m) => (m.machineShare === undefined || m.benchShare === undefined ? undefined : Math.max(0, m.machineShare - m.benchShare));
/** More than this is flagged: the kernel's share of 1,000 loopback connections stays well under it. */
const BUSY_OUTSIDE = 0.3;
/** How long each row waits for other work on the machine to calm down before it starts. */
const QUIET_WAIT_MS = num(process.env.BENCH_QUIET_WAIT, 15_000);

function render(seconds) {
  const { chunks, intervalMs, delayMs } = settings;
  const status = { ok: "ok", incomplete: "⚠ INCOMPLETE", failed: "✗ FAILED" };
  const measured = results.filter((r) => r.metrics);
  const rows = results.map((r) => {
    const m = r.metrics;
    if (!m) return `| ${r.label} | ${fmt(subscribers)} | – | – | – | – | – | – | – | – | – | – | ${status[r.status]} |`;
    return `| ${r.label} | ${fmt(subscribers)} | ${fmt(m.complete)} (${pct(m.complete, subscribers)}) | ${fmt(m.chunkDeliveries)} / ${fmt(subscribers * chunks)} | ${fmt(m.events)} | ${fmt(m.connectMs)} | ${fmt(m.lag.p50)} | ${fmt(m.lag.p99)} | ${fmt(m.lag.max)} | ${fmt(m.rssIdle)} | ${fmt(m.rssFanout)} | ${fmt(m.peakRss)} | ${status[r.status]} |`;
  });
  const whereRows = measured.map((r) => {
    const m = r.metrics;
    const edge = (c) => (c ? `${fmt(c.first)}–${fmt(c.last)}` : "–");
    return `| ${r.label} | ${fmt(m.firstArrivalMedian)} | ${fmt(m.spreadMedian)} | ${fmt(m.steadyLag.p50)} / ${fmt(m.steadyLag.p99)} | ${edge(m.edgeChunks[0])} | ${edge(m.edgeChunks[1])} | ${m.cpuShare === undefined ? "–" : fmt(m.cpuShare * 100)} | ${fmt(m.clientShare * 100)} | ${fmt(helperShare(m) * 100)} | ${fmt(outsideShare(m) * 100)} | ${fmt(m.loopDelayP99)} |`;
  });
  const workerd = results.find((r) => r.id === "workerd")?.metrics;
  const official = results.find((r) => r.id === "official")?.metrics;
  const verdict = (ok) => (ok ? "met" : "NOT MET");
  const targetRows = workerd
    ? [
        `| every subscriber gets every chunk and the terminal status | ${pct(workerd.complete, subscribers)} | 100 % | ${verdict(workerd.complete === subscribers)} |`,
        `| p99 lag, commit → arrival | ${fmt(workerd.lag.p99)} ms | < ${TARGET_P99_MS} ms | ${verdict(workerd.lag.p99 < TARGET_P99_MS)} |`,
      ]
    : ["| (the platform in workerd was not measured) | – | – | – |"];
  const notesFor = measured.flatMap((r) => {
    const m = r.metrics;
    const outside = outsideShare(m);
    return [
      ...(outside > BUSY_OUTSIDE
        ? [`- ⚠ ${r.label}: work outside the bench kept ${fmt(outside * 100)} % of a core busy during the fan-out; its figures include that interference.`]
        : []),
      ...(m.late ? [`- ⚠ ${r.label}: ${m.late} subscribers connected after the first chunk.`] : []),
      ...(m.outOfOrder ? [`- ⚠ ${r.label}: ${m.outOfOrder} subscribers saw an event twice or out of order.`] : []),
      ...m.errors.map((e) => `- ⚠ ${r.label}: ${e}`),
      ...(r.note ? [`- ${r.label}: ${r.note}`] : []),
    ];
  });
  const failures = results.filter((r) => r.error).map((r) => `- ✗ ${r.label} failed: ${r.error.split("\n")[0]}`);
  return `## Latest streaming results

Run ${startedAt.toISOString()} (${fmt(seconds)} s) on ${env.machine}; ${env.runtime}; platform at ${env.revision}.
One task in the demo agent's slow mode: ${fmt(delayMs)} ms of work, then ${chunks} artifact chunks ${intervalMs} ms apart, then COMPLETED.
${fmt(subscribers)} concurrent SSE subscribers (REST \`POST …/tasks/{id}:subscribe\`, one connection each, read by ${settings.threads} Node thread${settings.threads === 1 ? "" : "s"}), all connected before the first chunk.
Lag = arrival at the subscriber − the chunk's \`committedAt\`, over all ${fmt(subscribers * chunks)} chunk arrivals.
Memory is the runtime process's (workerd; under \`wrangler dev\` the workerd running the Worker; Node for the official SDK):
RSS idle before subscribing, the highest RSS sampled (every 100 ms) during the fan-out, and the peak (VmHWM).
Durable Object storage: ${memoryStorageUsed() ?? "–"}; under \`wrangler dev\`, \`--persist-to\` on tmpfs.

| server | subscribers | complete | chunks delivered | events | connect all ms | lag p50 ms | p99 ms | max ms | RSS idle MiB | RSS fan-out MiB | peak RSS MiB | status |
|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|
${rows.join("\n")}

"complete": got every chunk and the COMPLETED status, in order, no error. "events": SSE events parsed (snapshot, status updates, chunks).

### Targets (the platform in workerd)

| target | measured | needed | verdict |
|---|--:|--:|---|
${targetRows.join("\n")}

Reference from the issue: ${OFFICIAL_REFERENCE}${official ? `; measured in this run with the same subscribers: ${pct(official.complete, subscribers)} complete, p99 ${fmt(official.lag.p99)} ms` : ""}.

### Where the lag comes from

| server | first arrival ms | spread ms | lag p50 / p99 ms without first and last chunk | chunk 1 ms | last chunk ms | CPU %: runtime | subscribers | database, wrangler | outside the bench | subscriber loop delay p99 ms |
|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|
${whereRows.join("\n")}

"first arrival": per chunk, the lag of the first subscriber to get it; "spread": how much later the last one got it (medians over the chunks).
Chunk 1 is the first fan-out after the idle delay; the last chunk is committed in the same turn as COMPLETED, which also closes every stream.
CPU is measured from the first chunk due to the last stream's end, in % of one core (the machine has ${cpus().length}). "outside the bench" is
the machine's busy time minus that of this bench and every process it started: other work on the machine, and kernel time not charged to a process.
${[...failures, ...notesFor, ...notes.map((n) => `- ${n}`)].join("\n")}
`;
}

function writeResults() {
  const body = render((Date.now() - startedAt.getTime()) / 1000);
  writeFileSync(join(BENCH, "streaming-results.md"), `# Streaming fan-out results\n\nWritten by \`npm run bench:stream\`; see README.md for how to read it.\n\n${body}`);
  return body;
}

function updateReadme(body) {
  updateReadmeSection(join(BENCH, "README.md"), "streaming-results", body.replace(/^## Latest streaming results\n+/, ""));
}

// --- run ---------------------------------------------------------------------------------------------

mkdirSync(LOGS, { recursive: true });
const fileLimit = openFilesLimit(process.pid);
if (fileLimit && fileLimit < subscribers + 200) {
  console.error(`bench:stream: this process may open ${fileLimit} files, too few for ${subscribers} sockets; raise it (ulimit -n ${subscribers + 1000})`);
  process.exit(1);
}
const config = wranglerConfig();
console.log(`bench:stream: ${only.join(", ")}; open-files limit ${fileLimit ?? "?"}; logs in bench/.work/logs`);

// The platform rows need the bundle (workerd) and the database (workerd, wrangler dev); when either cannot be
// had, those rows fail with the reason and the other rows still run.
const usesPlatform = only.includes("workerd") || only.includes("wrangler");
const [bundle, database] = await Promise.allSettled([
  only.includes("workerd") ? buildPlatform(config.main) : undefined,
  usesPlatform ? startDatabase() : undefined,
]);
const db = database.status === "fulfilled" ? database.value : undefined;
const need = (...settled) => {
  const failed = settled.find((x) => x.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((x) => x.value);
};
if (db) notes.push(`Platform database: ${db.kind}, reached through the Neon HTTP shim (scripts/local-db) at ${db.fetchEndpoint}.`);
try {
  if (only.includes("workerd")) {
    results.push(
      await runOne("workerd", LABELS.workerd, async () => {
        const [modules] = need(bundle, database);
        const server = await startPlatform("stream-workerd", platformWorker(config.compat, config, { modules, db }, "memory"));
        return { ...server, driver: platformDriver, runtimePid: () => server.child.pid };
      }),
    );
  }
  for (const id of ["ceiling", "direct"]) {
    if (!only.includes(id)) continue;
    results.push(
      await runOne(id, LABELS[id], async () => {
        await bundleCeilings();
        const server = await startWorkerd(`stream-${id}`, fanoutCeilingWorker(config.compat));
        return { ...server, driver: (url) => ceilingDriver(url, id === "direct" ? "direct" : "subscribe"), runtimePid: () => server.child.pid };
      }),
    );
  }
  if (only.includes("official")) {
    results.push(
      await runOne("official", LABELS.official, async () => {
        const server = await startOfficial("stream-official");
        return { ...server, driver: platformDriver, runtimePid: () => server.child.pid };
      }),
    );
  }
  if (only.includes("wrangler")) {
    results.push(
      await runOne("wrangler", LABELS.wrangler, async () => {
        need(database);
        const server = await startWranglerDev("stream-wrangler-dev", { db, persistTo: tmpfsDir("wrangler-dev") });
        return {
          ...server,
          driver: platformDriver,
          runtimePid: () => server.runtime()?.pid,
          note: () => {
            const { count, others = [] } = server.runtime() ?? {};
            const proxy = others.map((pid) => fmt(peakRssMiB(pid))).join(", ");
            const limits = server.removedBindings.length
              ? ` Its config leaves out the rate-limit bindings (${server.removedBindings.join(", ")}), as the workerd config does: one caller opens all ${fmt(subscribers)} subscriptions.`
              : "";
            return `wrangler dev ran ${count ?? "?"} workerd processes: the newest serves the Worker (its memory is in the table)${proxy ? `, the other (wrangler's dev proxy in front of it) peaked at ${proxy} MiB` : ""}.${limits}`;
          },
        };
      }),
    );
  }
} finally {
  await db?.stop();
}

const body = writeResults();
console.log(`\n${body}`);
if (RUNTIMES.every((g) => only.includes(g)) && subscribers === 1000) updateReadme(body);
console.log(`bench:stream: wrote bench/streaming-results.md (${fmt((Date.now() - startedAt.getTime()) / 1000)} s)`);
process.exit(results.length > 0 && results.every((r) => r.status === "ok") ? 0 : 1);

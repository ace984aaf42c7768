// npm run bench:profile -- <scenario id> [--duration 8]
// Runs one platform or ceiling scenario of `npm run bench` with workerd's V8 inspector open, takes a CPU profile of the
// isolate (Worker and Durable Objects share it) while autocannon loads it, and prints where the time goes:
// self time per function and time per source file. The profile is kept in bench/.work/<id>.cpuprofile
// (open it in Chrome DevTools → Performance).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { measure, probe } from "./lib/load.mjs";
import { WORK } from "./lib/paths.mjs";
import { bundleCeilings, ceilingScenarios } from "./lib/ceilings.mjs";
import { buildPlatform, platformScenarios, startDatabase } from "./lib/platform.mjs";
import { freePort, guardRun, killAllNow } from "./lib/processes.mjs";
import { openFilesGuard } from "./lib/scenario.mjs";
import { wranglerConfig } from "./lib/wrangler-toml.mjs";
import { removeTmpfs } from "./lib/workerd.mjs";

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { duration: { type: "string" }, connections: { type: "string" }, top: { type: "string" } },
});
const id = positionals[0] ?? "plat-send-rpc-mem";
const settings = { duration: Number(args.duration ?? 8), warmup: 2, connections: Number(args.connections ?? 32) };
const top = Number(args.top ?? 30);

process.on("exit", () => {
  killAllNow();
  removeTmpfs();
});
guardRun({ label: "bench:profile", budgetSeconds: 300 });

const config = wranglerConfig();
const ctx = {};
// A ceiling's profile beside its platform scenario's shows which costs are the runtime's own.
const ceiling = ceilingScenarios(config.compat).find((s) => s.id === id);
const scenario = ceiling ?? platformScenarios(config.compat, config, ctx).find((s) => s.id === id);
if (!scenario) throw new Error(`no platform or ceiling scenario "${id}"`);
if (ceiling) await bundleCeilings();
else {
  ctx.modules = await buildPlatform(config.main, { minify: false });
  ctx.db = await startDatabase();
}
process.env.BENCH_INSPECTOR_PORT = String(await freePort());
const server = await scenario.start();
try {
  const target = await scenario.target(server);
  await probe(target);
  const { budget } = openFilesGuard(server.child.pid);
  const cdp = await connect(Number(process.env.BENCH_INSPECTOR_PORT));
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  let started = false;
  const metrics = await measure(target, settings, {
    afterWarmup: async (warmup) => {
      const cap = await budget(warmup);
      await cdp.send("Profiler.start");
      started = true;
      return cap;
    },
  });
  if (!started) throw new Error("the warm-up never ended");
  const { profile } = await cdp.send("Profiler.stop");
  cdp.close();
  const file = join(WORK, `${id}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  console.log(`${id}: ${Math.round(metrics.rps)} req/s, p50 ${metrics.p50} ms, p99 ${metrics.p99} ms; profile in ${file}\n`);
  report(profile);
} finally {
  await server.stop();
  await ctx.db?.stop();
}
process.exit(0);

/** A minimal Chrome DevTools Protocol client over the inspector's WebSocket. */
async function connect(port) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const url = targets[0]?.webSocketDebuggerUrl ?? `ws://127.0.0.1:${port}/`;
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", (error) => reject(new Error(`inspector at ${url}: ${error.message}`)));
  });
  let next = 0;
  const pending = new Map();
  ws.on("message", (data) => {
    const msg = JSON.parse(String(data));
    const waiter = pending.get(msg.id);
    if (!waiter) return;
    pending.delete(msg.id);
    if (msg.error) waiter.reject(new Error(`${msg.error.message} (${JSON.stringify(msg.error)})`));
    else waiter.resolve(msg.result);
  });
  return {
    send: (method, params = {}) =>
      new Promise((resolve, reject) => {
        const msgId = ++next;
        pending.set(msgId, { resolve, reject });
        ws.send(JSON.stringify({ id: msgId, method, params }));
      }),
    close: () => ws.close(),
  };
}

/** Self time per function and per file, and total time (with callees) per function, from the sampled call tree. */
function report(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const fileOf = (f) => (f.url ? f.url.split("/").pop() : `(${f.functionName || "native"})`);
  const label = ({ callFrame: f }) => `${f.functionName || "(anonymous)"} ${fileOf(f)}:${f.lineNumber + 1}`;
  const selfSamples = new Map();
  for (const sample of profile.samples) selfSamples.set(sample, (selfSamples.get(sample) ?? 0) + 1);
  const total = profile.samples.length;
  const fn = new Map();
  const files = new Map();
  for (const [nodeId, count] of selfSamples) {
    const node = byId.get(nodeId);
    const key = label(node);
    const file = fileOf(node.callFrame);
    fn.set(key, (fn.get(key) ?? 0) + count);
    files.set(file, (files.get(file) ?? 0) + count);
  }
  const print = (title, map, n) => {
    console.log(title);
    for (const [key, count] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
      console.log(`  ${((100 * count) / total).toFixed(1).padStart(5)} %  ${key}`);
    }
    console.log("");
  };
  const inclusive = new Map();
  for (const [nodeId, count] of selfSamples) {
    const seen = new Set();
    for (let at = nodeId; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      if (!node.callFrame.url) continue;
      const key = label(node);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + count);
    }
  }
  print(`self time by function (${total} samples)`, fn, top);
  print("total time (with callees) by function", inclusive, top);
  print("self time by file", files, 10);
}

// npm run bench [-- --duration 8 --warmup 2 --connections 32 --only ceilings,official,platform|<scenario id>,…]
// Runs every scenario (see bench/README.md), prints the table and writes bench/results.md.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { bundleCeilings, ceilingScenarios } from "./lib/ceilings.mjs";
import { officialScenarios } from "./lib/official.mjs";
import { BENCH, LOGS, NODE, ROOT } from "./lib/paths.mjs";
import { buildPlatform, platformScenarios, startDatabase } from "./lib/platform.mjs";
import { guardRun, killAllNow } from "./lib/processes.mjs";
import { renderMarkdown, updateReadmeSection } from "./lib/report.mjs";
import { failedResults, runScenario } from "./lib/scenario.mjs";
import { wranglerConfig } from "./lib/wrangler-toml.mjs";
import { WORKERD, memoryStorageUsed, removeTmpfs } from "./lib/workerd.mjs";

const GROUPS = ["ceilings", "official", "platform"];
const GROUP_PREFIX = { ceilings: "ceil-", official: "off-", platform: "plat-" };
const { values: args } = parseArgs({
  options: {
    duration: { type: "string" },
    warmup: { type: "string" },
    connections: { type: "string" },
    only: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
if (args.help) {
  console.log("node bench/run.mjs [--duration s] [--warmup s] [--connections n] [--only ceilings,official,platform|<scenario id>,…]");
  process.exit(0);
}
const num = (value, fallback) => (value === undefined || value === "" ? fallback : Number(value));
const settings = {
  duration: num(args.duration ?? process.env.BENCH_DURATION, 8),
  warmup: num(args.warmup ?? process.env.BENCH_WARMUP, 2),
  connections: num(args.connections ?? process.env.BENCH_CONNECTIONS, 32),
};
// --only takes groups and single scenarios: "platform", or "ceil-do-one,plat-get-rpc" to compare two.
const picked = (args.only ?? process.env.BENCH_ONLY ?? GROUPS.join(",")).split(",").map((g) => g.trim()).filter(Boolean);
const scenarioIds = picked.filter((g) => !GROUPS.includes(g));
for (const id of scenarioIds) {
  if (!GROUPS.some((g) => id.startsWith(GROUP_PREFIX[g]))) throw new Error(`unknown group or scenario "${id}" (groups: ${GROUPS.join(", ")})`);
}
const only = GROUPS.filter((g) => picked.includes(g) || scenarioIds.some((id) => id.startsWith(GROUP_PREFIX[g])));
const pick = (scenarios) => {
  const mine = scenarios.filter((s) => picked.includes(s.id));
  return mine.length > 0 ? mine : scenarios;
};
const budgetSeconds = num(process.env.BENCH_TIMEOUT, 540);

const results = [];
const notes = [];
const startedAt = new Date();

// Children die with us, however we end.
process.on("exit", () => {
  killAllNow();
  removeTmpfs();
});
guardRun({
  label: "bench",
  budgetSeconds,
  onBudget: () => {
    notes.push(`Stopped after ${budgetSeconds} s (BENCH_TIMEOUT): results are partial.`);
    writeResults();
  },
});

const version = (command, argv) => {
  try {
    return execFileSync(command, argv, { encoding: "utf8" }).trim();
  } catch {
    return "?";
  }
};
const pkgVersion = (name) => JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")).version;
const env = {
  machine: `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
  runtime: `${version(WORKERD, ["--version"])}, Node ${version(NODE, ["--version"])} (servers) / ${process.version} (autocannon ${pkgVersion("autocannon")}), @a2a-js/sdk ${pkgVersion("@a2a-js/sdk")}`,
};

function writeResults() {
  const seconds = (Date.now() - startedAt.getTime()) / 1000;
  const fileLimit = Math.max(0, ...results.map((r) => (r.server === "official SDK" ? 0 : (r.files?.limit ?? 0)))) || undefined;
  const body = renderMarkdown({ results, settings, env: { ...env, memory: memoryStorageUsed(), fileLimit }, startedAt, seconds, notes });
  writeFileSync(join(BENCH, "results.md"), `# Benchmark results\n\nWritten by \`npm run bench\`; see README.md for how to read it.\n\n${body}`);
  return body;
}

function updateReadme(body) {
  updateReadmeSection(join(BENCH, "README.md"), "latest-results", body.replace(/^## Latest results\n+/, ""));
}

/** Runs a group's scenarios in order; if `prepare` throws, every scenario of the group is reported failed. */
async function runGroup(name, scenarios, { prepare, cleanup } = {}) {
  console.log(`\n== ${name} ==`);
  try {
    await prepare?.();
  } catch (error) {
    console.error(`✗ ${name}: ${error.message}`);
    results.push(...failedResults(scenarios, error.message));
    await cleanup?.();
    return;
  }
  try {
    for (const scenario of scenarios) results.push(await runScenario(scenario, settings));
  } finally {
    await cleanup?.();
  }
}

mkdirSync(LOGS, { recursive: true });
const config = wranglerConfig();
console.log(
  `bench: ${only.join(", ")} — ${settings.connections} connections, ${settings.warmup} s warm-up + ${settings.duration} s per scenario; logs in bench/.work/logs`,
);

if (only.includes("ceilings")) {
  await runGroup("A. ceilings (workerd)", pick(ceilingScenarios(config.compat)), { prepare: bundleCeilings });
}
if (only.includes("official")) {
  await runGroup("B. official @a2a-js/sdk server (Node, Express)", pick(officialScenarios()));
}
if (only.includes("platform")) {
  const ctx = {};
  await runGroup("C. platform (production bundle in workerd)", pick(platformScenarios(config.compat, config, ctx)), {
    prepare: async () => {
      ctx.modules = await buildPlatform(config.main);
      ctx.db = await startDatabase();
      notes.push(`Platform database: ${ctx.db.kind}, reached through the Neon HTTP shim (scripts/local-db) at ${ctx.db.fetchEndpoint}.`);
    },
    cleanup: () => ctx.db?.stop(),
  });
}

const body = writeResults();
console.log(`\n${body}`);
if (scenarioIds.length === 0 && GROUPS.every((g) => only.includes(g))) updateReadme(body);
console.log(`bench: wrote bench/results.md`);
process.exit(results.every((r) => r.status === "ok") ? 0 : 1);

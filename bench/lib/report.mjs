import { existsSync, readFileSync, writeFileSync } from "node:fs";
// Turns results into the markdown written to bench/results.md (and printed).

/** The targets from the design: numerator / denominator ≥ min. Rows whose scenarios are absent are skipped. */
export const TARGETS = [
  { name: "Agent card vs bare Hono (1)", num: "plat-card", den: "ceil-hono", min: 0.8 },
  { name: "GetTask vs ceiling (2) (memory)", num: "plat-get-rpc", den: "ceil-do-one", min: 0.7 },
  { name: "GetTask vs ceiling (2) without a request body (extra)", num: "plat-get-rpc", den: "ceil-do-one-get", min: 0.7 },
  { name: "SendMessage vs ceiling (3), in-memory storage", num: "plat-send-rpc-mem", den: "ceil-do-new-mem", min: 0.7 },
  { name: "SendMessage vs ceiling (3) without a request body, in-memory storage (extra)", num: "plat-send-rpc-mem", den: "ceil-do-new-mem-get", min: 0.7 },
  { name: "SendMessage vs ceiling (3), on-disk storage", num: "plat-send-rpc-disk", den: "ceil-do-new-disk", min: 0.7 },
  { name: "SendMessage (JSON-RPC, memory) vs official SDK", num: "plat-send-rpc-mem", den: "off-send-rpc", min: 1.0 },
  { name: "SendMessage (REST, memory) vs official SDK (extra)", num: "plat-send-rest", den: "off-send-rest", min: 1.0 },
  // No target: what an orchestrator turn costs beyond the demo's trivial run (see "Orchestrator turn" below).
  { name: "Orchestrator turn vs demo SendMessage (extra, no target)", num: "plat-orch-turn", den: "plat-send-rpc-mem" },
];

const fmt = (n, digits = 0) => (n === undefined || Number.isNaN(n) ? "–" : n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }));

const STATUS = { ok: "ok", errors: "⚠ ERRORS", failed: "✗ FAILED" };

function scenarioTable(results) {
  const rows = results.map((r, i) => {
    const m = r.metrics ?? {};
    const rps = m.rps === undefined ? "–" : `${fmt(m.rps)} ± ${fmt(m.rpsStddev)}`;
    const db = r.db ? `${fmt(r.db.reads, 2)} + ${fmt(r.db.writes, 2)}` : "–";
    return `| ${i + 1} | \`${r.id}\` | ${r.label} | ${r.server} | ${r.storage} | ${rps} | ${fmt(m.p50)} | ${fmt(m.p99)} | ${fmt(m.total)} | ${fmt(m.non2xx)} | ${fmt(m.errors)} | ${fmt(m.mismatches)} | ${fmt(r.cpuUsPerRequest)} | ${db} | ${fmt(r.rssMiB)} | ${STATUS[r.status]} |`;
  });
  return [
    "| # | id | scenario | server | storage | req/s ± sd | p50 ms | p99 ms | requests | non-2xx | errors | bad bodies | server CPU µs/req | Postgres reads + writes /req | peak RSS MiB | status |",
    "|---|---|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ...rows,
  ].join("\n");
}

/** @returns {{ name: string, ratio?: number, min: number, verdict: string, detail: string }[]} */
export function ratios(results) {
  const byId = new Map(results.map((r) => [r.id, r]));
  return TARGETS.filter((t) => byId.has(t.num) && byId.has(t.den)).map((t) => {
    const num = byId.get(t.num);
    const den = byId.get(t.den);
    const detail = `\`${t.num}\` ${fmt(num.metrics?.rps)} / \`${t.den}\` ${fmt(den.metrics?.rps)} req/s`;
    if (!num.metrics || !den.metrics) return { ...t, verdict: "✗ not measured", detail };
    const ratio = num.metrics.rps / den.metrics.rps;
    // The same comparison by the server's own CPU per request, which a busy machine disturbs less.
    const cpuRatio = num.cpuUsPerRequest && den.cpuUsPerRequest ? den.cpuUsPerRequest / num.cpuUsPerRequest : undefined;
    const tainted = [num, den].filter((r) => r.status !== "ok").map((r) => r.id);
    let verdict = t.min === undefined ? "for information" : ratio >= t.min ? "met" : "NOT MET";
    if (t.min !== undefined && cpuRatio !== undefined && cpuRatio >= t.min !== ratio >= t.min) verdict += " (the CPU ratio disagrees: a noisy run, measure again)";
    return { ...t, ratio, cpuRatio, detail, verdict: tainted.length ? `${verdict} ⚠ (errors in ${tainted.join(", ")})` : verdict };
  });
}

function ratioTable(rows) {
  if (rows.length === 0) return "_No target could be computed: run all groups._";
  return [
    "| target | ratio (req/s) | CPU ratio | needed | verdict | from |",
    "|---|--:|--:|--:|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.ratio === undefined ? "–" : `${fmt(r.ratio * 100)} %`} | ${r.cpuRatio === undefined ? "–" : `${fmt(r.cpuRatio * 100)} %`} | ${r.min === undefined ? "–" : `≥ ${fmt(r.min * 100)} %`} | ${r.verdict} | ${r.detail} |`,
    ),
  ].join("\n");
}

/** @param {{ results: any[], settings: any, env: Record<string, string>, startedAt: Date, seconds: number, notes: string[] }} o */
export function renderMarkdown({ results, settings, env, startedAt, seconds, notes: runNotes }) {
  const failures = new Map();
  const problemLines = [];
  for (const r of results) {
    if (r.status === "failed") {
      const reason = r.error?.split("\n")[0] ?? "unknown";
      failures.set(reason, [...(failures.get(reason) ?? []), `\`${r.id}\``]);
    } else if (r.status === "errors") {
      const m = r.metrics;
      const files = r.files ? `; open files peaked at ${fmt(r.files.peak)} of ${fmt(r.files.limit)} allowed` : "";
      problemLines.push(`- ⚠ \`${r.id}\`: ${m.non2xx} non-2xx, ${m.errors} errors (${m.timeouts} timeouts), ${m.mismatches} bad bodies${files} (log: bench/.work/logs/${r.id}.log)`);
    }
  }
  for (const [reason, ids] of failures) problemLines.push(`- ✗ ${ids.join(", ")} failed: ${reason}`);
  const capped = results
    .filter((r) => r.metrics?.maxRequests && r.metrics.seconds < settings.duration - 0.5)
    .map(
      (r) =>
        `\`${r.id}\` stopped after ${fmt(r.metrics.total)} requests (${fmt(r.metrics.seconds, 1)} s): with ~${fmt(r.files.perRequest, 1)} open files per request until eviction, more would pass workerd's limit of ${fmt(r.files.limit)} open files.`,
    );
  const notes = [...capped, ...runNotes];
  return `## Latest results

Run ${startedAt.toISOString()} (${fmt(seconds)} s) on ${env.machine}; ${env.runtime}.
autocannon, ${settings.connections} connections, ${settings.warmup} s warm-up then ${settings.duration} s measured per scenario;
one fresh server process per scenario (peak RSS = that process's VmHWM: workerd, or Node for the official SDK).
Durable Object storage: "memory" = ${env.memory ?? "not used in this run"}; "disk" = \`localDisk\` in bench/.work/disk.
Where requests create objects, the measured run starts once the warm-up's objects are evicted (each holds 3 open files${env.fileLimit ? `; workerd may open ${fmt(env.fileLimit)}` : ""}).

${scenarioTable(results)}

### Targets

${ratioTable(ratios(results))}
${orchestratorSection(results)}${problemLines.length ? `\n### Problems\n\n${problemLines.join("\n")}\n` : ""}${notes.length ? `\n${notes.map((n) => `- ${n}`).join("\n")}\n` : ""}`;
}

/**
 * The orchestrator's turn beside the demo's SendMessage from the same run, and its Postgres round trips per
 * turn from the sequential probe (bench/lib/orchestrator.mjs). Empty when `plat-orch-turn` did not run.
 */
function orchestratorSection(results) {
  const turn = results.find((r) => r.id === "plat-orch-turn");
  if (!turn?.metrics) return "";
  const demo = results.find((r) => r.id === "plat-send-rpc-mem" && r.metrics);
  const rows = [
    ["req/s", (r) => fmt(r.metrics.rps)],
    ["p50 / p99 ms", (r) => `${fmt(r.metrics.p50)} / ${fmt(r.metrics.p99)}`],
    ["server CPU µs per request (Worker + every object: one workerd process)", (r) => fmt(r.cpuUsPerRequest)],
    ["Postgres reads + writes per request, under load", (r) => (r.db ? `${fmt(r.db.reads, 2)} + ${fmt(r.db.writes, 2)}` : "–")],
  ];
  const extra = demo && turn.cpuUsPerRequest && demo.cpuUsPerRequest ? ` The turn costs ${fmt(turn.cpuUsPerRequest - demo.cpuUsPerRequest)} µs of CPU more than the demo's SendMessage (${fmt(turn.cpuUsPerRequest / demo.cpuUsPerRequest, 1)} ×).` : "";
  const trips = turn.inspect?.roundTrips;
  const model = trips?.model ?? "?";
  const comparison = [
    `| | ${demo ? "demo agent: JSON-RPC SendMessage (`plat-send-rpc-mem`)" : "demo agent (not measured in this run)"} | orchestrator turn (\`plat-orch-turn\`) |`,
    "|---|--:|--:|",
    ...rows.map(([name, value]) => `| ${name} | ${demo ? value(demo) : "–"} | ${value(turn)} |`),
  ].join("\n");
  let probe = "";
  if (trips) {
    const line = (name, s, reads) => {
      const verdict = s.reads.max <= reads && s.errors.max === 0 ? "met" : "NOT MET";
      return `| ${name} | ${s.turns} | ${fmt(s.reads.mean, 2)} (max ${s.reads.max}) | ${reads === 0 ? "none: nothing earlier to read" : "one"} | ${verdict} | ${fmt(s.writes.mean, 2)} (max ${s.writes.max}) | ${fmt(s.cpuUsPerTurn)} |`;
    };
    const loaded = turn.db ? fmt(turn.db.writes, 3) : "–";
    const batched = turn.db && turn.db.writes < 1 ? "met" : "NOT MET";
    probe = `
Postgres round trips per turn. One turn at a time, each measured alone once the database is quiet (every request the
Neon HTTP shim got, index writes included); the target is one read per turn, writes batched:

| turn | turns | reads / turn | reads needed | verdict | writes / turn, alone | server CPU µs / turn, alone |
|---|--:|--:|---|---|--:|--:|
${line("first turn, new context", trips.first, 0)}
${line("follow-up in an existing context (reads the earlier turns' messages)", trips.followUp, 1)}

Writes batched: ${batched}. A write is one statement carrying the task row and every message committed since the last
write. Under load the index writers put many tasks' writes into one statement: ${loaded} writes per turn in the measured run.
`;
  }
  return `
### Orchestrator turn

One orchestrator turn per request: JSON-RPC \`SendMessage\` to \`/agents/orchestrator/a2a/jsonrpc\`, each in a new context,
answered in one step by \`${model}\`${model.startsWith("offline") ? " (the offline model, the default with no provider configured: no network, no waiting)" : ""},
beside the demo agent's SendMessage in the same run.${extra}

${comparison}
${probe}`;
}

/** Replaces what stands between `<!-- {marker}:start -->` and `<!-- {marker}:end -->` in bench/README.md. */
export function updateReadmeSection(readme, marker, section) {
  if (!existsSync(readme)) return;
  const text = readFileSync(readme, "utf8");
  const start = `<!-- ${marker}:start -->`;
  const end = `<!-- ${marker}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) return;
  writeFileSync(readme, `${text.slice(0, i + start.length)}\n${section}\n${text.slice(j)}`);
}

// npm run eval: (1) catalog tokens against everything loaded monolithically, (2) the offline intent classifier
// on the labeled set (dev and held-out test), (3) the same set through a model when one is configured.
// `npm run eval -- --tune` searches the classifier's thresholds on the dev split only and prints the best.
import { classifyIntent } from "../../durable-objects/agents/orchestrator/prompt/intent";
import { classifyOffline, DEFAULT_PARAMS, type OfflineParams } from "../../durable-objects/agents/orchestrator/prompt/offline-intent";
import { policyFor, type RolePolicy } from "../../durable-objects/agents/orchestrator/prompt/roles";
import { ORCHESTRATOR_SKILLS } from "../../durable-objects/agents/orchestrator/prompt/skills";
import { parseDataset, type Example } from "./dataset";
import { metrics, pct, type Metrics, type Scored } from "./metrics";
import { evalModel } from "./model";
import { tokenBaseline } from "./tokens";

export interface EvalOptions {
  dataset: string;
  env: Record<string, string | undefined>;
  tune: boolean;
  verbose: boolean;
}

/** The expected answer for a role: a skill the role may not use is out of scope for it. */
const expectedFor = (policy: RolePolicy, ex: Example) => (ex.expected === "none" || policy.skills.includes(ex.expected) ? ex.expected : "none");
const currentFor = (policy: RolePolicy, ex: Example) => (ex.current && policy.skills.includes(ex.current) ? ex.current : null);

function offline(examples: readonly Example[], policy: RolePolicy, params: OfflineParams): Scored[] {
  return examples.map((ex) => ({
    ...ex,
    expected: expectedFor(policy, ex),
    predicted: classifyOffline({ message: ex.text, currentSkill: currentFor(policy, ex), allowed: policy.skills, known: ORCHESTRATOR_SKILLS }, params).skill,
  }));
}

const row = (label: string, m: Metrics) =>
  `| ${label.padEnd(22)} | ${String(m.n).padStart(3)} | ${pct(m.accuracy).padStart(7)} | ${pct(m.oosRecall).padStart(7)} | ${pct(m.oosPrecision).padStart(7)} | ${pct(m.inScopeAccuracy).padStart(7)} | ${pct(m.shiftAccuracy).padStart(7)} | ${pct(m.followUpAccuracy).padStart(7)} |`;
const HEADER = [
  "| set                    |   n |   top-1 | OOS rec | OOS pre | in-scope|  shifts | follow-up |",
  "|------------------------|----:|--------:|--------:|--------:|--------:|--------:|----------:|",
];

function table(title: string, scored: Scored[]): string[] {
  return [
    title,
    ...HEADER,
    row("dev", metrics(scored.filter((s) => s.split === "dev"))),
    row("test (held out)", metrics(scored.filter((s) => s.split === "test"))),
    row("all", metrics(scored)),
  ];
}

/**
 * Threshold and weight search on the dev split only. Each setting is scored on three folds of dev, and the
 * setting with the best mean minus spread wins: a setting that is good on one lucky fold does not.
 */
function tune(examples: readonly Example[], policy: RolePolicy): string[] {
  const dev = examples.filter((e) => e.split === "dev");
  const folds = [0, 1, 2].map((k) => dev.filter((_, i) => i % 3 === k));
  let best: { params: OfflineParams; score: number } | undefined;
  for (const body of [0.2, 0.4, 0.8])
    for (const k1 of [0.9, 1.2, 1.6])
      for (const prior of [0.5, 1, 1.5, 2, 3])
        for (const minScore of [1.5, 2, 2.5, 3])
          for (const minCoverage of [0.4, 0.5, 0.6])
            for (const minFollowUpCoverage of [0.3, 0.5, 0.7]) {
              const params = { ...DEFAULT_PARAMS, weights: { ...DEFAULT_PARAMS.weights, body }, k1, prior, minScore, minCoverage, minFollowUpCoverage };
              // Accuracy first; out-of-scope recall weighs in (a wrong guess is worse than "here is what I can do").
              const perFold = folds.map((f) => {
                const m = metrics(offline(f, policy, params));
                return m.accuracy + 0.25 * m.oosRecall;
              });
              const mean = perFold.reduce((a, b) => a + b, 0) / perFold.length;
              const spread = Math.sqrt(perFold.reduce((a, b) => a + (b - mean) ** 2, 0) / perFold.length);
              const score = mean - spread;
              if (!best || score > best.score + 1e-9) best = { params, score };
            }
  const p = best!.params;
  const d = metrics(offline(dev, policy, p));
  const t = metrics(offline(examples.filter((e) => e.split === "test"), policy, p));
  return [
    `best on dev: body ${p.weights.body}, k1 ${p.k1}, prior ${p.prior}, minScore ${p.minScore}, minCoverage ${p.minCoverage}, minFollowUpCoverage ${p.minFollowUpCoverage}`,
    `  dev top-1 ${pct(d.accuracy)}, OOS recall ${pct(d.oosRecall)}; held out: top-1 ${pct(t.accuracy)}, OOS recall ${pct(t.oosRecall)}`,
  ];
}

async function throughModel(examples: readonly Example[], policy: RolePolicy, env: EvalOptions["env"]) {
  const model = evalModel(env);
  if (!model) return { lines: ["(3) through a model: skipped (set OPENAI_BASE_URL and INTENT_MODEL or MODEL, and OPENAI_API_KEY if the endpoint needs one)"] };
  const scored: Scored[] = [];
  let input = 0, output = 0, latency = 0, fallbacks = 0;
  for (const ex of examples) {
    const intent = await classifyIntent({ message: ex.text, currentSkill: currentFor(policy, ex), policy, model });
    if (intent.source !== "model") fallbacks++;
    input += intent.usage.inputTokens;
    output += intent.usage.outputTokens;
    latency += intent.latencyMs;
    scored.push({ ...ex, expected: expectedFor(policy, ex), predicted: intent.skill });
  }
  return {
    lines: [
      ...table(`(3) through ${model.id} (role ${policy.role})`, scored),
      `per call: ${Math.round(input / examples.length)} input and ${Math.round(output / examples.length)} output tokens, ${Math.round(latency / examples.length)} ms; ${fallbacks} fell back to offline`,
    ],
  };
}

export async function runEval(options: EvalOptions): Promise<string> {
  const examples = parseDataset(options.dataset);
  const admin = policyFor("admin");
  const viewer = policyFor("viewer");
  const out: string[] = [];
  const t = tokenBaseline();
  out.push(
    `(1) baseline context, ${t.skills} orchestrator skills (tokens, tokenx estimate)`,
    `| catalog (tier 1, always) | all bodies + files (monolithic) | ratio | catalog + one body (typical turn) |`,
    `|---:|---:|---:|---:|`,
    `| ${t.catalog} | ${t.monolithic} | ${pct(t.ratio)} | ${t.typicalTurn} |`,
    `per skill (body / files): ${t.perSkill.map((s) => `${s.name} ${s.body}/${s.resources}`).join(", ")}`,
    "",
  );
  const counts = `${examples.length} utterances: ${examples.filter((e) => e.split === "dev").length} dev, ${examples.filter((e) => e.split === "test").length} held out; ` +
    `${examples.filter((e) => e.kind === "oos").length} out of scope, ${examples.filter((e) => e.kind === "shift").length} shifts, ${examples.filter((e) => e.kind === "follow-up").length} follow-ups`;
  const scored = offline(examples, admin, DEFAULT_PARAMS);
  out.push(`(2) offline classifier; ${counts}`, ...table("role admin (every skill)", scored), "");
  out.push(...table("role viewer (skills it may not use count as out of scope)", offline(examples, viewer, DEFAULT_PARAMS)), "");
  if (options.verbose) {
    // Only the dev split's misses are printed: the held-out split stays unseen while tuning.
    for (const s of scored.filter((r) => r.predicted !== r.expected && r.split === "dev")) {
      out.push(`  miss [${s.split}] ${s.current ?? "-"} → expected ${s.expected}, got ${s.predicted}: ${s.text}`);
    }
    out.push("");
  }
  if (options.tune) out.push("tuning (dev split only):", ...tune(examples, admin), "");
  out.push(...(await throughModel(examples, admin, options.env)).lines);
  return out.join("\n");
}

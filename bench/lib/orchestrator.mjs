// The orchestrator's own cost: one turn per request (JSON-RPC SendMessage at /agents/orchestrator/, each in a new
// context), answered by a model that costs nothing (the offline model, the default when no provider is set), and
// the Postgres round trips a turn makes (first turns in new contexts, then follow-ups in existing ones).
import { discoverTargets } from "./a2a-targets.mjs";
import { dbDelta, settledDbStats } from "./db-stats.mjs";
import { probe } from "./load.mjs";
import { cpuSeconds } from "./processes.mjs";

export const ORCHESTRATOR_PATH = "/agents/orchestrator";

const JSON_HEADERS = { "content-type": "application/json", "a2a-version": "1.0" };

/**
 * A whole turn in one model step: the role's policy, the intent step (offline), a skill made active (its body in
 * the prompt), then the offline model's answer (no tool is mentioned). A message no skill covers ("hi") would be
 * answered with the capability list without a model call, and measure less than a turn.
 */
const TURN_TEXT = "How healthy is our hiring funnel this quarter?";

/** The turn answered by the model (not the capability answer), by the orchestrator, and completed. */
const answeredTurn = (status, body) =>
  status < 300 && body.includes('"TASK_STATE_COMPLETED"') && body.includes('"stopReason":"answer"') && body.includes('"kind":"model"');

/**
 * @param {string} jsonRpcUrl  the orchestrator's JSON-RPC URL, from its card
 * @param {string} [contextId] a follow-up in this context; none: a new context per request
 */
function turnTarget(jsonRpcUrl, contextId) {
  const message = { messageId: "[<id>]", role: "ROLE_USER", parts: [{ text: TURN_TEXT }], ...(contextId ? { contextId } : {}) };
  return {
    url: jsonRpcUrl,
    method: "POST",
    headers: JSON_HEADERS,
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "SendMessage", params: { message } }),
    check: answeredTurn,
  };
}

/** The orchestrator's turn request, at the URL its own card advertises. */
export async function orchestratorTurn(baseUrl) {
  const { jsonRpcUrl } = await discoverTargets(baseUrl, { agentPath: ORCHESTRATOR_PATH });
  return { ...turnTarget(jsonRpcUrl), followUp: (contextId) => turnTarget(jsonRpcUrl, contextId) };
}

/** Which model answered, as the run state records it (`offline:rules`, `openai-compatible:…`). */
export const modelOf = (response) => response?.result?.task?.metadata?.orchestration?.model;

const mean = (values) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined);

function summary(deltas) {
  const of = (key) => ({ mean: mean(deltas.map((d) => d[key])), max: Math.max(...deltas.map((d) => d[key])) });
  return { turns: deltas.length, reads: of("reads"), writes: of("writes"), statements: of("statements"), errors: of("errors") };
}

/**
 * Sequential turns, each measured alone once the database has gone quiet: `turns` first turns, each in a new
 * context, then one follow-up in each of those contexts (it reads the earlier turn's messages once). Also the
 * server's CPU per turn of each kind, without load (`pid`: the workerd process; /proc counts 10 ms ticks, so this
 * is a coarse figure beside the measured run's).
 * @returns {Promise<{ model?: string, first: ReturnType<typeof summary>, followUp: ReturnType<typeof summary> }>}
 */
export async function roundTripsPerTurn(target, statsUrl, { pid, turns = 20 } = {}) {
  let stats = await settledDbStats(statsUrl);
  let model;
  const play = async (requests) => {
    const deltas = [];
    const responses = [];
    const cpuBefore = pid === undefined ? undefined : cpuSeconds(pid);
    for (const request of requests) {
      const response = await probe(request);
      const after = await settledDbStats(statsUrl);
      deltas.push(dbDelta(after, stats));
      responses.push(response);
      stats = after;
    }
    const cpuAfter = pid === undefined ? undefined : cpuSeconds(pid);
    const cpuUsPerTurn = cpuBefore === undefined || cpuAfter === undefined ? undefined : ((cpuAfter - cpuBefore) * 1e6) / requests.length;
    return { responses, summary: { ...summary(deltas), cpuUsPerTurn } };
  };
  const first = await play(Array.from({ length: turns }, () => target));
  model = modelOf(first.responses[0]);
  const followUp = await play(first.responses.map((response) => target.followUp(response.result.task.contextId)));
  return { model, first: first.summary, followUp: followUp.summary };
}

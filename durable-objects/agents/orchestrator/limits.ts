/**
 * The bounds of one run (a user message until the answer, a question for the user, or a stop), each from a
 * variable of the same name. Reaching one fails the task with a status message that names it.
 */
export interface RunLimits {
  /** Model calls (tool rounds) in one run. */
  MAX_STEPS: number;
  /** Prompt tokens over all the run's model calls, as the provider reports them. */
  MAX_INPUT_TOKENS: number;
  /** Completion tokens over all the run's model calls. */
  MAX_OUTPUT_TOKENS: number;
  /** Wall time from the run's start (a restart in between counts). */
  MAX_RUN_SECONDS: number;
  /** One tool call, unless the tool sets its own. */
  TOOL_TIMEOUT_MS: number;
  /** Spend over the run's model calls, from the model's price (`MODEL_PRICES`). */
  MAX_COST_USD: number;
}

export const DEFAULT_LIMITS: RunLimits = {
  MAX_STEPS: 12,
  MAX_INPUT_TOKENS: 400_000,
  MAX_OUTPUT_TOKENS: 32_000,
  MAX_RUN_SECONDS: 600,
  TOOL_TIMEOUT_MS: 60_000,
  MAX_COST_USD: 1,
};

/** The limits a deployment set, each a positive number; anything else keeps its default (and says so once). */
export function runLimits(env: Partial<Record<keyof RunLimits, string>>): RunLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as Array<keyof RunLimits>) {
    const raw = env[key];
    if (raw === undefined || raw === "") continue;
    const value = Number(raw);
    if (Number.isFinite(value) && value > 0) limits[key] = value;
    else console.warn(JSON.stringify({ at: "run-limits", ignored: key, value: raw.slice(0, 32) }));
  }
  return limits;
}

/**
 * A caller may tighten the deployment's limits for one message (`message.metadata.limits`, e.g. a budget per
 * request), never loosen them: each given positive number counts only where it is lower.
 */
export function tightened(limits: RunLimits, requested: unknown): RunLimits {
  if (!requested || typeof requested !== "object") return limits;
  const out = { ...limits };
  for (const key of Object.keys(limits) as Array<keyof RunLimits>) {
    const value = (requested as Record<string, unknown>)[key];
    if (typeof value === "number" && Number.isFinite(value) && value > 0) out[key] = Math.min(out[key], value);
  }
  return out;
}

/** What the run has used so far, checked against the limits before each model call and after it. */
export interface Spent {
  steps: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  startedAt: number;
}

/** The first limit `spent` has reached, as `[key, message]`, or undefined. */
export function reachedLimit(limits: RunLimits, spent: Spent, now = Date.now()): [keyof RunLimits, string] | undefined {
  if (spent.steps >= limits.MAX_STEPS) return ["MAX_STEPS", `the run reached its limit of ${limits.MAX_STEPS} model steps (MAX_STEPS)`];
  if (spent.inputTokens >= limits.MAX_INPUT_TOKENS) {
    return ["MAX_INPUT_TOKENS", `the run used ${spent.inputTokens} input tokens, its limit is ${limits.MAX_INPUT_TOKENS} (MAX_INPUT_TOKENS)`];
  }
  if (spent.outputTokens >= limits.MAX_OUTPUT_TOKENS) {
    return ["MAX_OUTPUT_TOKENS", `the run used ${spent.outputTokens} output tokens, its limit is ${limits.MAX_OUTPUT_TOKENS} (MAX_OUTPUT_TOKENS)`];
  }
  if (spent.costUsd >= limits.MAX_COST_USD) {
    return ["MAX_COST_USD", `the run cost $${spent.costUsd.toFixed(4)}, its budget is $${limits.MAX_COST_USD} (MAX_COST_USD)`];
  }
  if (now - spent.startedAt >= limits.MAX_RUN_SECONDS * 1000) {
    return ["MAX_RUN_SECONDS", `the run took longer than ${limits.MAX_RUN_SECONDS} s (MAX_RUN_SECONDS)`];
  }
  return undefined;
}

/** The providers a deployment can point the orchestrator at. */
export type ProviderName = "openai-compatible" | "workers-ai" | "anthropic" | "offline";

export interface ModelChoice {
  provider: ProviderName;
  /** The provider's model name (`gpt-4.1-mini`, `@cf/meta/…`, `claude-haiku-4-5`); `rules` for the offline model. */
  model: string;
}

/** What `modelFor` reads from the environment (wrangler vars, secrets, bindings). */
export interface ModelEnv {
  MODEL?: string;
  INTENT_MODEL?: string;
  OPENAI_BASE_URL?: string;
  OPENAI_API_KEY?: string;
  ANTHROPIC_API_KEY?: string;
  ANTHROPIC_BASE_URL?: string;
  AI?: Ai;
  MODEL_RETRIES?: string;
  MODEL_PRICES?: string;
  OFFLINE_MODEL_DELAY_MS?: string;
}

const PREFIX = /^(openai-compatible|openai|workers-ai|anthropic|offline):(.*)$/;

/**
 * Which provider serves `name` (MODEL or INTENT_MODEL). An explicit prefix decides (`anthropic:claude-haiku-4-5`,
 * `openai:gpt-4.1-mini`, `workers-ai:@cf/…`, `offline`); else `@cf/…` and `@hf/…` are Workers AI, an OpenAI base URL
 * or key makes it OpenAI-compatible (which covers LiteLLM, vLLM, llama-server, Ollama), and an Anthropic key alone
 * makes it Anthropic. With no model and no provider, the offline model; a model named without any provider
 * configured is a deployment error, said at once rather than quietly answered offline.
 */
export function chooseModel(name: string | undefined, env: ModelEnv): ModelChoice {
  const trimmed = name?.trim() ?? "";
  if (trimmed === "" || trimmed === "offline") {
    if (trimmed === "" && (env.OPENAI_BASE_URL || env.OPENAI_API_KEY || env.ANTHROPIC_API_KEY)) {
      throw new Error("a model provider is configured but MODEL is not set: set MODEL to the model's name (docs/models.md)");
    }
    return { provider: "offline", model: "rules" };
  }
  const prefixed = PREFIX.exec(trimmed);
  if (prefixed) {
    const provider = prefixed[1] === "openai" ? "openai-compatible" : (prefixed[1] as ProviderName);
    return { provider, model: prefixed[2] || "rules" };
  }
  if (trimmed.startsWith("@cf/") || trimmed.startsWith("@hf/")) return { provider: "workers-ai", model: trimmed };
  if (env.OPENAI_BASE_URL || env.OPENAI_API_KEY) return { provider: "openai-compatible", model: trimmed };
  if (env.ANTHROPIC_API_KEY) return { provider: "anthropic", model: trimmed };
  throw new Error(`MODEL=${trimmed} has no provider: set OPENAI_BASE_URL and/or OPENAI_API_KEY, ANTHROPIC_API_KEY, or use a Workers AI model with the AI binding (docs/models.md)`);
}

import type { LanguageModelV4 } from "@ai-sdk/provider";
import { chatModelOf } from "./chat-model";
import type { ChatModel } from "./model";
import { chooseModel, type ModelChoice, type ModelEnv } from "./model-config";
import { offlineModel } from "./offline";
import { anthropicModel } from "./providers/anthropic";
import { openAICompatibleModel, openAICompatibleOptions } from "./providers/openai-compatible";
import { workersAIModel } from "./providers/workers-ai";
import { retryPolicyOf } from "./retry";

export { ModelError, type ChatModel, type StepRequest, type StepResult, type ModelToolCall, type ToolSpec, type Usage } from "./model";
export { costOf, priceOf, pricesOf, PRICES, type Price } from "./prices";
export { chooseModel, type ModelChoice, type ModelEnv } from "./model-config";
export { OFFLINE_PREFIX, extendOfflineRules, offlineRules, type OfflineRule, type OfflineAction, type OfflineContext } from "./offline";

/** What the model is for: the orchestrator's loop, or intent classification (`INTENT_MODEL`, default `MODEL`). */
export type ModelPurpose = "main" | "intent";

/**
 * The ChatModel a run uses, from the deployment's environment (docs/models.md). Throws a plain Error naming the
 * variable to set when the configuration cannot work (a model without a provider, a Workers AI model without
 * the binding); provider failures during calls are ModelErrors.
 */
export function modelFor(env: ModelEnv, purpose: ModelPurpose = "main"): ChatModel {
  const name = purpose === "intent" ? env.INTENT_MODEL || env.MODEL : env.MODEL;
  const choice = chooseModel(name, env);
  const secrets = [env.OPENAI_API_KEY, env.ANTHROPIC_API_KEY].filter((key): key is string => Boolean(key));
  return chatModelOf(languageModelOf(choice, env), {
    id: `${choice.provider}:${choice.model}`,
    provider: choice.provider,
    offline: choice.provider === "offline",
    retry: retryPolicyOf(env),
    secrets,
    ...(choice.provider === "openai-compatible" ? { providerOptions: openAICompatibleOptions } : {}),
  });
}

function languageModelOf(choice: ModelChoice, env: ModelEnv): LanguageModelV4 {
  switch (choice.provider) {
    case "openai-compatible":
      return openAICompatibleModel(choice.model, env);
    case "workers-ai":
      return workersAIModel(choice.model, env);
    case "anthropic":
      return anthropicModel(choice.model, env);
    case "offline":
      return offlineModel({ chunkDelayMs: Number(env.OFFLINE_MODEL_DELAY_MS) || 0 });
  }
}

/**
 * A sentence for the agent card's description when the deployment runs the offline model, else "". Never throws:
 * a configuration error is reported where the model is used, not on the card.
 */
export function offlineCardNote(env: ModelEnv): string {
  try {
    if (chooseModel(env.MODEL, env).provider !== "offline") return "";
  } catch {
    return "";
  }
  return " It runs the built-in offline model: no language model is configured, so it answers by fixed rules (set MODEL, see docs/models.md).";
}

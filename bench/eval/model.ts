import { modelFor } from "../../durable-objects/agents/models";
import type { ChatModel } from "../../durable-objects/agents/models/model";

/**
 * The eval's intent model: the orchestrator's own `modelFor(env, "intent")` (INTENT_MODEL, else MODEL, with
 * OPENAI_BASE_URL / OPENAI_API_KEY, ANTHROPIC_API_KEY…; docs/models.md), or undefined when that is offline.
 */
export function evalModel(env: Record<string, string | undefined>): ChatModel | undefined {
  if (!env.INTENT_MODEL && !env.MODEL) return undefined;
  const model = modelFor(env as unknown as Env, "intent");
  return model.offline ? undefined : model;
}

import type { LanguageModelV4 } from "@ai-sdk/provider";
import { createWorkersAI } from "workers-ai-provider";

/**
 * Workers AI through the `AI` binding (`[ai] binding = "AI"` in wrangler.toml). It has no local simulation,
 * so a deployment without the binding is told so at once.
 */
export function workersAIModel(model: string, env: { AI?: Ai }): LanguageModelV4 {
  if (!env.AI) throw new Error(`MODEL=${model} is a Workers AI model but the AI binding is missing: add [ai] binding = "AI" to wrangler.toml`);
  return createWorkersAI({ binding: env.AI })(model);
}

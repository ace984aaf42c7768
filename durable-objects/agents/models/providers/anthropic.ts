import { createAnthropic } from "@ai-sdk/anthropic";
import type { LanguageModelV4 } from "@ai-sdk/provider";

/** Anthropic's Messages API (`ANTHROPIC_API_KEY`; `ANTHROPIC_BASE_URL` for a proxy). */
export function anthropicModel(model: string, env: { ANTHROPIC_API_KEY?: string; ANTHROPIC_BASE_URL?: string }): LanguageModelV4 {
  if (!env.ANTHROPIC_API_KEY) throw new Error(`MODEL=anthropic:${model} needs the ANTHROPIC_API_KEY secret`);
  return createAnthropic({
    apiKey: env.ANTHROPIC_API_KEY,
    ...(env.ANTHROPIC_BASE_URL ? { baseURL: env.ANTHROPIC_BASE_URL.replace(/\/+$/, "") } : {}),
  })(model);
}

import type { LanguageModelV4, LanguageModelV4FunctionTool, LanguageModelV4Prompt } from "@ai-sdk/provider";
import type { ModelMessage } from "ai";
import { convertToLanguageModelPrompt, standardizePrompt } from "ai/internal";
import type { ToolSpec } from "./model";

/**
 * The provider-level prompt for `system` + `messages`, converted by the AI SDK's own code (the conversion
 * `streamText` does), so every provider receives what it would from `streamText`. File URLs are never fetched
 * here: the Worker must not download what a user pointed at, so a URL goes to the provider as a URL.
 */
export async function toPrompt(model: LanguageModelV4, system: string, messages: ModelMessage[], signal: AbortSignal): Promise<LanguageModelV4Prompt> {
  const standard = await standardizePrompt({ system, messages });
  return convertToLanguageModelPrompt({
    prompt: standard,
    supportedUrls: await model.supportedUrls,
    download: async (files) => files.map(() => null),
    abortSignal: signal,
    provider: model.provider,
  });
}

export function toTools(specs: readonly ToolSpec[]): LanguageModelV4FunctionTool[] {
  return specs.map((spec) => ({ type: "function", name: spec.name, description: spec.description, inputSchema: spec.inputSchema }));
}

import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModelV4 } from "@ai-sdk/provider";

/** OpenAI's own endpoint, used when only OPENAI_API_KEY is set. */
export const OPENAI_URL = "https://api.openai.com/v1";

/**
 * Any server that speaks OpenAI's Chat Completions: OpenAI, a LiteLLM proxy, vLLM, llama-server, Ollama
 * (`http://127.0.0.1:11434/v1`). Usage is asked for in the stream (`stream_options.include_usage`); structured
 * output is sent as a non-strict `json_schema` (strict mode refuses optional fields, and the answer is validated
 * with zod anyway).
 */
export function openAICompatibleModel(model: string, env: { OPENAI_BASE_URL?: string; OPENAI_API_KEY?: string }): LanguageModelV4 {
  const provider = createOpenAICompatible({
    name: "openai-compatible",
    baseURL: (env.OPENAI_BASE_URL || OPENAI_URL).replace(/\/+$/, ""),
    ...(env.OPENAI_API_KEY ? { apiKey: env.OPENAI_API_KEY } : {}),
    includeUsage: true,
    supportsStructuredOutputs: true,
  });
  return provider.chatModel(model);
}

export const openAICompatibleOptions = { "openai-compatible": { strictJsonSchema: false } };

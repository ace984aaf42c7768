import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateObject } from "ai";
import type { ChatModel } from "../../durable-objects/agents/models/model";

/**
 * The eval's intent model: an OpenAI-compatible endpoint (OPENAI_BASE_URL, OPENAI_API_KEY) and INTENT_MODEL or
 * MODEL, called through the same ChatModel.object seam the orchestrator uses. Only `object` is needed here.
 */
export function evalModel(env: Record<string, string | undefined>): ChatModel | undefined {
  const name = env.INTENT_MODEL || env.MODEL;
  if (!name || !env.OPENAI_BASE_URL) return undefined;
  // json_schema response format (OpenAI, LiteLLM, vLLM, llama-server); OPENAI_STRUCTURED_OUTPUTS=false falls back to json_object.
  const provider = createOpenAICompatible({
    name: "openai-compatible", baseURL: env.OPENAI_BASE_URL, apiKey: env.OPENAI_API_KEY, includeUsage: true,
    supportsStructuredOutputs: env.OPENAI_STRUCTURED_OUTPUTS !== "false",
  });
  const model = provider.chatModel(name);
  return {
    id: `openai-compatible:${name}`,
    offline: false,
    step: () => Promise.reject(new Error("the eval model only classifies")),
    async object({ system, messages, schema, name: schemaName, signal }) {
      const out = await generateObject({ model, system, messages, schema, schemaName, abortSignal: signal, maxRetries: 2 });
      return { value: out.object as never, usage: { inputTokens: out.usage.inputTokens ?? 0, outputTokens: out.usage.outputTokens ?? 0 } };
    },
  };
}

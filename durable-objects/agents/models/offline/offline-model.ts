import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4Content, LanguageModelV4GenerateResult, LanguageModelV4StreamPart, LanguageModelV4Usage } from "@ai-sdk/provider";
import { estimateTokenCount } from "tokenx";
import { contextOf, type JsonSchema } from "./context";
import { decide, offlineRules, type OfflineAction, type OfflineRule } from "./rules";
import { minimalValue } from "./schema-value";

/** Every answer of the offline model starts with this, so nobody mistakes it for a language model. */
export const OFFLINE_PREFIX = "[offline model] ";

export interface OfflineModelOptions {
  /** The rule table (default: `offlineRules()`, the extensions then the built-in rules). */
  rules?: readonly OfflineRule[];
  /** Pause between streamed chunks, so streaming is visible in `npm run dev`; default 0. */
  chunkDelayMs?: number;
}

/**
 * The model used when no provider is configured: a real AI SDK LanguageModelV4 (so it goes through the same
 * ChatModel code as every provider), deterministic, answering by the rule table in ./rules.ts over the prompt's
 * last user message, the tools offered and this turn's tool results. It streams its text in several chunks.
 */
export function offlineModel(options: OfflineModelOptions = {}): LanguageModelV4 {
  const rulesOf = () => options.rules ?? offlineRules();
  return {
    specificationVersion: "v4",
    provider: "offline",
    modelId: "rules",
    supportedUrls: {},
    async doGenerate(call): Promise<LanguageModelV4GenerateResult> {
      if (call.responseFormat?.type === "json") {
        const text = JSON.stringify(minimalValue(call.responseFormat.schema as JsonSchema | undefined));
        return { content: [{ type: "text", text }], finishReason: { unified: "stop", raw: "stop" }, usage: usageOf(call, text), warnings: [] };
      }
      const { action } = decide(contextOf(call), rulesOf());
      const parts = partsOf(action, call);
      const content: LanguageModelV4Content[] = [];
      const text = textOf(action);
      if (text) content.push({ type: "text", text });
      for (const part of parts) if (part.type === "tool-call") content.push(part);
      return { content, finishReason: finishOf(action), usage: usageOf(call, text), warnings: [] };
    },
    async doStream(call) {
      const { action } = decide(contextOf(call), rulesOf());
      const parts: LanguageModelV4StreamPart[] = [{ type: "stream-start", warnings: [] }, ...partsOf(action, call), { type: "finish", finishReason: finishOf(action), usage: usageOf(call, textOf(action)) }];
      return { stream: streamOf(parts, options.chunkDelayMs ?? 0, call.abortSignal) };
    },
  };
}

const textOf = (action: OfflineAction): string => (action.say ? `${OFFLINE_PREFIX}${action.say}` : "");

const finishOf = (action: OfflineAction) => ("calls" in action && action.calls.length > 0 ? ({ unified: "tool-calls", raw: "tool_calls" } as const) : ({ unified: "stop", raw: "stop" } as const));

/** Text in chunks of a few words, then the tool calls with ids fixed by the turn's step (same prompt, same ids). */
function partsOf(action: OfflineAction, call: LanguageModelV4CallOptions): LanguageModelV4StreamPart[] {
  const parts: LanguageModelV4StreamPart[] = [];
  const text = textOf(action);
  if (text) {
    parts.push({ type: "text-start", id: "text" });
    for (const chunk of text.match(/\S+(?:\s+\S+){0,2}\s*/g) ?? [text]) parts.push({ type: "text-delta", id: "text", delta: chunk });
    parts.push({ type: "text-end", id: "text" });
  }
  const step = contextOf(call).step;
  ("calls" in action ? action.calls : []).forEach(({ tool, args }, i) => {
    const id = `offline-${step}-${i}`;
    const input = JSON.stringify(args);
    parts.push({ type: "tool-input-start", id, toolName: tool }, { type: "tool-input-delta", id, delta: input }, { type: "tool-input-end", id });
    parts.push({ type: "tool-call", toolCallId: id, toolName: tool, input });
  });
  return parts;
}

function usageOf(call: LanguageModelV4CallOptions, output: string): LanguageModelV4Usage {
  const input = estimateTokenCount(JSON.stringify(call.prompt));
  const produced = estimateTokenCount(output);
  return { inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: produced, text: produced, reasoning: undefined } };
}

function streamOf(parts: LanguageModelV4StreamPart[], delayMs: number, signal: AbortSignal | undefined): ReadableStream<LanguageModelV4StreamPart> {
  let next = 0;
  // highWaterMark 0: a part is made only when read, so a cancelled run stops at the part it was reading.
  return new ReadableStream(
    {
      async pull(controller) {
        const part = parts[next++];
        if (part && delayMs > 0 && part.type === "text-delta") await new Promise((resolve) => setTimeout(resolve, delayMs));
        if (signal?.aborted) return controller.error(signal.reason);
        if (!part) return controller.close();
        controller.enqueue(part);
      },
    },
    { highWaterMark: 0 },
  );
}

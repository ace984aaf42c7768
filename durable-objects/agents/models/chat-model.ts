import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4StreamPart, LanguageModelV4Usage } from "@ai-sdk/provider";
import { estimateTokenCount } from "tokenx";
import { z } from "zod";
import { ModelError, type ChatModel, type ModelToolCall, type StepRequest, type StepResult, type Usage } from "./model";
import { toModelError } from "./model-error";
import { toPrompt, toTools } from "./prompt";
import { DEFAULT_RETRY, isRetryable, retryDelay, sleep, type RetryPolicy } from "./retry";

export interface ChatModelOptions {
  /** `provider:model`. */
  id: string;
  /** The provider's name in errors and logs. */
  provider: string;
  offline?: boolean;
  retry?: RetryPolicy;
  /** Values removed from every error message (the provider's keys). */
  secrets?: readonly string[];
  /** Per-call provider options (e.g. structured-output strictness). */
  providerOptions?: LanguageModelV4CallOptions["providerOptions"];
}

/**
 * A ChatModel over any AI SDK LanguageModelV4. Each `step` is exactly one `doStream` call (plus retries of a call
 * that failed before its stream began): the provider layer of the SDK without `streamText`, so the loop alone
 * decides about tools, retries are ours (Retry-After capped, never after the first chunk), and the Worker does
 * not carry streamText's orchestration (≈ 60 KiB gz).
 */
export function chatModelOf(model: LanguageModelV4, options: ChatModelOptions): ChatModel {
  const settings = { retry: DEFAULT_RETRY, secrets: [], offline: false, ...options };
  return {
    id: options.id,
    offline: settings.offline,
    step: (request) => step(model, settings, request),
    object: (request) => object(model, settings, request),
  };
}

type Settings = Required<Omit<ChatModelOptions, "providerOptions">> & Pick<ChatModelOptions, "providerOptions">;

async function step(model: LanguageModelV4, settings: Settings, request: StepRequest): Promise<StepResult> {
  const prompt = await promptOf(model, settings, request);
  const tools = toTools(request.tools);
  const call: LanguageModelV4CallOptions = {
    prompt,
    ...(tools.length > 0 ? { tools, toolChoice: { type: "auto" } } : {}),
    ...(request.maxOutputTokens ? { maxOutputTokens: request.maxOutputTokens } : {}),
    ...(settings.providerOptions ? { providerOptions: settings.providerOptions } : {}),
    abortSignal: request.signal,
  };
  return withRetries(settings, request.signal, (progress) => streamOnce(model, call, request, progress));
}

/** Whether the attempt's stream has begun: from then on a failure is final. */
interface Progress {
  begun: boolean;
}

async function withRetries<T>(settings: Settings, signal: AbortSignal, attempt: (progress: Progress) => Promise<T>): Promise<T> {
  for (let n = 0; ; n++) {
    const progress: Progress = { begun: false };
    try {
      return await attempt(progress);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (progress.begun || n >= settings.retry.retries || !isRetryable(error)) {
        throw toModelError(error, settings.provider, settings.secrets, progress.begun ? "the stream failed after it began" : undefined);
      }
      const delayMs = retryDelay(error, n + 1, settings.retry);
      const status = (error as { statusCode?: number }).statusCode ?? null;
      console.log(JSON.stringify({ at: "model-retry", model: settings.id, attempt: n + 1, status, delayMs }));
      await sleep(delayMs, signal);
    }
  }
}

async function streamOnce(model: LanguageModelV4, call: LanguageModelV4CallOptions, request: StepRequest, progress: Progress): Promise<StepResult> {
  const { stream } = await model.doStream(call);
  const reader = stream.getReader();
  let text = "";
  const toolCalls: ModelToolCall[] = [];
  let finish: Extract<LanguageModelV4StreamPart, { type: "finish" }> | undefined;
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      const part = next.value;
      // Nothing reaches the run after it was cancelled, whatever the provider still had buffered.
      if (request.signal.aborted) throw request.signal.reason;
      if (part.type === "stream-start") continue;
      if (!progress.begun) {
        progress.begun = true;
        request.onStreamStart?.();
      }
      if (part.type === "text-delta" && part.delta) {
        text += part.delta;
        request.onTextDelta(part.delta);
      } else if (part.type === "tool-call") toolCalls.push(toolCallOf(part.toolCallId, part.toolName, part.input));
      else if (part.type === "finish") finish = part;
      else if (part.type === "error") throw part.error;
    }
  } catch (error) {
    // Closes the provider's connection; the stream may already be errored, which is fine.
    await reader.cancel().catch(() => undefined);
    throw error;
  }
  // A stream that stopped without saying it finished (Workers AI reports "error" then) is a failure, not an answer.
  const unified = finish?.finishReason.unified;
  if (!finish || unified === "error" || unified === "interrupted") {
    throw new Error(`the stream ended without finishing (${finish?.finishReason.raw ?? unified ?? "no finish"})`);
  }
  return {
    text,
    toolCalls,
    usage: usageOf(finish.usage, () => JSON.stringify(call.prompt), () => text + JSON.stringify(toolCalls)),
    finishReason: finish.finishReason.unified,
  };
}

/** Arguments that are not JSON come back as `inputError` (the loop tells the model), never as a crash. */
export function toolCallOf(id: string, name: string, input: string): ModelToolCall {
  if (input.trim() === "") return { id, name, input: {} };
  try {
    return { id, name, input: JSON.parse(input) };
  } catch {
    return { id, name, input: undefined, inputError: input };
  }
}

/** The provider's own counts; a provider that reports none gets an estimate, marked as one, so budgets still bind. */
function usageOf(usage: LanguageModelV4Usage, input: () => string, output: () => string): Usage {
  const inputTokens = usage.inputTokens.total;
  const outputTokens = usage.outputTokens.total;
  if (inputTokens !== undefined && outputTokens !== undefined) return { inputTokens, outputTokens };
  return { inputTokens: inputTokens ?? estimateTokenCount(input()), outputTokens: outputTokens ?? estimateTokenCount(output()), estimated: true };
}

async function promptOf(model: LanguageModelV4, settings: Settings, request: { system: string; messages: StepRequest["messages"]; signal: AbortSignal }) {
  try {
    return await toPrompt(model, request.system, request.messages, request.signal);
  } catch (error) {
    // A prompt the SDK refuses (e.g. a tool call without its result) is our bug, not the provider's.
    throw toModelError(error, settings.provider, settings.secrets, "invalid prompt");
  }
}

async function object<T>(
  model: LanguageModelV4,
  settings: Settings,
  request: Parameters<ChatModel["object"]>[0] & { schema: z.ZodType<T> },
): Promise<{ value: T; usage: Usage }> {
  const prompt = await promptOf(model, settings, request);
  const schema = z.toJSONSchema(request.schema, { target: "draft-7", unrepresentable: "any" }) as Record<string, unknown>;
  const call: LanguageModelV4CallOptions = {
    prompt,
    responseFormat: { type: "json", schema, name: request.name },
    ...(settings.providerOptions ? { providerOptions: settings.providerOptions } : {}),
    abortSignal: request.signal,
  };
  const answer = await withRetries(settings, request.signal, async () => model.doGenerate(call));
  const text = answer.structuredOutputText ?? answer.content.map((part) => (part.type === "text" ? part.text : "")).join("");
  const parsed = request.schema.safeParse(parseJson(text));
  if (!parsed.success) {
    throw new ModelError(`${settings.provider}: the answer does not match ${request.name}: ${z.prettifyError(parsed.error).slice(0, 300)}`, settings.provider);
  }
  return { value: parsed.data, usage: usageOf(answer.usage, () => JSON.stringify(prompt), () => text) };
}

/** JSON, also when a model wraps it in a Markdown fence despite being asked for JSON. */
function parseJson(text: string): unknown {
  const unfenced = text.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/, "$1");
  try {
    return JSON.parse(unfenced);
  } catch {
    return undefined;
  }
}

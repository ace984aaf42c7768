import type { ModelMessage } from "ai";
import type { z } from "zod";

/** A tool as the model is offered it: the JSON Schema comes from the tool's zod schema (`z.toJSONSchema`). */
export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/** One model call of the loop: the prompt, the tools offered, and where streamed text goes. */
export interface StepRequest {
  system: string;
  messages: ModelMessage[];
  tools: ToolSpec[];
  signal: AbortSignal;
  maxOutputTokens?: number;
  /** Each piece of text as the provider streams it; never called again for a retried attempt's text. */
  onTextDelta(delta: string): void;
  /** Called once the provider's stream has begun (its first chunk): from then on the call is not retried. */
  onStreamStart?(): void;
}

/** A tool call as the model made it: `input` is the parsed arguments, or undefined with `inputError`. */
export interface ModelToolCall {
  id: string;
  name: string;
  input: unknown;
  /** The arguments as the model wrote them, when they were not valid JSON. */
  inputError?: string;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** The provider reported no counts, so these are estimates (tokenx): budgets still bind, less exactly. */
  estimated?: boolean;
}

/** The model's complete response to one step. */
export interface StepResult {
  text: string;
  toolCalls: ModelToolCall[];
  usage: Usage;
  /** "stop", "tool-calls", "length", "content-filter", "error", "other". */
  finishReason: string;
}

/**
 * The model seam of the orchestrator: the loop calls `step` once per loop step (one provider call), the
 * intent classifier calls `object`. Implementations sit on the Vercel AI SDK's providers; the offline model
 * is one of them (a LanguageModelV4 scripted by rules), so every path is the same code.
 */
export interface ChatModel {
  /** `provider:model`, as logged and shown in the task's `metadata.orchestration.model`. */
  readonly id: string;
  /** True for the built-in offline model (no provider configured). */
  readonly offline: boolean;
  /**
   * One provider call. Rejects with a ModelError when the provider fails for good (retried before the stream
   * began, never after), or with `signal.reason` once the signal aborts.
   */
  step(request: StepRequest): Promise<StepResult>;
  /** One structured-output call: `value` is validated against `schema`. */
  object<T>(request: { system: string; messages: ModelMessage[]; schema: z.ZodType<T>; name: string; signal: AbortSignal }): Promise<{ value: T; usage: Usage }>;
}

/**
 * A provider call that failed for good (after its retries): the provider's HTTP status and message, never a
 * key or a header. The loop fails the task with it rather than disguising it as an answer.
 */
export class ModelError extends Error {
  override name = "ModelError";
  constructor(
    message: string,
    readonly provider: string,
    readonly status?: number,
    readonly retryable = false,
  ) {
    super(message);
  }
}

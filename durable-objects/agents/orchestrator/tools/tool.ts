import type { z } from "zod";
import type { Artifact, Message, Part } from "../../../../schema/a2a";
import type { A2uiClient } from "../../../../schema/a2ui/extension";

/** Who the run acts for, from the verified credentials of the message that started it. */
export interface ToolCaller {
  owner: string;
  tenant: string;
  /** The role from the credentials (`AUTH_ROLE_CLAIM`, an API key's `role`), or the deployment's default role. */
  role: string;
  authenticated: boolean;
}

/** What a tool may show in the task's stream while it runs: child-task progress, UI surfaces. */
export interface ToolEmitter {
  /** Adds or replaces (or with `append`, extends) an artifact of the task. */
  artifact(artifact: Artifact, options?: { append?: boolean; lastChunk?: boolean }): void;
  /** A WORKING status update whose message carries `content` (text or parts, e.g. A2UI data parts). */
  status(content: string | Part[], metadata?: Record<string, unknown>): void;
}

/** Everything a tool call knows besides its arguments. */
export interface ToolContext {
  /** Aborts on CancelTask, on the run's wall-time limit and on the tool's own timeout. */
  signal: AbortSignal;
  caller: ToolCaller;
  /**
   * The same for every attempt at this one call, across restarts: `${taskId}/${step}/${callId}`. A tool with
   * side effects passes it downstream (a messageId, an Idempotency-Key header) so a repeat is recognised.
   */
  idempotencyKey: string;
  taskId: string;
  contextId: string;
  /** The deployment's bindings and secrets. */
  env: Env;
  emit: ToolEmitter;
  /**
   * The A2UI renderer of the client whose message this call answers, from `a2uiClientOf(request)`
   * (tools/ui-client.ts); unset, UI tools show their content as text.
   */
  a2ui?: A2uiClient;
}

/**
 * What a call produced: a result for the model (`isError` tells it the call failed, with `value` saying why),
 * or a question for the user. On `input-required` the task waits for the user; their next message resumes
 * the run, and `resume` (or, without one, the answer's text) becomes this call's result.
 */
export type ToolOutcome =
  | { kind: "result"; value: unknown; isError?: boolean }
  | { kind: "input-required"; prompt: string | Part[]; state?: unknown };

/**
 * The one contract every tool follows — built-ins, skill resources, UI events, MCP tools and other A2A agents.
 * Arguments are validated with `input` before `execute` runs (a failure goes back to the model as an error
 * result); the model sees the JSON Schema derived from it.
 * @example
 * const now: Tool<{ zone: string }> = {
 *   name: "current_time", description: "The current time in an IANA time zone.",
 *   input: z.object({ zone: z.string() }), sideEffects: false,
 *   async execute({ zone }) { return result(new Date().toLocaleString("en-GB", { timeZone: zone })); },
 * };
 */
export interface Tool<I = any> {
  /** `^[a-zA-Z0-9_-]{1,64}$`: what every provider accepts as a function name. */
  name: string;
  description: string;
  input: z.ZodType<I>;
  /**
   * The JSON Schema the model is shown, when it is not derived from `input` (`z.toJSONSchema`): an MCP tool
   * brings its own, and validates against it inside `input`.
   */
  jsonSchema?: Record<string, unknown>;
  /** True when a call changes something outside the run (a record, a message sent, a child task). */
  sideEffects: boolean;
  /**
   * A side-effecting tool that honours `idempotencyKey`: after a restart, a call that started but never
   * finished is run again with the same key. Without it, such a call is reported to the model as interrupted.
   */
  idempotent?: boolean;
  /** Overrides the run's per-tool timeout. */
  timeoutMs?: number;
  execute(args: I, ctx: ToolContext): Promise<ToolOutcome>;
  /** Continues a call that asked for input, with the user's answer. */
  resume?(state: unknown, answer: Message, ctx: ToolContext): Promise<ToolOutcome>;
}

export const result = (value: unknown): ToolOutcome => ({ kind: "result", value });
export const toolError = (message: string, details?: Record<string, unknown>): ToolOutcome => ({
  kind: "result",
  value: { error: message, ...details },
  isError: true,
});
export const askUser = (prompt: string | Part[], state?: unknown): ToolOutcome => ({ kind: "input-required", prompt, ...(state !== undefined ? { state } : {}) });

export const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

import type { Artifact, Message, Part, SendMessageConfiguration, Task, TaskState } from "../schema/a2a";
import type { Caller } from "./sql";

export type { Caller };

/** What an agent is asked to do: one user message, in one task, in one context. */
export interface ExecutionRequest {
  taskId: string;
  contextId: string;
  /** The user message that started this run (a new task, or a follow-up to an interrupted one). */
  message: Message;
  /** The task as it stands, with its whole history; undefined until the agent's first event creates it. */
  task: Task | undefined;
  configuration: SendMessageConfiguration | undefined;
  metadata: Record<string, unknown> | undefined;
  /** Who sent the message: owner and tenant (the task's scope) and the role from the credentials. */
  caller: Caller & { owner: string; tenant: string };
  /**
   * True when a resumable agent's run is started again after its object restarted mid-run (an eviction, a
   * deploy, a crash): `message` is the one that started the interrupted run, and everything the run had
   * committed is in `task`.
   */
  resumed: boolean;
}

/**
 * What an agent gets from its deployment: the Worker's bindings and secrets (`env.MY_SECRET`, `env.AI`, a
 * service binding…) and which hosted agent it runs as.
 */
export interface AgentContext {
  env: Env;
  /** The hosted agent's id (its path is `/agents/{agentId}/`). */
  agentId: string;
}

/**
 * How an agent reports progress. Every call is committed to the task's storage before it returns, so an
 * agent can stream partial output, ask for input and run for minutes; `signal` aborts on CancelTask.
 */
export interface TaskUpdater {
  readonly taskId: string;
  readonly contextId: string;
  readonly signal: AbortSignal;
  /**
   * Move the task to `state`; a string or parts become an agent message in `status.message` and history.
   * `metadata` goes on the message (`messageMetadata`) and on the stream's status update event (`eventMetadata`).
   */
  status(state: TaskState, message?: string | Part[], options?: { messageMetadata?: Record<string, unknown>; eventMetadata?: Record<string, unknown> }): void;
  /** Merge keys into the task's own `metadata` (seen by GetTask, ListTasks and the next streamed task snapshot). */
  metadata(patch: Record<string, unknown>): void;
  /** Resolves once Postgres has everything committed so far (history reads by later runs then see it). */
  flushed(): Promise<void>;
  /** Add or replace an artifact, or with `append` add parts to one already sent (chunked output). */
  artifact(artifact: Artifact, options?: { append?: boolean; lastChunk?: boolean }): void;
  /** Answer with a single Message and no task; allowed only as the first and only event of a new task. */
  reply(message: string | Part[]): void;
  /** The current task snapshot, or undefined if no event has created it yet. */
  snapshot(): Task | undefined;
}

/**
 * The seam where an agent plugs into a task: the task's Durable Object calls `execute` for each user
 * message and `cancel` on CancelTask (after aborting `updater.signal`).
 * @example
 * const echo: AgentExecutor = {
 *   async execute(req, task) { task.status("TASK_STATE_COMPLETED", `You said: ${textOf(req.message)}`); },
 *   async cancel() {},
 * };
 */
export interface AgentExecutor {
  execute(request: ExecutionRequest, updater: TaskUpdater, context: AgentContext): Promise<void>;
  cancel(request: { taskId: string; contextId: string }, updater: TaskUpdater, context: AgentContext): Promise<void>;
  /**
   * A resumable agent's run survives its object's restart: while it runs, the object keeps an alarm set, and
   * a restarted object calls `execute` again with `resumed: true` (the agent picks up from what it committed).
   * Without it, a run cut short by a restart fails its task.
   */
  readonly resumable?: boolean;
}

/** The text of a message's text parts, joined by newlines. */
export function textOf(message: Message): string {
  return message.parts
    .map((part) => part.text)
    .filter((text): text is string => text !== undefined)
    .join("\n");
}

/** An agent message about `about`'s task and context, from text or parts. */
export function agentMessage(about: Message, content: string | Part[], metadata?: Record<string, unknown>): Message {
  return {
    messageId: crypto.randomUUID(),
    role: "ROLE_AGENT",
    parts: typeof content === "string" ? [{ text: content }] : content,
    taskId: about.taskId,
    contextId: about.contextId,
    ...(metadata ? { metadata } : {}),
  };
}

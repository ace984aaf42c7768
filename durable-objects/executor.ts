import type { Artifact, Message, Part, SendMessageConfiguration, Task, TaskState } from "../schema/a2a";

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
}

/**
 * How an agent reports progress. Every call is committed to the task's storage before it returns, so an
 * agent can stream partial output, ask for input and run for minutes; `signal` aborts on CancelTask.
 */
export interface TaskUpdater {
  readonly taskId: string;
  readonly contextId: string;
  readonly signal: AbortSignal;
  /** Move the task to `state`; a string or parts become an agent message in `status.message` and history. */
  status(state: TaskState, message?: string | Part[]): void;
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
  execute(request: ExecutionRequest, updater: TaskUpdater): Promise<void>;
  cancel(request: { taskId: string; contextId: string }, updater: TaskUpdater): Promise<void>;
}

/** The text of a message's text parts, joined by newlines. */
export function textOf(message: Message): string {
  return message.parts
    .map((part) => part.text)
    .filter((text): text is string => text !== undefined)
    .join("\n");
}

/** An agent message about `about`'s task and context, from text or parts. */
export function agentMessage(about: Message, content: string | Part[]): Message {
  return {
    messageId: crypto.randomUUID(),
    role: "ROLE_AGENT",
    parts: typeof content === "string" ? [{ text: content }] : content,
    taskId: about.taskId,
    contextId: about.contextId,
  };
}

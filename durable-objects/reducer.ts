import {
  INTERRUPTED_STATES,
  TERMINAL_STATES,
  type Artifact,
  type Message,
  type StreamResponse,
  type Task,
  type TaskState,
  type TaskStatus,
} from "../schema/a2a";

/** Everything that can happen to a task, in the order the task object commits it. */
export type TaskEvent =
  | { kind: "created"; task: Task }
  | { kind: "message"; message: Message }
  | { kind: "status"; status: TaskStatus; metadata?: Record<string, unknown> }
  | { kind: "artifact"; artifact: Artifact; append?: boolean; lastChunk?: boolean }
  /** Keys merged into the task's own metadata (an agent's visible run state); not a stream event of its own. */
  | { kind: "metadata"; metadata: Record<string, unknown> };

export class TransitionError extends Error {
  override name = "TransitionError";
}

export const isTerminal = (state: TaskState) => TERMINAL_STATES.has(state);
export const isInterrupted = (state: TaskState) => INTERRUPTED_STATES.has(state);

/** REFERENCE §4: terminal states are final; interrupted states resume to WORKING or end; nothing returns to SUBMITTED. */
export function canTransition(from: TaskState, to: TaskState): boolean {
  if (isTerminal(from) || to === "TASK_STATE_SUBMITTED") return false;
  if (isInterrupted(from)) return to === "TASK_STATE_WORKING" || isTerminal(to);
  return true;
}

/** The pure reducer: the task after `event`, or a TransitionError. Never mutates its input. */
export function apply(task: Task | undefined, event: TaskEvent): Task {
  if (event.kind === "created") {
    if (task) throw new TransitionError(`task ${task.id} already exists`);
    return event.task;
  }
  if (!task) throw new TransitionError(`no task to apply a ${event.kind} event to`);
  switch (event.kind) {
    case "message":
      if (isTerminal(task.status.state)) throw new TransitionError(`task ${task.id} is ${task.status.state}`);
      return { ...task, history: appendMessage(task.history, event.message) };
    case "status": {
      const from = task.status.state;
      if (!canTransition(from, event.status.state)) {
        throw new TransitionError(`task ${task.id} cannot move from ${from} to ${event.status.state}`);
      }
      const history = event.status.message ? appendMessage(task.history, event.status.message) : task.history;
      return { ...task, status: event.status, history };
    }
    case "artifact":
      if (isTerminal(task.status.state)) throw new TransitionError(`task ${task.id} is ${task.status.state}`);
      return { ...task, artifacts: mergeArtifact(task.artifacts ?? [], event.artifact, event.append ?? false) };
    case "metadata":
      return { ...task, metadata: { ...task.metadata, ...event.metadata } };
  }
}

function appendMessage(history: Message[] | undefined, message: Message): Message[] {
  const existing = history ?? [];
  return existing.some((m) => m.messageId === message.messageId) ? existing : [...existing, message];
}

/** `append` adds the chunk's parts to the artifact with the same id; otherwise the artifact is added or replaced. */
function mergeArtifact(artifacts: Artifact[], artifact: Artifact, append: boolean): Artifact[] {
  const index = artifacts.findIndex((a) => a.artifactId === artifact.artifactId);
  if (index === -1) return [...artifacts, artifact];
  const previous = artifacts[index]!;
  // A closing chunk that only says `lastChunk` (an empty text part) adds nothing to the stored artifact.
  const added = artifact.parts.filter((part) => part.text !== "");
  const merged: Artifact = append
    ? { ...previous, parts: [...previous.parts, ...added], ...metadataOf(previous, artifact) }
    : artifact;
  return artifacts.map((a, i) => (i === index ? merged : a));
}

function metadataOf(previous: Artifact, chunk: Artifact): Pick<Artifact, "metadata"> {
  if (!previous.metadata && !chunk.metadata) return {};
  return { metadata: { ...previous.metadata, ...chunk.metadata } };
}

/** The wire form of an event for streams and webhooks (REFERENCE §5); user follow-ups are not streamed back. */
export function toStreamResponse(task: Task, event: TaskEvent): StreamResponse | undefined {
  switch (event.kind) {
    case "created":
      return { task };
    case "status":
      return {
        statusUpdate: {
          taskId: task.id,
          contextId: task.contextId,
          status: event.status,
          ...(event.metadata ? { metadata: event.metadata } : {}),
        },
      };
    case "artifact":
      return {
        artifactUpdate: {
          taskId: task.id,
          contextId: task.contextId,
          artifact: event.artifact,
          ...(event.append ? { append: true } : {}),
          ...(event.lastChunk ? { lastChunk: true } : {}),
        },
      };
    case "message":
    case "metadata":
      return undefined;
  }
}

/** A task as a client asked to see it: `historyLength` 0 omits history, n keeps the n most recent. */
export function viewTask(task: Task, options: { historyLength?: number | undefined; includeArtifacts?: boolean } = {}): Task {
  const { history, artifacts, ...rest } = task;
  const view: Task = { ...rest };
  const limit = options.historyLength;
  if (history && history.length > 0 && limit !== 0) {
    view.history = limit === undefined ? history : history.slice(-limit);
  }
  if (artifacts && artifacts.length > 0 && options.includeArtifacts !== false) view.artifacts = artifacts;
  return view;
}

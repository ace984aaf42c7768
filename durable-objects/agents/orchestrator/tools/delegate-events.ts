import { StreamResponse as SdkStreamResponse } from "@a2a-js/sdk";
import type { Artifact, Message, Part, StreamResponse, Task, TaskState } from "../../../../schema/a2a";
import type { ToolEmitter } from "./tool";

/** The most text a tool result carries back to the model from one child's answer. */
const RESULT_TEXT_LIMIT = 8000;

/** What one child task has shown so far, folded from its events. */
export interface ChildView {
  agentId: string;
  taskId?: string;
  contextId?: string;
  state?: TaskState;
  /** The agent's last status message (its answer, or its question when it needs input). */
  message?: Message;
  /** A direct Message answer instead of a task. */
  reply?: Message;
  artifacts: Map<string, Artifact>;
}

export const newChildView = (agentId: string): ChildView => ({ agentId, artifacts: new Map() });

/** The SDK's event in the wire (ProtoJSON) form the platform's own types describe. */
export const toWire = (event: SdkStreamResponse): StreamResponse => SdkStreamResponse.toJSON(event) as StreamResponse;

/** The marker on everything of a child shown in the parent's stream: which agent and which of its tasks. */
const marker = (view: ChildView, extra: Record<string, unknown> = {}) => ({
  delegation: { agentId: view.agentId, taskId: view.taskId, contextId: view.contextId, ...extra },
});

function statusContent(view: ChildView, state: TaskState, message: Message | undefined): Part[] {
  if (message?.parts.length) return message.parts;
  return [{ text: `${view.agentId}: ${state.replace("TASK_STATE_", "").toLowerCase().replace(/_/g, "-")}` }];
}

/**
 * Folds one child event into `view` and shows it in the parent's stream as it arrives: the child's task and its
 * status updates as WORKING status updates of the parent, its artifacts as parent artifacts (ids prefixed with
 * the child's task id, so two children never collide; `append`/`lastChunk` kept), each marked with
 * `metadata.delegation = { agentId, taskId, contextId, … }`.
 */
export function showChildEvent(view: ChildView, event: StreamResponse, emit: ToolEmitter): void {
  if ("task" in event) {
    applyTask(view, event.task);
    emit.status(statusContent(view, event.task.status.state, event.task.status.message), marker(view, { state: event.task.status.state }));
    return;
  }
  if ("message" in event) {
    view.reply = event.message;
    view.taskId ??= event.message.taskId;
    return;
  }
  if ("statusUpdate" in event) {
    const { status, taskId, contextId } = event.statusUpdate;
    view.taskId ??= taskId;
    view.contextId ??= contextId;
    view.state = status.state;
    if (status.message) view.message = status.message;
    emit.status(statusContent(view, status.state, status.message), marker(view, { state: status.state }));
    return;
  }
  if ("artifactUpdate" in event) {
    const { artifact, append, lastChunk } = event.artifactUpdate;
    const known = view.artifacts.get(artifact.artifactId);
    view.artifacts.set(artifact.artifactId, append && known ? { ...known, parts: [...known.parts, ...artifact.parts] } : artifact);
    emit.artifact(
      {
        ...artifact,
        artifactId: `${view.taskId ?? view.agentId}/${artifact.artifactId}`,
        metadata: { ...(artifact.metadata ?? {}), ...marker(view, { artifactId: artifact.artifactId }) },
      },
      { ...(append ? { append } : {}), ...(lastChunk ? { lastChunk } : {}) },
    );
  }
}

/** Takes a task snapshot (a stream's first event, or GetTask after a reconnect) as the child's state. */
export function applyTask(view: ChildView, task: Task): void {
  view.taskId = task.id;
  view.contextId = task.contextId;
  view.state = task.status.state;
  if (task.status.message) view.message = task.status.message;
  for (const artifact of task.artifacts ?? []) view.artifacts.set(artifact.artifactId, artifact);
}

const textOfParts = (parts: Part[]) =>
  parts
    .map((p) => p.text)
    .filter((t): t is string => t !== undefined)
    .join("\n");

/** The child's answer for the model: state, the agent's last words, and its artifacts (text and data), bounded. */
export function childResult(view: ChildView) {
  let budget = RESULT_TEXT_LIMIT;
  const take = (text: string) => {
    const kept = text.slice(0, Math.max(0, budget));
    budget -= kept.length;
    return kept.length < text.length ? `${kept}…` : kept;
  };
  const message = view.reply ?? view.message;
  return {
    agent: view.agentId,
    ...(view.taskId ? { taskId: view.taskId } : {}),
    state: (view.state ?? (view.reply ? "TASK_STATE_COMPLETED" : "TASK_STATE_UNSPECIFIED")).replace("TASK_STATE_", "").toLowerCase().replace(/_/g, "-"),
    ...(message ? { text: take(textOfParts(message.parts)) } : {}),
    artifacts: [...view.artifacts.values()].map((a) => ({
      ...(a.name ? { name: a.name } : {}),
      ...(textOfParts(a.parts) ? { text: take(textOfParts(a.parts)) } : {}),
      ...(a.parts.some((p) => p.data !== undefined) ? { data: a.parts.filter((p) => p.data !== undefined).map((p) => p.data) } : {}),
    })),
  };
}

import type { Artifact, Message, StreamResponse, Task } from "../a2a/types";

/** Where something appears in the chat: messages and artifacts in the order they first arrived. */
export type Entry = { kind: "message"; id: string } | { kind: "artifact"; id: string };

/** One raw event as the inspector lists it. */
export interface RawEvent {
  id?: number;
  at: string;
  kind: string;
  raw: string;
}

/** A task as the console has seen it: the task itself, plus arrival order, state timeline and raw events. */
export interface TaskView {
  task: Task;
  entries: Entry[];
  timeline: { state: string; at: string; eventId?: number }[];
  events: RawEvent[];
  /** The last SSE id applied: a reconnect asks for what came after it. */
  lastEventId?: number;
}

export const newTaskView = (task: Task): TaskView => ({ task: { ...task, history: [], artifacts: [] }, entries: [], timeline: [], events: [] });

const hasEntry = (view: TaskView, entry: Entry) => view.entries.some((known) => known.kind === entry.kind && known.id === entry.id);

/** Adds a message to the history and the chat order; `after` places it behind a message already shown. */
export function addMessage(view: TaskView, message: Message, after?: string): void {
  const history = (view.task.history ??= []);
  if (!history.some((known) => known.messageId === message.messageId)) history.push(message);
  const entry: Entry = { kind: "message", id: message.messageId };
  if (hasEntry(view, entry)) return;
  const at = after === undefined ? -1 : view.entries.findIndex((known) => known.kind === "message" && known.id === after);
  if (at < 0) view.entries.push(entry);
  else view.entries.splice(at + 1, 0, entry);
}

function noteState(view: TaskView, state: string, at: string | undefined, eventId?: number): void {
  const last = view.timeline.at(-1);
  if (last?.state === state) return;
  view.timeline.push({ state, at: at ?? new Date().toISOString(), ...(eventId !== undefined ? { eventId } : {}) });
}

/** An artifact update: `append` adds parts to the artifact of that id, otherwise it replaces it (§3.2.5). */
function applyArtifact(view: TaskView, artifact: Artifact, append: boolean): void {
  const artifacts = (view.task.artifacts ??= []);
  const index = artifacts.findIndex((known) => known.artifactId === artifact.artifactId);
  if (index < 0) artifacts.push(artifact);
  else if (append) artifacts[index] = { ...artifacts[index]!, parts: [...artifacts[index]!.parts, ...artifact.parts] };
  else artifacts[index] = artifact;
  const entry: Entry = { kind: "artifact", id: artifact.artifactId };
  if (!hasEntry(view, entry)) view.entries.push(entry);
}

/**
 * Applies one stream event. A task snapshot replaces what it holds (so a stream resumed without event ids, from a
 * snapshot, duplicates nothing) and adds what is new to the chat order; updates change the task in place.
 */
export function applyEvent(view: TaskView, payload: StreamResponse, eventId?: number): void {
  if (payload.task) {
    const snapshot = payload.task;
    const known = new Set((view.task.history ?? []).map((message) => message.messageId));
    view.task = { ...snapshot, history: [...(snapshot.history ?? []), ...(view.task.history ?? []).filter((message) => !(snapshot.history ?? []).some((m) => m.messageId === message.messageId))] };
    // A message first seen in a snapshot goes behind the history message before it, not at the end.
    (snapshot.history ?? []).forEach((message, i) => {
      if (!known.has(message.messageId)) addMessage(view, message, snapshot.history![i - 1]?.messageId);
    });
    if (snapshot.status.message) addMessage(view, snapshot.status.message);
    for (const artifact of snapshot.artifacts ?? []) {
      const entry: Entry = { kind: "artifact", id: artifact.artifactId };
      if (!hasEntry(view, entry)) view.entries.push(entry);
    }
    noteState(view, snapshot.status.state, snapshot.status.timestamp, eventId);
  } else if (payload.statusUpdate) {
    // The event's own metadata is not the task's (ours carries a summary of it): the task's comes with a snapshot.
    const { status } = payload.statusUpdate;
    view.task.status = status;
    if (status.message) addMessage(view, status.message);
    noteState(view, status.state, status.timestamp, eventId);
  } else if (payload.artifactUpdate) {
    applyArtifact(view, payload.artifactUpdate.artifact, payload.artifactUpdate.append === true);
  }
  if (eventId !== undefined) view.lastEventId = Math.max(view.lastEventId ?? 0, eventId);
}

/** The text of a message or an artifact's text parts. */
export const textOf = (parts: { text?: string }[]) =>
  parts
    .map((part) => part.text)
    .filter((text): text is string => text !== undefined)
    .join("");

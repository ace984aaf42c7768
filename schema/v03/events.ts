import { z } from "zod";
import { INTERRUPTED_STATES, StructSchema, TERMINAL_STATES, type StreamResponse, type Task, type TaskState } from "../a2a";
import { toV03Message, type V03Message } from "./message";
import { toV03Artifact, toV03Status, toV03Task, V03ArtifactSchema, V03TaskStatusSchema, type V03Task } from "./task";

export const V03TaskStatusUpdateEventSchema = z.object({
  kind: z.literal("status-update"),
  taskId: z.string(),
  contextId: z.string(),
  status: V03TaskStatusSchema,
  final: z.boolean(),
  metadata: StructSchema.optional(),
});
export type V03TaskStatusUpdateEvent = z.infer<typeof V03TaskStatusUpdateEventSchema>;

export const V03TaskArtifactUpdateEventSchema = z.object({
  kind: z.literal("artifact-update"),
  taskId: z.string(),
  contextId: z.string(),
  artifact: V03ArtifactSchema,
  append: z.boolean().optional(),
  lastChunk: z.boolean().optional(),
  metadata: StructSchema.optional(),
});
export type V03TaskArtifactUpdateEvent = z.infer<typeof V03TaskArtifactUpdateEventSchema>;

/** One v0.3 stream event: the bare object, told apart by `kind` (v1.0 wraps it in a StreamResponse instead). */
export type V03StreamEvent = V03Task | V03Message | V03TaskStatusUpdateEvent | V03TaskArtifactUpdateEvent;

/**
 * v0.3 `final`: "this is the final event in the stream for this interaction". The task object closes a
 * stream after the status event that leaves the task terminal or interrupted (input- or auth-required), so
 * exactly those carry `final: true` and a v0.3 client sees `final` on the last event it gets.
 */
export const isFinalState = (state: TaskState) => TERMINAL_STATES.has(state) || INTERRUPTED_STATES.has(state);

/** v1.0 StreamResponse → the v0.3 event (the `result` of a v0.3 `message/stream` or `tasks/resubscribe` response). */
export function toV03StreamEvent(event: StreamResponse): V03StreamEvent {
  if ("task" in event) return toV03Task(event.task);
  if ("message" in event) return toV03Message(event.message);
  if ("statusUpdate" in event) {
    const { taskId, contextId, status, metadata } = event.statusUpdate;
    return { kind: "status-update", taskId, contextId, status: toV03Status(status), final: isFinalState(status.state), ...(metadata ? { metadata } : {}) };
  }
  const { artifact, ...rest } = event.artifactUpdate;
  return { kind: "artifact-update", ...rest, artifact: toV03Artifact(artifact) };
}

/** v0.3 webhooks were posted as plain JSON (v1.0 uses application/a2a+json). */
export const V03_WEBHOOK_CONTENT_TYPE = "application/json";

/**
 * The body of a push notification to a webhook registered by a v0.3 client (REFERENCE §10): the event in its
 * v0.3 shape (bare Task or Message, or an update with `kind` and, for status, `final`). v0.3 receivers built on
 * a2a-python expect the whole Task on every notification; pass `snapshot` (the task after the event) to send that.
 * @example fetch(url, { method: "POST", headers: { "Content-Type": V03_WEBHOOK_CONTENT_TYPE }, body: JSON.stringify(toV03WebhookBody(event)) })
 */
export function toV03WebhookBody(event: StreamResponse, snapshot?: Task): V03StreamEvent {
  if (snapshot && !("message" in event)) return toV03Task(snapshot);
  return toV03StreamEvent(event);
}

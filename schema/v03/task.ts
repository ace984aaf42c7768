import { z } from "zod";
import { StructSchema, type Artifact, type Task, type TaskState, type TaskStatus } from "../a2a";
import { toV03Message, V03MessageSchema } from "./message";
import { toV03Part, V03PartSchema } from "./part";

/** v0.3 TaskState: lowercase, hyphenated; `unknown` maps to v1.0 UNSPECIFIED and is never sent. */
export const V03TaskStateSchema = z.enum(["submitted", "working", "input-required", "completed", "canceled", "failed", "rejected", "auth-required", "unknown"]);
export type V03TaskState = z.infer<typeof V03TaskStateSchema>;

export const TO_V03_STATE: Record<TaskState, V03TaskState> = {
  TASK_STATE_SUBMITTED: "submitted",
  TASK_STATE_WORKING: "working",
  TASK_STATE_INPUT_REQUIRED: "input-required",
  TASK_STATE_COMPLETED: "completed",
  TASK_STATE_CANCELED: "canceled",
  TASK_STATE_FAILED: "failed",
  TASK_STATE_REJECTED: "rejected",
  TASK_STATE_AUTH_REQUIRED: "auth-required",
};

export const V03TaskStatusSchema = z.object({
  state: V03TaskStateSchema,
  message: V03MessageSchema.optional(),
  timestamp: z.string().optional(),
});
export type V03TaskStatus = z.infer<typeof V03TaskStatusSchema>;

export const V03ArtifactSchema = z.object({
  artifactId: z.string(),
  name: z.string().optional(),
  description: z.string().optional(),
  parts: z.array(V03PartSchema),
  metadata: StructSchema.optional(),
  extensions: z.array(z.string()).optional(),
});
export type V03Artifact = z.infer<typeof V03ArtifactSchema>;

/** v0.3 Task: `kind: "task"`, and `contextId` is REQUIRED (v1.0 always has one too). */
export const V03TaskSchema = z.object({
  kind: z.literal("task"),
  id: z.string(),
  contextId: z.string(),
  status: V03TaskStatusSchema,
  artifacts: z.array(V03ArtifactSchema).optional(),
  history: z.array(V03MessageSchema).optional(),
  metadata: StructSchema.optional(),
});
export type V03Task = z.infer<typeof V03TaskSchema>;

export function toV03Status(status: TaskStatus): V03TaskStatus {
  return {
    state: TO_V03_STATE[status.state],
    ...(status.message ? { message: toV03Message(status.message) } : {}),
    ...(status.timestamp !== undefined ? { timestamp: status.timestamp } : {}),
  };
}

export function toV03Artifact(artifact: Artifact): V03Artifact {
  const { parts, ...rest } = artifact;
  return { ...rest, parts: parts.map(toV03Part) };
}

export function toV03Task(task: Task): V03Task {
  return {
    kind: "task",
    id: task.id,
    contextId: task.contextId,
    status: toV03Status(task.status),
    ...(task.artifacts ? { artifacts: task.artifacts.map(toV03Artifact) } : {}),
    ...(task.history ? { history: task.history.map(toV03Message) } : {}),
    ...(task.metadata ? { metadata: task.metadata } : {}),
  };
}

import { z } from "zod";
import { IdSchema, protoEnum, protoObject, StructSchema, TimestampSchema } from "./common";
import { MessageSchema } from "./message";
import { PartSchema } from "./part";

export const TASK_STATES = [
  "TASK_STATE_SUBMITTED",
  "TASK_STATE_WORKING",
  "TASK_STATE_COMPLETED",
  "TASK_STATE_FAILED",
  "TASK_STATE_CANCELED",
  "TASK_STATE_INPUT_REQUIRED",
  "TASK_STATE_REJECTED",
  "TASK_STATE_AUTH_REQUIRED",
] as const;
export const TaskStateSchema = protoEnum(TASK_STATES, {
  1: "TASK_STATE_SUBMITTED",
  2: "TASK_STATE_WORKING",
  3: "TASK_STATE_COMPLETED",
  4: "TASK_STATE_FAILED",
  5: "TASK_STATE_CANCELED",
  6: "TASK_STATE_INPUT_REQUIRED",
  7: "TASK_STATE_REJECTED",
  8: "TASK_STATE_AUTH_REQUIRED",
});
export type TaskState = z.infer<typeof TaskStateSchema>;

export const TERMINAL_STATES: ReadonlySet<TaskState> = new Set([
  "TASK_STATE_COMPLETED",
  "TASK_STATE_FAILED",
  "TASK_STATE_CANCELED",
  "TASK_STATE_REJECTED",
]);
export const INTERRUPTED_STATES: ReadonlySet<TaskState> = new Set(["TASK_STATE_INPUT_REQUIRED", "TASK_STATE_AUTH_REQUIRED"]);

export const TaskStatusSchema = protoObject({
  state: TaskStateSchema,
  message: MessageSchema.optional(),
  timestamp: TimestampSchema.optional(),
});
export type TaskStatus = z.infer<typeof TaskStatusSchema>;

export const ArtifactSchema = protoObject({
  artifactId: IdSchema,
  name: z.string().optional(),
  description: z.string().optional(),
  parts: z.array(PartSchema).min(1, "an artifact needs at least one part"),
  metadata: StructSchema.optional(),
  extensions: z.array(z.string()).optional(),
});
export type Artifact = z.infer<typeof ArtifactSchema>;

export const TaskSchema = protoObject({
  id: IdSchema,
  contextId: IdSchema,
  status: TaskStatusSchema,
  artifacts: z.array(ArtifactSchema).optional(),
  history: z.array(MessageSchema).optional(),
  metadata: StructSchema.optional(),
});
export type Task = z.infer<typeof TaskSchema>;

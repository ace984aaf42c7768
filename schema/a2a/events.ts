import { z } from "zod";
import { protoObject, StructSchema } from "./common";
import { MessageSchema } from "./message";
import { ArtifactSchema, TaskSchema, TaskStatusSchema } from "./task";

export const TaskStatusUpdateEventSchema = protoObject({
  taskId: z.string(),
  contextId: z.string(),
  status: TaskStatusSchema,
  metadata: StructSchema.optional(),
});
export type TaskStatusUpdateEvent = z.infer<typeof TaskStatusUpdateEventSchema>;

export const TaskArtifactUpdateEventSchema = protoObject({
  taskId: z.string(),
  contextId: z.string(),
  artifact: ArtifactSchema,
  append: z.boolean().optional(),
  lastChunk: z.boolean().optional(),
  metadata: StructSchema.optional(),
});
export type TaskArtifactUpdateEvent = z.infer<typeof TaskArtifactUpdateEventSchema>;

/** SendMessageResponse: exactly one of `task` or `message`. */
export const SendMessageResponseSchema = z.union([
  z.strictObject({ task: TaskSchema }),
  z.strictObject({ message: MessageSchema }),
]);
export type SendMessageResponse = z.infer<typeof SendMessageResponseSchema>;

/** StreamResponse: the one-member wrapper every stream event and webhook body uses. */
export const StreamResponseSchema = z.union([
  z.strictObject({ task: TaskSchema }),
  z.strictObject({ message: MessageSchema }),
  z.strictObject({ statusUpdate: TaskStatusUpdateEventSchema }),
  z.strictObject({ artifactUpdate: TaskArtifactUpdateEventSchema }),
]);
export type StreamResponse = z.infer<typeof StreamResponseSchema>;

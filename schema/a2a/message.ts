import { z } from "zod";
import { IdSchema, protoEnum, protoObject, StructSchema } from "./common";
import { PartSchema } from "./part";

export const RoleSchema = protoEnum(["ROLE_USER", "ROLE_AGENT"], { 1: "ROLE_USER", 2: "ROLE_AGENT" });
export type Role = z.infer<typeof RoleSchema>;

/** Message: one turn of communication between client (`ROLE_USER`) and agent (`ROLE_AGENT`). */
export const MessageSchema = protoObject({
  messageId: IdSchema,
  contextId: IdSchema.optional(),
  taskId: IdSchema.optional(),
  role: RoleSchema,
  parts: z.array(PartSchema).min(1, "a message needs at least one part"),
  metadata: StructSchema.optional(),
  extensions: z.array(z.string()).optional(),
  referenceTaskIds: z.array(IdSchema).optional(),
});
export type Message = z.infer<typeof MessageSchema>;

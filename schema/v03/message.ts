import { z } from "zod";
import { StructSchema, type Message, type Role } from "../a2a";
import { fromV03Part, toV03Part, V03PartSchema } from "./part";

export const V03RoleSchema = z.enum(["user", "agent"]);
export type V03Role = z.infer<typeof V03RoleSchema>;

const FROM_V03_ROLE: Record<V03Role, Role> = { user: "ROLE_USER", agent: "ROLE_AGENT" };
const TO_V03_ROLE: Record<Role, V03Role> = { ROLE_USER: "user", ROLE_AGENT: "agent" };

/** v0.3 Message (JSON-RPC binding): `kind: "message"` (filled in when a client leaves it out), lowercase roles. */
export const V03MessageSchema = z.object({
  kind: z.literal("message").default("message"),
  messageId: z.string(),
  contextId: z.string().optional(),
  taskId: z.string().optional(),
  role: V03RoleSchema,
  parts: z.array(V03PartSchema),
  metadata: StructSchema.optional(),
  extensions: z.array(z.string()).optional(),
  referenceTaskIds: z.array(z.string()).optional(),
});
export type V03Message = z.infer<typeof V03MessageSchema>;

/** The v1.0 members a v0.3 message and a v1.0 message share, copied only when present. */
function optionalMembers(message: Pick<Message, "contextId" | "taskId" | "metadata" | "extensions" | "referenceTaskIds">) {
  return {
    ...(message.contextId !== undefined ? { contextId: message.contextId } : {}),
    ...(message.taskId !== undefined ? { taskId: message.taskId } : {}),
    ...(message.metadata !== undefined ? { metadata: message.metadata } : {}),
    ...(message.extensions !== undefined ? { extensions: message.extensions } : {}),
    ...(message.referenceTaskIds !== undefined ? { referenceTaskIds: message.referenceTaskIds } : {}),
  };
}

export function fromV03Message(message: V03Message): Message {
  return { messageId: message.messageId, role: FROM_V03_ROLE[message.role], parts: message.parts.map(fromV03Part), ...optionalMembers(message) };
}

export function toV03Message(message: Message): V03Message {
  return { kind: "message", messageId: message.messageId, role: TO_V03_ROLE[message.role], parts: message.parts.map(toV03Part), ...optionalMembers(message) };
}

import { z } from "zod";
import {
  protoObject,
  RoleSchema,
  StructSchema,
  type Artifact,
  type Message,
  type Part,
  type SendMessageResponse,
  type StreamResponse,
  type Task,
  type TaskState,
} from "../a2a";
import { isFinalState } from "./events";

/**
 * The v0.3 HTTP+JSON (REST) binding is the ProtoJSON of v0.3/a2a.proto, which differs from the v0.3 JSON-RPC
 * shapes (REFERENCE §10): a Message's parts are `content`, a file part is `{file:{fileWithUri|fileWithBytes,
 * mimeType}}`, a data part is `{data:{data:{…}}}`, and enums are proto names, canceled spelled CANCELLED.
 * Parts carry no metadata or file name in that proto, so those are dropped on the way out.
 */

export const V03ProtoPartSchema = protoObject({
  text: z.string().optional(),
  file: protoObject({ fileWithUri: z.string().optional(), fileWithBytes: z.string().optional(), mimeType: z.string().optional() }).optional(),
  data: protoObject({ data: StructSchema }).optional(),
}).check((ctx) => {
  const present = (["text", "file", "data"] as const).filter((key) => ctx.value[key] !== undefined);
  if (present.length !== 1) ctx.issues.push({ code: "custom", input: ctx.value, message: "a part must have exactly one of text, file or data" });
});
export type V03ProtoPart = z.infer<typeof V03ProtoPartSchema>;

export const V03ProtoMessageSchema = protoObject({
  messageId: z.string(),
  contextId: z.string().optional(),
  taskId: z.string().optional(),
  role: RoleSchema,
  content: z.array(V03ProtoPartSchema),
  metadata: StructSchema.optional(),
  extensions: z.array(z.string()).optional(),
});
export type V03ProtoMessage = z.infer<typeof V03ProtoMessageSchema>;

export const V03_PROTO_STATES = [
  "TASK_STATE_SUBMITTED",
  "TASK_STATE_WORKING",
  "TASK_STATE_COMPLETED",
  "TASK_STATE_FAILED",
  "TASK_STATE_CANCELLED",
  "TASK_STATE_INPUT_REQUIRED",
  "TASK_STATE_REJECTED",
  "TASK_STATE_AUTH_REQUIRED",
] as const;
const toProtoState = (state: TaskState): (typeof V03_PROTO_STATES)[number] => (state === "TASK_STATE_CANCELED" ? "TASK_STATE_CANCELLED" : state);

const V03ProtoTaskStatusSchema = z.object({ state: z.enum(V03_PROTO_STATES), message: V03ProtoMessageSchema.optional(), timestamp: z.string().optional() });
const V03ProtoArtifactSchema = z.object({
  artifactId: z.string(),
  name: z.string().optional(),
  description: z.string().optional(),
  parts: z.array(V03ProtoPartSchema),
  metadata: StructSchema.optional(),
  extensions: z.array(z.string()).optional(),
});
export const V03ProtoTaskSchema = z.object({
  id: z.string(),
  contextId: z.string(),
  status: V03ProtoTaskStatusSchema,
  artifacts: z.array(V03ProtoArtifactSchema).optional(),
  history: z.array(V03ProtoMessageSchema).optional(),
  metadata: StructSchema.optional(),
});
export type V03ProtoTask = z.infer<typeof V03ProtoTaskSchema>;

export const V03ProtoStreamResponseSchema = z.union([
  z.strictObject({ task: V03ProtoTaskSchema }),
  z.strictObject({ message: V03ProtoMessageSchema }),
  z.strictObject({
    statusUpdate: z.object({ taskId: z.string(), contextId: z.string(), status: V03ProtoTaskStatusSchema, final: z.boolean(), metadata: StructSchema.optional() }),
  }),
  z.strictObject({
    artifactUpdate: z.object({
      taskId: z.string(),
      contextId: z.string(),
      artifact: V03ProtoArtifactSchema,
      append: z.boolean().optional(),
      lastChunk: z.boolean().optional(),
      metadata: StructSchema.optional(),
    }),
  }),
]);
export type V03ProtoStreamResponse = z.infer<typeof V03ProtoStreamResponseSchema>;
export type V03ProtoSendMessageResponse = { task: V03ProtoTask } | { message: V03ProtoMessage };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
/** ProtoJSON writes unset strings as "" (or leaves them out): both mean absent. */
const present = (value: string | undefined) => (value ? value : undefined);

export function fromV03ProtoPart(part: V03ProtoPart): Part {
  if (part.text !== undefined) return { text: part.text };
  if (part.data !== undefined) return { data: part.data.data as Part["data"] };
  const { fileWithUri, fileWithBytes, mimeType } = part.file ?? {};
  const mediaType = mimeType ? { mediaType: mimeType } : {};
  return fileWithBytes !== undefined ? { raw: fileWithBytes, ...mediaType } : { url: fileWithUri ?? "", ...mediaType };
}

export function toV03ProtoPart(part: Part): V03ProtoPart {
  if (part.text !== undefined) return { text: part.text };
  const mimeType = part.mediaType ? { mimeType: part.mediaType } : {};
  if (part.raw !== undefined) return { file: { fileWithBytes: part.raw, ...mimeType } };
  if (part.url !== undefined) return { file: { fileWithUri: part.url, ...mimeType } };
  return { data: { data: isObject(part.data) ? part.data : { value: part.data ?? null } } };
}

export function fromV03ProtoMessage(message: V03ProtoMessage): Message {
  const contextId = present(message.contextId);
  const taskId = present(message.taskId);
  return {
    messageId: message.messageId,
    role: message.role,
    parts: message.content.map(fromV03ProtoPart),
    ...(contextId ? { contextId } : {}),
    ...(taskId ? { taskId } : {}),
    ...(message.metadata ? { metadata: message.metadata } : {}),
    ...(message.extensions?.length ? { extensions: message.extensions } : {}),
  };
}

export function toV03ProtoMessage(message: Message): V03ProtoMessage {
  return {
    messageId: message.messageId,
    ...(message.contextId ? { contextId: message.contextId } : {}),
    ...(message.taskId ? { taskId: message.taskId } : {}),
    role: message.role,
    content: message.parts.map(toV03ProtoPart),
    ...(message.metadata ? { metadata: message.metadata } : {}),
    ...(message.extensions?.length ? { extensions: message.extensions } : {}),
  };
}

const toV03ProtoArtifact = ({ parts, ...rest }: Artifact) => ({ ...rest, parts: parts.map(toV03ProtoPart) });

const toV03ProtoStatus = (status: Task["status"]) => ({
  state: toProtoState(status.state),
  ...(status.message ? { message: toV03ProtoMessage(status.message) } : {}),
  ...(status.timestamp ? { timestamp: status.timestamp } : {}),
});

export function toV03ProtoTask(task: Task): V03ProtoTask {
  return {
    id: task.id,
    contextId: task.contextId,
    status: toV03ProtoStatus(task.status),
    ...(task.artifacts ? { artifacts: task.artifacts.map(toV03ProtoArtifact) } : {}),
    ...(task.history ? { history: task.history.map(toV03ProtoMessage) } : {}),
    ...(task.metadata ? { metadata: task.metadata } : {}),
  };
}

export function toV03ProtoStreamResponse(event: StreamResponse): V03ProtoStreamResponse {
  if ("task" in event) return { task: toV03ProtoTask(event.task) };
  if ("message" in event) return { message: toV03ProtoMessage(event.message) };
  if ("statusUpdate" in event) {
    const { status, metadata, taskId, contextId } = event.statusUpdate;
    return { statusUpdate: { taskId, contextId, status: toV03ProtoStatus(status), final: isFinalState(status.state), ...(metadata ? { metadata } : {}) } };
  }
  const { artifact, ...rest } = event.artifactUpdate;
  return { artifactUpdate: { ...rest, artifact: toV03ProtoArtifact(artifact) } };
}

export function toV03ProtoSendResponse(response: SendMessageResponse): V03ProtoSendMessageResponse {
  return "task" in response ? { task: toV03ProtoTask(response.task) } : { message: toV03ProtoMessage(response.message) };
}

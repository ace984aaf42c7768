import { z } from "zod";
import { IdSchema, Int32Schema, protoObject, StructSchema, TenantSchema, TimestampSchema } from "./common";
import { MessageSchema } from "./message";
import { taskPushNotificationConfigShape, TaskPushNotificationConfigSchema } from "./push";
import { TaskSchema, TaskStateSchema } from "./task";

const Tenant = TenantSchema.optional();
const HistoryLength = Int32Schema.pipe(z.int().min(0, "historyLength must be 0 or more")).optional();

export const SendMessageConfigurationSchema = protoObject({
  acceptedOutputModes: z.array(z.string()).optional(),
  taskPushNotificationConfig: TaskPushNotificationConfigSchema.optional(),
  historyLength: HistoryLength,
  returnImmediately: z.boolean().optional(),
});
export type SendMessageConfiguration = z.infer<typeof SendMessageConfigurationSchema>;

export const SendMessageRequestSchema = protoObject({
  tenant: Tenant,
  message: MessageSchema,
  configuration: SendMessageConfigurationSchema.optional(),
  metadata: StructSchema.optional(),
});
export type SendMessageRequest = z.infer<typeof SendMessageRequestSchema>;

export const GetTaskRequestSchema = protoObject({ tenant: Tenant, id: IdSchema, historyLength: HistoryLength });
export type GetTaskRequest = z.infer<typeof GetTaskRequestSchema>;

/**
 * A filter, so its zero is its absence: proto3 cannot tell TASK_STATE_UNSPECIFIED (0) from an unset `status`.
 * "UNRECOGNIZED" is what @a2a-js/sdk 1.3 sends over JSON-RPC when a call names no status (`listTasks({})`).
 */
const NO_STATUS_FILTER: ReadonlySet<unknown> = new Set(["TASK_STATE_UNSPECIFIED", 0, "UNRECOGNIZED"]);
const StatusFilterSchema = z.preprocess((value) => (NO_STATUS_FILTER.has(value) ? undefined : value), TaskStateSchema.optional()).optional();

export const ListTasksRequestSchema = protoObject({
  tenant: Tenant,
  contextId: IdSchema.optional(),
  status: StatusFilterSchema,
  pageSize: Int32Schema.pipe(z.int().min(1, "pageSize must be 1 to 100").max(100, "pageSize must be 1 to 100")).optional(),
  pageToken: z.string().max(512).optional(),
  historyLength: HistoryLength,
  statusTimestampAfter: TimestampSchema.optional(),
  includeArtifacts: z.boolean().optional(),
});
export type ListTasksRequest = z.infer<typeof ListTasksRequestSchema>;

export const ListTasksResponseSchema = protoObject({
  tasks: z.array(TaskSchema),
  nextPageToken: z.string(),
  pageSize: z.int(),
  totalSize: z.int(),
});
export type ListTasksResponse = z.infer<typeof ListTasksResponseSchema>;

export const CancelTaskRequestSchema = protoObject({ tenant: Tenant, id: IdSchema, metadata: StructSchema.optional() });
export type CancelTaskRequest = z.infer<typeof CancelTaskRequestSchema>;

export const SubscribeToTaskRequestSchema = protoObject({ tenant: Tenant, id: IdSchema });

export const CreateTaskPushNotificationConfigRequestSchema = protoObject({ ...taskPushNotificationConfigShape, taskId: IdSchema });

export const TaskPushNotificationConfigRefSchema = protoObject({ tenant: Tenant, taskId: IdSchema, id: IdSchema });

export const ListTaskPushNotificationConfigsRequestSchema = protoObject({
  tenant: Tenant,
  taskId: IdSchema,
  pageSize: Int32Schema.pipe(z.int().min(0).max(100)).optional(),
  pageToken: z.string().max(512).optional(),
});

export const ListTaskPushNotificationConfigsResponseSchema = protoObject({
  configs: z.array(TaskPushNotificationConfigSchema),
  nextPageToken: z.string().optional(),
});

export const GetExtendedAgentCardRequestSchema = protoObject({ tenant: Tenant });

/** google.protobuf.Empty. */
export const EmptySchema = protoObject({});

import { z } from "zod";
import { IdSchema, Int32Schema, StructSchema, TimestampSchema } from "./common";
import { MessageSchema } from "./message";
import { TaskPushNotificationConfigSchema } from "./push";
import { TaskSchema, TaskStateSchema } from "./task";

const Tenant = z.string().max(128).optional();
const HistoryLength = Int32Schema.pipe(z.int().min(0, "historyLength must be 0 or more")).optional();

export const SendMessageConfigurationSchema = z.object({
  acceptedOutputModes: z.array(z.string()).optional(),
  taskPushNotificationConfig: TaskPushNotificationConfigSchema.optional(),
  historyLength: HistoryLength,
  returnImmediately: z.boolean().optional(),
});
export type SendMessageConfiguration = z.infer<typeof SendMessageConfigurationSchema>;

export const SendMessageRequestSchema = z.object({
  tenant: Tenant,
  message: MessageSchema,
  configuration: SendMessageConfigurationSchema.optional(),
  metadata: StructSchema.optional(),
});
export type SendMessageRequest = z.infer<typeof SendMessageRequestSchema>;

export const GetTaskRequestSchema = z.object({ tenant: Tenant, id: IdSchema, historyLength: HistoryLength });
export type GetTaskRequest = z.infer<typeof GetTaskRequestSchema>;

export const ListTasksRequestSchema = z.object({
  tenant: Tenant,
  contextId: IdSchema.optional(),
  status: TaskStateSchema.optional(),
  pageSize: Int32Schema.pipe(z.int().min(1, "pageSize must be 1 to 100").max(100, "pageSize must be 1 to 100")).optional(),
  pageToken: z.string().max(512).optional(),
  historyLength: HistoryLength,
  statusTimestampAfter: TimestampSchema.optional(),
  includeArtifacts: z.boolean().optional(),
});
export type ListTasksRequest = z.infer<typeof ListTasksRequestSchema>;

export const ListTasksResponseSchema = z.object({
  tasks: z.array(TaskSchema),
  nextPageToken: z.string(),
  pageSize: z.int(),
  totalSize: z.int(),
});
export type ListTasksResponse = z.infer<typeof ListTasksResponseSchema>;

export const CancelTaskRequestSchema = z.object({ tenant: Tenant, id: IdSchema, metadata: StructSchema.optional() });
export type CancelTaskRequest = z.infer<typeof CancelTaskRequestSchema>;

export const SubscribeToTaskRequestSchema = z.object({ tenant: Tenant, id: IdSchema });

export const CreateTaskPushNotificationConfigRequestSchema = TaskPushNotificationConfigSchema.extend({ taskId: IdSchema });

export const TaskPushNotificationConfigRefSchema = z.object({ tenant: Tenant, taskId: IdSchema, id: IdSchema });

export const ListTaskPushNotificationConfigsRequestSchema = z.object({
  tenant: Tenant,
  taskId: IdSchema,
  pageSize: Int32Schema.pipe(z.int().min(0).max(100)).optional(),
  pageToken: z.string().max(512).optional(),
});

export const ListTaskPushNotificationConfigsResponseSchema = z.object({
  configs: z.array(TaskPushNotificationConfigSchema),
  nextPageToken: z.string().optional(),
});

export const GetExtendedAgentCardRequestSchema = z.object({ tenant: Tenant });

/** google.protobuf.Empty. */
export const EmptySchema = z.object({});

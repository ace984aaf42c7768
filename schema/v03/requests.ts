import { z } from "zod";
import { StructSchema, type SendMessageRequest } from "../a2a";
import { fromV03Message, V03MessageSchema } from "./message";
import { fromV03PushConfig, V03PushNotificationConfigSchema, V03TaskPushNotificationConfigSchema } from "./push";

/**
 * The params of the v0.3 JSON-RPC methods (v0.3/a2a.json), each with its translation to the v1.0 request
 * the core serves. v0.3 has no tenants, so every v0.3 call is in the default tenant.
 */

export const V03MessageSendConfigurationSchema = z.object({
  acceptedOutputModes: z.array(z.string()).optional(),
  blocking: z.boolean().optional(),
  historyLength: z.int().optional(),
  pushNotificationConfig: V03PushNotificationConfigSchema.optional(),
});

export const V03MessageSendParamsSchema = z.object({
  message: V03MessageSchema,
  configuration: V03MessageSendConfigurationSchema.optional(),
  metadata: StructSchema.optional(),
});
export type V03MessageSendParams = z.infer<typeof V03MessageSendParamsSchema>;

/**
 * `blocking` becomes `returnImmediately` with the polarity inverted. v0.3 left the default open; an absent
 * `blocking` blocks, as a2a-python 0.3 did and as v1.0 does.
 */
export function fromV03SendParams(params: V03MessageSendParams): SendMessageRequest {
  const { configuration: config, metadata } = params;
  const message = fromV03Message(params.message);
  const configuration = config && {
    ...(config.acceptedOutputModes ? { acceptedOutputModes: config.acceptedOutputModes } : {}),
    ...(config.blocking !== undefined ? { returnImmediately: !config.blocking } : {}),
    ...(config.historyLength !== undefined ? { historyLength: config.historyLength } : {}),
    ...(config.pushNotificationConfig ? { taskPushNotificationConfig: fromV03PushConfig(config.pushNotificationConfig) } : {}),
  };
  return { message, ...(configuration ? { configuration } : {}), ...(metadata ? { metadata } : {}) };
}

export const V03TaskQueryParamsSchema = z.object({ id: z.string(), historyLength: z.int().optional(), metadata: StructSchema.optional() });
export const V03TaskIdParamsSchema = z.object({ id: z.string(), metadata: StructSchema.optional() });

export const V03SetPushConfigParamsSchema = V03TaskPushNotificationConfigSchema;
export const V03GetPushConfigParamsSchema = z.object({ id: z.string(), pushNotificationConfigId: z.string().optional(), metadata: StructSchema.optional() });
export const V03DeletePushConfigParamsSchema = z.object({ id: z.string(), pushNotificationConfigId: z.string(), metadata: StructSchema.optional() });
export const V03ListPushConfigParamsSchema = z.object({ id: z.string(), metadata: StructSchema.optional() });

/** v0.3 names the task `id` and the config `pushNotificationConfigId`; v1.0 says `taskId` and `id`. Without a config id, the task's default config (see fromV03PushConfig). */
export const fromV03PushConfigRef = (params: { id: string; pushNotificationConfigId?: string | undefined }) => ({
  taskId: params.id,
  id: params.pushNotificationConfigId ?? params.id,
});

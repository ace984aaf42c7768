import { z } from "zod";
import type { TaskPushNotificationConfig } from "../a2a";

/** v0.3 lists authentication schemes; v1.0 keeps exactly one (REFERENCE §10). */
export const V03PushNotificationAuthenticationInfoSchema = z.object({
  schemes: z.array(z.string()),
  credentials: z.string().optional(),
});

export const V03PushNotificationConfigSchema = z.object({
  id: z.string().optional(),
  url: z.string(),
  token: z.string().optional(),
  authentication: V03PushNotificationAuthenticationInfoSchema.optional(),
});
export type V03PushNotificationConfig = z.infer<typeof V03PushNotificationConfigSchema>;

/** v0.3 TaskPushNotificationConfig: the config nested under `pushNotificationConfig`, beside its `taskId`. */
export const V03TaskPushNotificationConfigSchema = z.object({
  taskId: z.string(),
  pushNotificationConfig: V03PushNotificationConfigSchema,
});
export type V03TaskPushNotificationConfig = z.infer<typeof V03TaskPushNotificationConfigSchema>;

/**
 * v0.3 → the flat v1.0 config. The first of `schemes` is kept (v1.0 has one), and a config without an id gets
 * its task's id: in v0.3 that is the task's default config, which `…/get` without a config id reads back.
 */
export function fromV03PushConfig(config: V03PushNotificationConfig, taskId?: string): TaskPushNotificationConfig {
  const scheme = config.authentication?.schemes[0];
  const id = config.id ?? taskId;
  return {
    ...(id !== undefined ? { id } : {}),
    ...(taskId !== undefined ? { taskId } : {}),
    url: config.url,
    ...(config.token !== undefined ? { token: config.token } : {}),
    ...(scheme !== undefined ? { authentication: { scheme, ...(config.authentication?.credentials !== undefined ? { credentials: config.authentication.credentials } : {}) } } : {}),
  };
}

export function toV03PushConfig(config: TaskPushNotificationConfig): V03PushNotificationConfig {
  return {
    ...(config.id !== undefined ? { id: config.id } : {}),
    url: config.url,
    ...(config.token !== undefined ? { token: config.token } : {}),
    ...(config.authentication
      ? { authentication: { schemes: [config.authentication.scheme], ...(config.authentication.credentials !== undefined ? { credentials: config.authentication.credentials } : {}) } }
      : {}),
  };
}

export function toV03TaskPushConfig(config: TaskPushNotificationConfig): V03TaskPushNotificationConfig {
  return { taskId: config.taskId ?? "", pushNotificationConfig: toV03PushConfig(config) };
}

import { assertPushConfig } from "../durable-objects/push/config-guard";
import type { Handlers } from "./handlers";
import { taskObject, unwrap } from "./tasks";

type PushMethod = "CreateTaskPushNotificationConfig" | "GetTaskPushNotificationConfig" | "ListTaskPushNotificationConfigs" | "DeleteTaskPushNotificationConfig";

/**
 * The four push config methods (REFERENCE §2 rows 7-10, §6). The capability gate runs before these
 * (handlers.ts); the task object checks the caller's scope, so another owner's task is TaskNotFound.
 */
export const pushHandlers = {
  async CreateTaskPushNotificationConfig(params, ctx) {
    assertPushConfig(params, ctx.env);
    const { id, url, token, authentication } = params;
    const config = { id, url, token, authentication, ...(ctx.protocolVersion ? { protocolVersion: ctx.protocolVersion } : {}) };
    return unwrap(await taskObject(ctx.env, params.taskId).createPushConfig({ scope: ctx.scope, taskId: params.taskId, config }));
  },
  async GetTaskPushNotificationConfig(params, ctx) {
    return unwrap(await taskObject(ctx.env, params.taskId).getPushConfig({ scope: ctx.scope, taskId: params.taskId, id: params.id }));
  },
  async ListTaskPushNotificationConfigs(params, ctx) {
    const { taskId, pageSize, pageToken } = params;
    return unwrap(await taskObject(ctx.env, taskId).listPushConfigs({ scope: ctx.scope, taskId, pageSize, pageToken }));
  },
  async DeleteTaskPushNotificationConfig(params, ctx) {
    return unwrap(await taskObject(ctx.env, params.taskId).deletePushConfig({ scope: ctx.scope, taskId: params.taskId, id: params.id }));
  },
} satisfies Pick<Handlers, PushMethod>;

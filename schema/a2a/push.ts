import { z } from "zod";
import { IdSchema, protoObject, TenantSchema } from "./common";

export const AuthenticationInfoSchema = protoObject({
  scheme: z.string().min(1),
  credentials: z.string().optional(),
});

/** TaskPushNotificationConfig: the flat v1.0 webhook registration (`taskId` comes from the path over REST). */
export const taskPushNotificationConfigShape = {
  tenant: TenantSchema.optional(),
  id: IdSchema.optional(),
  taskId: IdSchema.optional(),
  url: z.string().min(1),
  token: z.string().optional(),
  authentication: AuthenticationInfoSchema.optional(),
};
export const TaskPushNotificationConfigSchema = protoObject(taskPushNotificationConfigShape);
export type TaskPushNotificationConfig = z.infer<typeof TaskPushNotificationConfigSchema>;

import { z } from "zod";
import { IdSchema } from "./common";

export const AuthenticationInfoSchema = z.object({
  scheme: z.string().min(1),
  credentials: z.string().optional(),
});

/** TaskPushNotificationConfig: the flat v1.0 webhook registration (`taskId` comes from the path over REST). */
export const TaskPushNotificationConfigSchema = z.object({
  tenant: z.string().optional(),
  id: IdSchema.optional(),
  taskId: IdSchema.optional(),
  url: z.string().min(1),
  token: z.string().optional(),
  authentication: AuthenticationInfoSchema.optional(),
});
export type TaskPushNotificationConfig = z.infer<typeof TaskPushNotificationConfigSchema>;

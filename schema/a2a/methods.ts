import type { z } from "zod";
import { AgentCardSchema } from "./agent-card";
import { SendMessageResponseSchema, StreamResponseSchema } from "./events";
import { TaskPushNotificationConfigSchema } from "./push";
import {
  CancelTaskRequestSchema,
  CreateTaskPushNotificationConfigRequestSchema,
  EmptySchema,
  GetExtendedAgentCardRequestSchema,
  GetTaskRequestSchema,
  ListTaskPushNotificationConfigsRequestSchema,
  ListTaskPushNotificationConfigsResponseSchema,
  ListTasksRequestSchema,
  ListTasksResponseSchema,
  SendMessageRequestSchema,
  SubscribeToTaskRequestSchema,
  TaskPushNotificationConfigRefSchema,
} from "./requests";
import { TaskSchema } from "./task";

export type HttpVerb = "GET" | "POST" | "DELETE";

/** A REST route relative to the interface URL; `{name}` fills a request field; each route also exists under `/{tenant}`. */
export interface RestRoute {
  verb: HttpVerb;
  path: string;
  /** REST success status (the TCK accepts anything below 400; these follow a2a-js). */
  status?: 200 | 201 | 204;
}

export interface MethodRow {
  params: z.ZodType;
  result: z.ZodType;
  /** Answers with a stream of StreamResponse instead of one result. */
  streaming: boolean;
  /** Which capability gates the method, checked once by the handler table. */
  capability?: "streaming" | "pushNotifications" | "extendedAgentCard";
  rest: RestRoute[];
  /** Query parameters that are booleans on the wire (query strings carry only text). */
  booleanQuery?: string[];
}

/**
 * The one table of A2A v1.0 methods (REFERENCE §2). Every binding is generated from it, and the handler
 * table must have exactly one entry per row.
 * @example methods.GetTask.rest // [{ verb: "GET", path: "/tasks/{id}" }]
 */
export const methods = {
  SendMessage: {
    params: SendMessageRequestSchema,
    result: SendMessageResponseSchema,
    streaming: false,
    rest: [{ verb: "POST", path: "/message:send" }],
  },
  SendStreamingMessage: {
    params: SendMessageRequestSchema,
    result: StreamResponseSchema,
    streaming: true,
    capability: "streaming",
    rest: [{ verb: "POST", path: "/message:stream" }],
  },
  GetTask: {
    params: GetTaskRequestSchema,
    result: TaskSchema,
    streaming: false,
    rest: [{ verb: "GET", path: "/tasks/{id}" }],
  },
  ListTasks: {
    params: ListTasksRequestSchema,
    result: ListTasksResponseSchema,
    streaming: false,
    rest: [{ verb: "GET", path: "/tasks" }],
    booleanQuery: ["includeArtifacts"],
  },
  CancelTask: {
    params: CancelTaskRequestSchema,
    result: TaskSchema,
    streaming: false,
    rest: [{ verb: "POST", path: "/tasks/{id}:cancel" }],
  },
  SubscribeToTask: {
    params: SubscribeToTaskRequestSchema,
    result: StreamResponseSchema,
    streaming: true,
    capability: "streaming",
    // The proto annotation says GET, the spec prose and the TCK use POST: serve both (REFERENCE §11.1).
    rest: [
      { verb: "POST", path: "/tasks/{id}:subscribe" },
      { verb: "GET", path: "/tasks/{id}:subscribe" },
    ],
  },
  CreateTaskPushNotificationConfig: {
    params: CreateTaskPushNotificationConfigRequestSchema,
    result: TaskPushNotificationConfigSchema,
    streaming: false,
    capability: "pushNotifications",
    rest: [{ verb: "POST", path: "/tasks/{taskId}/pushNotificationConfigs", status: 201 }],
  },
  GetTaskPushNotificationConfig: {
    params: TaskPushNotificationConfigRefSchema,
    result: TaskPushNotificationConfigSchema,
    streaming: false,
    capability: "pushNotifications",
    rest: [{ verb: "GET", path: "/tasks/{taskId}/pushNotificationConfigs/{id}" }],
  },
  ListTaskPushNotificationConfigs: {
    params: ListTaskPushNotificationConfigsRequestSchema,
    result: ListTaskPushNotificationConfigsResponseSchema,
    streaming: false,
    capability: "pushNotifications",
    rest: [{ verb: "GET", path: "/tasks/{taskId}/pushNotificationConfigs" }],
  },
  DeleteTaskPushNotificationConfig: {
    params: TaskPushNotificationConfigRefSchema,
    result: EmptySchema,
    streaming: false,
    capability: "pushNotifications",
    rest: [{ verb: "DELETE", path: "/tasks/{taskId}/pushNotificationConfigs/{id}", status: 204 }],
  },
  GetExtendedAgentCard: {
    params: GetExtendedAgentCardRequestSchema,
    result: AgentCardSchema,
    streaming: false,
    capability: "extendedAgentCard",
    rest: [{ verb: "GET", path: "/extendedAgentCard" }],
  },
} as const satisfies Record<string, MethodRow>;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type ParamsOf<M extends MethodName> = z.output<Methods[M]["params"]>;
export type ResultOf<M extends MethodName> = z.output<Methods[M]["result"]>;
export type StreamingMethod = { [M in MethodName]: Methods[M]["streaming"] extends true ? M : never }[MethodName];
export type UnaryMethod = Exclude<MethodName, StreamingMethod>;

export const METHOD_NAMES = Object.keys(methods) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}

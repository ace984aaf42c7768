import { z } from "zod";
import {
  A2AError,
  invalidParams,
  isMethodName,
  JsonRpcRequestSchema,
  methods,
  type ErrorType,
  type JsonRpcId,
  type MethodName,
  type ResultOf,
} from "../../schema/a2a";
import { toV03AgentCard } from "../../schema/v03/agent-card";
import { toV03StreamEvent } from "../../schema/v03/events";
import { toV03Message } from "../../schema/v03/message";
import { fromV03PushConfig, toV03TaskPushConfig } from "../../schema/v03/push";
import {
  fromV03PushConfigRef,
  fromV03SendParams,
  V03DeletePushConfigParamsSchema,
  V03GetPushConfigParamsSchema,
  V03ListPushConfigParamsSchema,
  V03MessageSendParamsSchema,
  V03SetPushConfigParamsSchema,
  V03TaskIdParamsSchema,
  V03TaskQueryParamsSchema,
} from "../../schema/v03/requests";
import { toV03Task } from "../../schema/v03/task";
import { isPlainObject } from "../bindings/http";
import type { BaseContext } from "../bindings/invoke";
import { checkJsonTree } from "../bindings/json-tree";
import type { Reply } from "../bindings/jsonrpc";
import type { SseEncoding } from "../bindings/sse";
import { replaceError, toA2AError, toV03ErrorObject, v03ErrorObject } from "./errors";

/** One v0.3 JSON-RPC method: the v1.0 method serving it, and the translations either side of the core. */
interface V03Method {
  method: MethodName;
  /** v0.3 params → the v1.0 request (the v1.0 schema then checks it again, as for any v1.0 call). */
  params: z.ZodType<object>;
  result?: (result: never) => unknown;
  /** v1.0 error codes this method reports as another error (v0.3 named some cases differently). */
  errors?: Record<number, ErrorType>;
}

const method = <M extends MethodName>(name: M, params: z.ZodType<object>, result?: (result: ResultOf<M>) => unknown, errors?: Record<number, ErrorType>): V03Method => ({
  method: name,
  params,
  ...(result ? { result: result as (result: never) => unknown } : {}),
  ...(errors ? { errors } : {}),
});

const SendParams = V03MessageSendParamsSchema.transform(fromV03SendParams);

/** The v0.3 JSON-RPC methods (REFERENCE §10). There is no `tasks/list`: v0.3 had no ListTasks. */
export const V03_METHODS: Record<string, V03Method> = {
  "message/send": method("SendMessage", SendParams, (result) => ("task" in result ? toV03Task(result.task) : toV03Message(result.message))),
  "message/stream": method("SendStreamingMessage", SendParams),
  "tasks/get": method(
    "GetTask",
    V03TaskQueryParamsSchema.transform(({ id, historyLength }) => ({ id, ...(historyLength !== undefined ? { historyLength } : {}) })),
    toV03Task,
  ),
  "tasks/cancel": method("CancelTask", V03TaskIdParamsSchema, toV03Task),
  "tasks/resubscribe": method("SubscribeToTask", V03TaskIdParamsSchema.transform(({ id }) => ({ id }))),
  "tasks/pushNotificationConfig/set": method(
    "CreateTaskPushNotificationConfig",
    V03SetPushConfigParamsSchema.transform(({ taskId, pushNotificationConfig }) => fromV03PushConfig(pushNotificationConfig, taskId)),
    toV03TaskPushConfig,
  ),
  "tasks/pushNotificationConfig/get": method("GetTaskPushNotificationConfig", V03GetPushConfigParamsSchema.transform(fromV03PushConfigRef), toV03TaskPushConfig),
  "tasks/pushNotificationConfig/list": method(
    "ListTaskPushNotificationConfigs",
    V03ListPushConfigParamsSchema.transform(({ id }) => ({ taskId: id })),
    (result) => result.configs.map(toV03TaskPushConfig),
  ),
  "tasks/pushNotificationConfig/delete": method("DeleteTaskPushNotificationConfig", V03DeletePushConfigParamsSchema.transform(fromV03PushConfigRef), () => null),
  // v0.3 answers "no extended card" with AuthenticatedExtendedCardNotConfigured (-32007), v1.0 with UnsupportedOperation.
  "agent/getAuthenticatedExtendedCard": method("GetExtendedAgentCard", z.object({}), toV03AgentCard, { [-32004]: "ExtendedAgentCardNotConfigured" }),
};

function methodNotFound(name: string): A2AError {
  const shown = name.slice(0, 64);
  const hint = isMethodName(name)
    ? `${shown} is an A2A 1.0 method: send A2A-Version: 1.0 (a request without A2A-Version is served as v0.3)`
    : name === "tasks/list"
      ? "v0.3 has no tasks/list: ListTasks is served to requests with A2A-Version: 1.0"
      : `Method ${shown} not found`;
  return new A2AError("MethodNotFound", hint, { method: shown });
}

const streamEncoding = (id: JsonRpcId): SseEncoding => ({
  event: (event) => ({ jsonrpc: "2.0", id, result: toV03StreamEvent(event) }),
  error: (error) => ({ jsonrpc: "2.0", id, error: v03ErrorObject(error) }),
});

function toV03Reply(reply: Reply, row: V03Method, requestId: string | undefined): Reply {
  if (reply === undefined) return undefined;
  if ("feed" in reply) return { ...reply, encoding: streamEncoding(reply.id) };
  if ("error" in reply) {
    const replaced = row.errors?.[reply.error.code];
    return { ...reply, error: replaced ? replaceError(replaced) : toV03ErrorObject(reply.error) };
  }
  if (!row.result) return reply;
  try {
    return { ...reply, result: row.result(reply.result as never) };
  } catch (error) {
    // A result v0.3 cannot express is this binding's failure, answered like any other, not a crash of the batch.
    return { jsonrpc: "2.0", id: reply.id, error: v03ErrorObject(toA2AError(error, "jsonrpc-v03", requestId)) };
  }
}

/**
 * One v0.3 JSON-RPC request object: translated to the v1.0 request, answered by the v1.0 path (`answerV10`,
 * so both versions share one handler table and one catch site), and its reply translated back.
 */
export async function answerV03(entry: unknown, base: BaseContext, inBatch: boolean, answerV10: (entry: unknown, base: BaseContext, inBatch: boolean) => Promise<Reply>): Promise<Reply> {
  const envelope = JsonRpcRequestSchema.safeParse(entry);
  // A malformed envelope is refused the same way in both versions (-32600 is a v0.3 code too).
  if (!envelope.success) return answerV10(entry, base, inBatch);
  const { id, method: name, params } = envelope.data;
  const row = Object.hasOwn(V03_METHODS, name) ? V03_METHODS[name] : undefined;
  let translated: object;
  try {
    if (!row) throw methodNotFound(name);
    if (params !== undefined && !isPlainObject(params)) throw new A2AError("InvalidParams", "params must be a JSON object");
    if (inBatch && methods[row.method].streaming) throw new A2AError("InvalidRequest", `${name} streams and cannot be part of a batch`);
    checkJsonTree(params ?? {});
    const parsed = row.params.safeParse(params ?? {});
    if (!parsed.success) throw invalidParams(parsed.error.issues);
    translated = parsed.data;
  } catch (error) {
    // JSON-RPC 2.0 §4.1: a notification is never answered, not even with an error.
    return id === undefined ? undefined : { jsonrpc: "2.0", id, error: v03ErrorObject(toA2AError(error, "jsonrpc-v03", base.requestId)) };
  }
  const request = { jsonrpc: "2.0", ...(id !== undefined ? { id } : {}), method: row.method, params: translated };
  return toV03Reply(await answerV10(request, { ...base, protocolVersion: "0.3" }, inBatch), row, base.requestId);
}

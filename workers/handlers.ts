import {
  A2AError,
  methods,
  type MethodRow,
  type MethodName,
  type ParamsOf,
  type ResultOf,
  type SendMessageRequest,
  type StreamResponse,
  type StreamingMethod,
  type UnaryMethod,
} from "../schema/a2a";
import type { PlatformConfig } from "./config";
import { extendedAgentCard } from "./extended-card";
import { listTasks } from "./task-index";
import { mintTaskId, taskObject, unwrap, type Scope } from "./tasks";

/** Everything a handler knows about the call besides its params. */
export interface CallContext {
  env: Env;
  config: PlatformConfig;
  /** Tenant and owner every task operation is scoped to. */
  scope: Scope;
  origin: string;
  /** The caller's role from its credentials (AUTH_ROLE_CLAIM, an API key's role); never part of the scope. */
  role?: string;
  /** False for the anonymous owner that `ALLOW_ANONYMOUS` lets in. */
  authenticated?: boolean;
}

type UnaryHandler<M extends UnaryMethod> = (params: ParamsOf<M>, ctx: CallContext) => Promise<ResultOf<M>>;
type StreamHandler<M extends StreamingMethod> = (params: ParamsOf<M>, ctx: CallContext) => Promise<AsyncIterable<StreamResponse>>;
export type Handlers = { [M in UnaryMethod]: UnaryHandler<M> } & { [M in StreamingMethod]: StreamHandler<M> };

/** Refused before any handler runs: what the card declares unsupported (REFERENCE §5, §6, §7). */
const CAPABILITY_ERRORS = {
  streaming: () => new A2AError("UnsupportedOperation", "Streaming is not supported by this agent (capabilities.streaming is false)"),
  pushNotifications: () => new A2AError("PushNotificationNotSupported", "Push notifications are not supported by this agent"),
  extendedAgentCard: () => new A2AError("UnsupportedOperation", "This agent has no extended agent card (capabilities.extendedAgentCard is false)"),
} as const;

const OUTPUT_WILDCARDS = new Set(["*/*", "*"]);
const baseType = (mediaType: string) => mediaType.split(";")[0]!.trim().toLowerCase();

/** Message checks that hold for every agent: the sender's role, and media types the card says it accepts. */
function checkMessage(request: SendMessageRequest, config: PlatformConfig): void {
  const { message, configuration } = request;
  if (message.role !== "ROLE_USER") {
    throw new A2AError("InvalidParams", "Messages sent to an agent must have role ROLE_USER", {}, [
      { field: "message.role", description: "must be ROLE_USER" },
    ]);
  }
  const accepted = new Set(config.defaultInputModes.map(baseType));
  const refused = message.parts.map((part) => part.mediaType).find((type) => type !== undefined && !accepted.has(baseType(type)));
  if (refused !== undefined) {
    throw new A2AError("ContentTypeNotSupported", `Media type ${refused} is not accepted; accepted: ${config.defaultInputModes.join(", ")}`, {
      mediaType: refused,
    });
  }
  const wanted = configuration?.acceptedOutputModes?.map(baseType) ?? [];
  const produced = new Set(config.defaultOutputModes.map(baseType));
  if (wanted.length > 0 && !wanted.some((type) => produced.has(type) || OUTPUT_WILDCARDS.has(type))) {
    throw new A2AError("ContentTypeNotSupported", `None of the accepted output modes can be produced; this agent produces ${config.defaultOutputModes.join(", ")}`);
  }
}

/** Not reachable while the capability is off (see `dispatch`); the streaming issue replaces these. */
async function notServed(): Promise<never> {
  throw new A2AError("UnsupportedOperation", "This operation is not available in this deployment");
}

/**
 * One handler per row of the method table; `satisfies` makes a missing or mistyped handler a compile error.
 */
export const handlers = {
  async SendMessage(params, ctx) {
    checkMessage(params, ctx.config);
    if (params.configuration?.taskPushNotificationConfig && !ctx.config.capabilities.pushNotifications) {
      throw CAPABILITY_ERRORS.pushNotifications();
    }
    const givenTaskId = params.message.taskId;
    const taskId = givenTaskId ?? (await mintTaskId(ctx.scope, params.message.messageId));
    return unwrap(await taskObject(ctx.env, taskId).send({ scope: ctx.scope, taskId, isNew: givenTaskId === undefined, request: params }));
  },
  SendStreamingMessage: notServed,
  async GetTask(params, ctx) {
    return unwrap(await taskObject(ctx.env, params.id).get({ scope: ctx.scope, taskId: params.id, historyLength: params.historyLength }));
  },
  async ListTasks(params, ctx) {
    return listTasks(ctx.env, ctx.scope, params);
  },
  async CancelTask(params, ctx) {
    return unwrap(await taskObject(ctx.env, params.id).cancel({ scope: ctx.scope, taskId: params.id, metadata: params.metadata }));
  },
  SubscribeToTask: notServed,
  CreateTaskPushNotificationConfig: notServed,
  GetTaskPushNotificationConfig: notServed,
  ListTaskPushNotificationConfigs: notServed,
  DeleteTaskPushNotificationConfig: notServed,
  GetExtendedAgentCard: async (_params, ctx) => extendedAgentCard(ctx),
} satisfies Handlers;

/** Capability gate, then the handler: the single path every binding calls. */
export async function dispatch<M extends UnaryMethod>(method: M, params: ParamsOf<M>, ctx: CallContext): Promise<ResultOf<M>> {
  const row: MethodRow = methods[method as MethodName];
  if (row.capability && !ctx.config.capabilities[row.capability]) throw CAPABILITY_ERRORS[row.capability]();
  const handler = handlers[method] as UnaryHandler<M>;
  return handler(params, ctx);
}

export async function dispatchStream<M extends StreamingMethod>(
  method: M,
  params: ParamsOf<M>,
  ctx: CallContext,
): Promise<AsyncIterable<StreamResponse>> {
  const row: MethodRow = methods[method];
  if (row.capability && !ctx.config.capabilities[row.capability]) throw CAPABILITY_ERRORS[row.capability]();
  return (handlers[method] as StreamHandler<M>)(params, ctx);
}

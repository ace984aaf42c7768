import {
  A2AError,
  methods,
  type MethodRow,
  type MethodName,
  type ParamsOf,
  type ResultOf,
  type SendMessageRequest,
  type StreamingMethod,
  type UnaryMethod,
} from "../schema/a2a";
import { assertPushConfig } from "../durable-objects/push/config-guard";
import { inputModesOf, outputModesOf, type AgentSite } from "./card";
import type { PlatformConfig } from "./config";
import { pushHandlers } from "./push-handlers";
import { extendedAgentCard } from "./extended-card";
import { listTasks } from "./task-index";
import { openTaskStream, type TaskFeed } from "./streams";
import { mintTaskId, taskObject, unwrap, withRestarts, type Scope } from "./tasks";

/** Everything a handler knows about the call besides its params. */
export interface CallContext {
  env: Env;
  config: PlatformConfig;
  /** The agent, tenant and owner every task operation is scoped to. */
  scope: Scope;
  /** The public origin (`PUBLIC_URL`, or the request's). */
  origin: string;
  /** The agent called, and where it is served. */
  site: AgentSite;
  /** `Last-Event-ID` of a reconnecting stream: resume after this event sequence number. */
  lastEventId?: number | undefined;
  /** The wire version of the caller when it is not 1.0; whatever reaches the caller later (webhooks) speaks it too. */
  protocolVersion?: "0.3" | undefined;
  /** The caller's role from its credentials (AUTH_ROLE_CLAIM, an API key's role); never part of the scope. */
  role?: string;
  /** False for the anonymous owner that `ALLOW_ANONYMOUS` lets in. */
  authenticated: boolean;
  /** The extensions the request activated (workers/extensions.ts); an agent's run sees them as `caller.extensions`. */
  extensions?: string[];
}

/** What a task object is told about the sender of a message. */
const callerOf = (ctx: CallContext) => ({
  authenticated: ctx.authenticated,
  ...(ctx.role !== undefined ? { role: ctx.role } : {}),
  ...(ctx.extensions?.length ? { extensions: ctx.extensions } : {}),
});

type UnaryHandler<M extends UnaryMethod> = (params: ParamsOf<M>, ctx: CallContext) => Promise<ResultOf<M>>;
type StreamHandler<M extends StreamingMethod> = (params: ParamsOf<M>, ctx: CallContext) => Promise<TaskFeed>;
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
function checkMessage(request: SendMessageRequest, config: PlatformConfig, site: AgentSite): void {
  const { message, configuration } = request;
  if (message.role !== "ROLE_USER") {
    throw new A2AError("InvalidParams", "Messages sent to an agent must have role ROLE_USER", {}, [
      { field: "message.role", description: "must be ROLE_USER" },
    ]);
  }
  const inputModes = inputModesOf(config, site.agent);
  const accepted = new Set(inputModes.map(baseType));
  const refused = message.parts.map((part) => part.mediaType).find((type) => type !== undefined && !accepted.has(baseType(type)));
  if (refused !== undefined) {
    throw new A2AError("ContentTypeNotSupported", `Media type ${refused} is not accepted; accepted: ${inputModes.join(", ")}`, {
      mediaType: refused,
    });
  }
  const wanted = configuration?.acceptedOutputModes?.map(baseType) ?? [];
  const outputModes = outputModesOf(config, site.agent);
  const produced = new Set(outputModes.map(baseType));
  if (wanted.length > 0 && !wanted.some((type) => produced.has(type) || OUTPUT_WILDCARDS.has(type))) {
    throw new A2AError("ContentTypeNotSupported", `None of the accepted output modes can be produced; this agent produces ${outputModes.join(", ")}`);
  }
}

/** Checks a message and names the task it goes to: the one it names, or a new one minted from its id. */
async function prepareSend(params: SendMessageRequest, ctx: CallContext) {
  checkMessage(params, ctx.config, ctx.site);
  const webhook = params.configuration?.taskPushNotificationConfig;
  if (webhook && !ctx.config.capabilities.pushNotifications) throw CAPABILITY_ERRORS.pushNotifications();
  if (webhook) assertPushConfig(webhook, ctx.env, "configuration.taskPushNotificationConfig");
  const given = params.message.taskId;
  const taskId = given ?? (await mintTaskId(ctx.scope, params.message.messageId));
  return {
    taskId,
    isNew: given === undefined,
    caller: callerOf(ctx),
    ...(ctx.protocolVersion ? { protocolVersion: ctx.protocolVersion } : {}),
  };
}

/**
 * One handler per row of the method table; `satisfies` makes a missing or mistyped handler a compile error.
 */
export const handlers = {
  async SendMessage(params, ctx) {
    const target = await prepareSend(params, ctx);
    return unwrap(await withRestarts(ctx.env, target.taskId, (task) => task.send({ ...target, scope: ctx.scope, request: params })));
  },
  /** The stream is opened before the send starts the run, so it sees every event from the first. */
  async SendStreamingMessage(params, ctx) {
    const target = await prepareSend(params, ctx);
    const { taskId } = target;
    const streamId = crypto.randomUUID();
    const feed = await openTaskStream(ctx.env, { taskId, streamId, mode: "send", ...ctx.scope });
    const outcome = await taskObject(ctx.env, taskId).sendStreaming({ ...target, scope: ctx.scope, request: params, streamId });
    if (!outcome.ok) feed.cancel();
    unwrap(outcome);
    return feed;
  },
  async GetTask(params, ctx) {
    return unwrap(await withRestarts(ctx.env, params.id, (task) => task.get({ scope: ctx.scope, taskId: params.id, historyLength: params.historyLength })));
  },
  async ListTasks(params, ctx) {
    return listTasks(ctx.env, ctx.scope, params);
  },
  async CancelTask(params, ctx) {
    return unwrap(await taskObject(ctx.env, params.id).cancel({ scope: ctx.scope, taskId: params.id, metadata: params.metadata }));
  },
  async SubscribeToTask(params, ctx) {
    return openTaskStream(ctx.env, { taskId: params.id, streamId: crypto.randomUUID(), mode: "subscribe", ...ctx.scope, after: ctx.lastEventId });
  },
  ...pushHandlers,
  GetExtendedAgentCard: async (_params, ctx) => extendedAgentCard(ctx),
} satisfies Handlers;

/** Capability gate, then the handler: the single path every binding calls. */
export async function dispatch<M extends UnaryMethod>(method: M, params: ParamsOf<M>, ctx: CallContext): Promise<ResultOf<M>> {
  const row: MethodRow = methods[method as MethodName];
  if (row.capability && !ctx.config.capabilities[row.capability]) throw CAPABILITY_ERRORS[row.capability]();
  const handler = handlers[method] as UnaryHandler<M>;
  return handler(params, ctx);
}

export async function dispatchStream<M extends StreamingMethod>(method: M, params: ParamsOf<M>, ctx: CallContext): Promise<TaskFeed> {
  const row: MethodRow = methods[method];
  if (row.capability && !ctx.config.capabilities[row.capability]) throw CAPABILITY_ERRORS[row.capability]();
  return (handlers[method] as StreamHandler<M>)(params, ctx);
}

import type { Context } from "hono";
import type { z } from "zod";
import { A2AError, invalidParams, type HttpVerb, type MethodName, type ResultOf } from "../../schema/a2a";
import { toV03ProtoSendResponse, toV03ProtoStreamResponse, toV03ProtoTask } from "../../schema/v03/proto";
import {
  fromV03ProtoCreatePushConfig,
  fromV03ProtoSendRequest,
  toV03ProtoAgentCard,
  toV03ProtoTaskPushConfig,
  V03ProtoCreatePushConfigBodySchema,
  V03ProtoSendMessageRequestSchema,
} from "../../schema/v03/proto-requests";
import { isPlainObject, jsonResponse, readJsonBody, requireJsonContentType } from "../bindings/http";
import { invoke, type BaseContext } from "../bindings/invoke";
import { checkJsonTree } from "../bindings/json-tree";
import { compilePath, decode } from "../bindings/rest-routes";
import { sseResponse } from "../bindings/sse";
import { v03AgentCard } from "./card";
import { toA2AError, v03ErrorObject, v03RestError } from "./errors";

interface Input {
  path: Record<string, string>;
  body: Record<string, unknown>;
  query: URLSearchParams;
}

/** One v0.3 REST route (the google.api.http annotations of v0.3/a2a.proto) and the v1.0 method serving it. */
interface V03Route {
  verb: HttpVerb;
  path: string;
  method: MethodName;
  params(input: Input): Record<string, unknown>;
  result?: (result: never) => unknown;
  status?: 200 | 204;
}

const route = <M extends MethodName>(verb: HttpVerb, path: string, method: M, params: (input: Input) => Record<string, unknown>, result?: (result: ResultOf<M>) => unknown, status?: 200 | 204): V03Route => ({
  verb,
  path,
  method,
  params,
  ...(result ? { result: result as (result: never) => unknown } : {}),
  ...(status ? { status } : {}),
});

function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  checkJsonTree(body);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw invalidParams(parsed.error.issues);
  return parsed.data;
}

/** v0.3 proto: a history length of 0 means unlimited, so it is dropped; anything else goes to the v1.0 check. */
const historyLength = (query: URLSearchParams) => {
  const value = query.get("historyLength") ?? query.get("history_length");
  return value !== null && Number(value) !== 0 ? { historyLength: value } : {};
};

const ref = ({ path }: Input) => ({ taskId: path.id, id: path.configId });
const send = ({ body }: Input) => fromV03ProtoSendRequest(parse(V03ProtoSendMessageRequestSchema, body));

const V03_ROUTES = [
  route("POST", "/v1/message:send", "SendMessage", send, toV03ProtoSendResponse),
  route("POST", "/v1/message:stream", "SendStreamingMessage", send),
  route("GET", "/v1/tasks/{id}", "GetTask", ({ path, query }) => ({ id: path.id, ...historyLength(query) }), toV03ProtoTask),
  route("POST", "/v1/tasks/{id}:cancel", "CancelTask", ({ path }) => ({ id: path.id }), toV03ProtoTask),
  // The proto annotation says GET; POST is served too, as it is for v1.0 (REFERENCE §11.1).
  route("GET", "/v1/tasks/{id}:subscribe", "SubscribeToTask", ({ path }) => ({ id: path.id })),
  route("POST", "/v1/tasks/{id}:subscribe", "SubscribeToTask", ({ path }) => ({ id: path.id })),
  route(
    "POST",
    "/v1/tasks/{id}/pushNotificationConfigs",
    "CreateTaskPushNotificationConfig",
    ({ path, body }) => fromV03ProtoCreatePushConfig(parse(V03ProtoCreatePushConfigBodySchema, body), path.id!),
    toV03ProtoTaskPushConfig,
  ),
  route("GET", "/v1/tasks/{id}/pushNotificationConfigs/{configId}", "GetTaskPushNotificationConfig", ref, toV03ProtoTaskPushConfig),
  route("GET", "/v1/tasks/{id}/pushNotificationConfigs", "ListTaskPushNotificationConfigs", ({ path }) => ({ taskId: path.id }), (result) => ({
    configs: result.configs.map(toV03ProtoTaskPushConfig),
    ...(result.nextPageToken ? { nextPageToken: result.nextPageToken } : {}),
  })),
  route("DELETE", "/v1/tasks/{id}/pushNotificationConfigs/{configId}", "DeleteTaskPushNotificationConfig", ref, undefined, 204),
].map((r) => ({ ...r, ...compilePath(r.path) }));

const CARD_PATH = "/v1/card";

type Match = { kind: "found"; route: (typeof V03_ROUTES)[number]; path: Record<string, string> } | { kind: "wrong-verb"; allow: HttpVerb[] } | { kind: "none" };

function match(path: string, verb: string): Match {
  const allow: HttpVerb[] = [];
  for (const candidate of V03_ROUTES) {
    const found = candidate.pattern.exec(path);
    if (!found) continue;
    if (candidate.verb !== verb) allow.push(candidate.verb);
    else return { kind: "found", route: candidate, path: Object.fromEntries(candidate.names.map((name, i) => [name, decode(found[i + 1]!)])) };
  }
  return allow.length > 0 ? { kind: "wrong-verb", allow } : { kind: "none" };
}

/**
 * A v0.3 request under the REST interface URL (`path` is relative to it): the v0.3 paths under `/v1/`,
 * bodies and answers in the ProtoJSON of v0.3/a2a.proto, served by the v1.0 handler table.
 */
export async function handleRestV03(c: Context, base: BaseContext, path: string): Promise<Response> {
  try {
    if (path === CARD_PATH) {
      if (c.req.method !== "GET" && c.req.method !== "HEAD") return v03RestError(new A2AError("MethodNotAllowed", "GET the card"), base.log, { Allow: "GET" });
      return jsonResponse(toV03ProtoAgentCard(v03AgentCard(base.config, base.site)));
    }
    const found = match(path, c.req.method);
    if (found.kind === "none") {
      const where = `${c.req.method} ${path.slice(0, 128)}`;
      throw new A2AError("RouteNotFound", `No A2A v0.3 operation at ${where}: v0.3 REST paths start with /v1/, and a request without A2A-Version is served as v0.3 (send A2A-Version: 1.0 for the v1.0 paths)`);
    }
    if (found.kind === "wrong-verb") {
      return v03RestError(new A2AError("MethodNotAllowed", `${c.req.method} is not allowed here; use ${found.allow.join(" or ")}`), base.log, {
        Allow: found.allow.join(", "),
      });
    }
    let body: Record<string, unknown> = {};
    if (found.route.verb === "POST") {
      requireJsonContentType(c.req.raw);
      const read = await readJsonBody(c.req.raw, base.config.maxBodyBytes);
      if (read !== undefined && !isPlainObject(read)) throw new A2AError("InvalidParams", "The request body must be a JSON object");
      body = read ?? {};
    }
    const params = found.route.params({ path: found.path, body, query: new URL(c.req.url).searchParams });
    const outcome = await invoke(found.route.method, params, { ...base, protocolVersion: "0.3" });
    if (outcome.kind === "stream") return sseResponse(outcome.feed, { event: toV03ProtoStreamResponse, error: v03ErrorObject }, base.config);
    if (found.route.status === 204) return new Response(null, { status: 204 });
    return jsonResponse(found.route.result ? found.route.result(outcome.result as never) : outcome.result);
  } catch (error) {
    return v03RestError(toA2AError(error, "rest-v03", base.requestId), base.log);
  }
}

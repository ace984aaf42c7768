import type { Context } from "hono";
import {
  A2AError,
  isMethodName,
  JsonRpcIdSchema,
  JsonRpcRequestSchema,
  methods,
  type JsonRpcFailure,
  type JsonRpcId,
  type JsonRpcSuccess,
} from "../../schema/a2a";
import { isPlainObject, jsonResponse, negotiateVersion, readJsonBody, requireJsonContentType } from "./http";
import { invoke, type BaseContext } from "./invoke";
import { sseResponse, type SseEncoding } from "./sse";
import type { TaskFeed } from "../streams";
import { answerV03 } from "../v03/jsonrpc";
import { internalError } from "../internal-error";
import { reasonIn } from "../request-log";

const MAX_BATCH = 100;
/** Failures where the body was never read keep their HTTP status; every other JSON-RPC error rides on 200. */
const TRANSPORT_STATUSES = new Set([413, 415]);
/** A single call refused for who sent it answers 401/403 as HTTP says (§8), with the JSON-RPC body kept. */
const IDENTITY_STATUSES: Record<string, number> = { UNAUTHENTICATED: 401, PERMISSION_DENIED: 403 };
const statusOf = (reply: JsonRpcSuccess | JsonRpcFailure) =>
  ("error" in reply && IDENTITY_STATUSES[(reply.error.data as Array<{ reason?: string }> | undefined)?.[0]?.reason ?? ""]) || 200;

/**
 * One answer: a response, a stream of responses sharing the request's id (`encoding` when its events are
 * not v1.0 StreamResponses), or nothing (a notification).
 */
export type Reply = JsonRpcSuccess | JsonRpcFailure | { id: JsonRpcId; feed: TaskFeed; encoding?: SseEncoding } | undefined;

export function failure(id: JsonRpcId, error: A2AError): JsonRpcFailure {
  return { jsonrpc: "2.0", id, error: { code: error.spec.code, message: error.message, data: error.details() } };
}

/** The one catch site of the JSON-RPC binding. */
export function toA2AError(error: unknown, requestId?: string): A2AError {
  return internalError(error, "jsonrpc", requestId);
}

type Respond = (entry: unknown, base: BaseContext, inBatch: boolean) => Promise<Reply>;

/**
 * Every request object of a parsed body answered with one error (a version this endpoint does not serve), each
 * with its own id; notifications, as always, with nothing.
 */
function refuseAll(error: A2AError): Respond {
  return async (entry) => {
    const envelope = JsonRpcRequestSchema.safeParse(entry);
    if (envelope.success && envelope.data.id === undefined) return undefined;
    const id = isPlainObject(entry) ? JsonRpcIdSchema.safeParse(entry.id) : undefined;
    return failure(id?.success ? id.data : null, error);
  };
}

/** One request object of a call or a batch; `undefined` for a notification. */
export async function answer(entry: unknown, base: BaseContext, inBatch: boolean): Promise<Reply> {
  const id = isPlainObject(entry) ? JsonRpcIdSchema.safeParse(entry.id) : undefined;
  const replyId: JsonRpcId = id?.success ? id.data : null;
  const envelope = JsonRpcRequestSchema.safeParse(entry);
  // JSON-RPC 2.0 §4.1: a notification (a valid request without an id) is never answered, not even with an error.
  const notification = envelope.success && envelope.data.id === undefined;
  try {
    if (!envelope.success) throw new A2AError("InvalidRequest", "Not a JSON-RPC 2.0 request: needs jsonrpc \"2.0\", a string method and an id that is a string, number or null");
    const { method, params } = envelope.data;
    if (!isMethodName(method)) {
      const hint = method.includes("/") ? " (a v0.3 method name: v0.3 is served to requests without an A2A-Version header)" : "";
      throw new A2AError("MethodNotFound", `Method ${method.slice(0, 64)} not found${hint}`, { method: method.slice(0, 64) });
    }
    if (params !== undefined && !isPlainObject(params)) throw new A2AError("InvalidParams", "params must be a JSON object");
    if (inBatch && methods[method].streaming) throw new A2AError("InvalidRequest", `${method} streams and cannot be part of a batch`);
    const outcome = await invoke(method, params ?? {}, base);
    if (outcome.kind === "stream") return { id: replyId, feed: outcome.feed };
    if (notification) return undefined;
    return { jsonrpc: "2.0", id: replyId, result: outcome.result };
  } catch (error) {
    const a2a = toA2AError(error, base.requestId);
    return notification ? undefined : failure(replyId, a2a);
  }
}

/** POST to the JSON-RPC interface URL: a single call, a notification, or a batch (JSON-RPC 2.0 §6). */
export async function handleJsonRpc(c: Context, base: BaseContext): Promise<Response> {
  let body: unknown;
  // The version picks the method names and shapes: v0.3 is translated at this edge (workers/v03), v1.0 is native.
  // A version not served is still the first thing wrong with a request, but once the body parses, its answer
  // echoes the request's id like any other error.
  let respond: Respond = answer;
  let refused: A2AError | undefined;
  try {
    if (negotiateVersion(c.req.raw) === "0.3") respond = (entry, ctx, inBatch) => answerV03(entry, ctx, inBatch, answer);
  } catch (error) {
    refused = toA2AError(error, base.requestId);
    respond = refuseAll(refused);
  }
  try {
    requireJsonContentType(c.req.raw);
    body = await readJsonBody(c.req.raw, base.config.maxBodyBytes);
    if (body === undefined) throw new A2AError("InvalidRequest", "Empty request body");
    if (Array.isArray(body) && body.length === 0) throw new A2AError("InvalidRequest", "An empty batch is not a request");
    if (Array.isArray(body) && body.length > MAX_BATCH) throw new A2AError("InvalidRequest", `A batch may hold at most ${MAX_BATCH} requests`);
  } catch (error) {
    const a2a = refused ?? toA2AError(error, base.requestId);
    const reply = failure(null, a2a);
    logErrors(base, [reply]);
    return jsonResponse(reply, TRANSPORT_STATUSES.has(a2a.spec.http) ? a2a.spec.http : 200);
  }
  if (Array.isArray(body)) {
    const replies = (await Promise.all(body.map((entry) => respond(entry, base, true)))).filter((r) => r !== undefined);
    logErrors(base, replies);
    return replies.length === 0 ? new Response(null, { status: 204 }) : jsonResponse(replies);
  }
  const reply = await respond(body, base, false);
  logErrors(base, [reply]);
  if (reply === undefined) return new Response(null, { status: 204 });
  if ("feed" in reply) {
    const { id, feed } = reply;
    const encoding = reply.encoding ?? { event: (result) => ({ jsonrpc: "2.0", id, result }), error: (error) => failure(id, error) };
    return sseResponse(feed, encoding, base.config);
  }
  return jsonResponse(reply, statusOf(reply));
}

export function jsonRpcMethodNotAllowed(): Response {
  return jsonResponse(failure(null, new A2AError("MethodNotAllowed", "The JSON-RPC endpoint accepts POST only")), 405, { Allow: "POST" });
}

/** The request's log line reports each error as its caller reads it (v0.3 codes included). */
function logErrors(base: BaseContext, replies: Reply[]): void {
  for (const reply of replies) {
    if (reply && "error" in reply) base.log?.errors.push({ code: reply.error.code, reason: reasonIn(reply.error.data) });
  }
}

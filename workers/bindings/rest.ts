import type { Context } from "hono";
import { A2AError, methods } from "../../schema/a2a";
import { isPlainObject, jsonResponse, negotiateVersion, readJsonBody, requireJsonContentType } from "./http";
import { invoke, type BaseContext } from "./invoke";
import { matchRoute, type CompiledRoute } from "./rest-routes";
import { sseResponse } from "./sse";
import { handleRestV03 } from "../v03/rest";
import { internalError } from "../internal-error";
import { noteError } from "../request-log";

/** google.rpc.Status as AIP-193 puts it on the wire: the one error shape of the REST binding. */
export function restError(error: A2AError, headers: Record<string, string> = {}): Response {
  return jsonResponse(restErrorBody(error), error.spec.http, headers);
}

export function restErrorBody(error: A2AError) {
  const { http, status } = error.spec;
  return { error: { code: http, status, message: error.message, details: error.details() } };
}

const snakeToCamel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Query strings carry text only: camelCase the keys (ProtoJSON also accepts snake_case), type the booleans. */
function queryParams(url: URL, route: CompiledRoute): Record<string, unknown> {
  const booleans: readonly string[] = "booleanQuery" in methods[route.method] ? (methods[route.method] as { booleanQuery: string[] }).booleanQuery : [];
  const params: Record<string, unknown> = {};
  for (const [rawKey, value] of url.searchParams) {
    const key = snakeToCamel(rawKey);
    if (key === "A2A-Version") continue;
    if (booleans.includes(key)) {
      if (value !== "true" && value !== "false") {
        throw new A2AError("InvalidParams", `${key} must be true or false`, {}, [{ field: key, description: "must be true or false" }]);
      }
      params[key] = value === "true";
    } else {
      params[key] = value;
    }
  }
  return params;
}

/** Any request under the REST interface URL; `path` is relative to it. */
export async function handleRest(c: Context, base: BaseContext, path: string): Promise<Response> {
  try {
    // The version picks the routes: v0.3 (the `/v1/…` paths, ProtoJSON of the v0.3 proto) is translated in workers/v03.
    if (negotiateVersion(c.req.raw) === "0.3") return handleRestV03(c, base, path);
    const url = new URL(c.req.url);
    const match = matchRoute(path === "" ? "/" : path, c.req.method);
    if (match.kind === "none") throw new A2AError("RouteNotFound", `No A2A operation at ${c.req.method} ${path.slice(0, 128)}`);
    if (match.kind === "wrong-verb") {
      const error = new A2AError("MethodNotAllowed", `${c.req.method} is not allowed here; use ${match.allow.join(" or ")}`);
      noteError(base.log, error.spec.http, error.spec.reason);
      return restError(error, { Allow: match.allow.join(", ") });
    }
    let params: Record<string, unknown>;
    if (match.route.verb === "POST") {
      requireJsonContentType(c.req.raw);
      const body = await readJsonBody(c.req.raw, base.config.maxBodyBytes);
      if (body !== undefined && !isPlainObject(body)) throw new A2AError("InvalidParams", "The request body must be a JSON object");
      params = { ...(body ?? {}), ...match.pathParams };
    } else {
      params = { ...queryParams(url, match.route), ...match.pathParams };
    }
    const outcome = await invoke(match.route.method, params, base, match.tenant);
    if (outcome.kind === "stream") {
      return sseResponse(outcome.feed, { event: (event) => event, error: (error) => restErrorBody(error) }, base.config);
    }
    if (match.route.status === 204) return new Response(null, { status: 204 });
    return jsonResponse(outcome.result, match.route.status);
  } catch (error) {
    const a2a = internalError(error, "rest", base.requestId);
    noteError(base.log, a2a.spec.http, a2a.spec.reason);
    return restError(a2a);
  }
}

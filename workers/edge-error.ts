import type { Context } from "hono";
import type { AppEnv } from "./app-env";
import { challenges } from "./auth/authenticate";
import { authSettings } from "./auth/settings";
import { jsonResponse } from "./bindings/http";
import { failure } from "./bindings/jsonrpc";
import { restError } from "./bindings/rest";
import { JSONRPC_PATH } from "./card";
import { internalError } from "./internal-error";

const isJsonRpcPath = (path: string) => path === JSONRPC_PATH || path === `${JSONRPC_PATH}/`;

/**
 * The catch site of everything in front of the bindings (URL limits, authentication, rate limits): the error in
 * the shape of the binding the request was for, with the headers its status calls for.
 */
export function edgeError(c: Context<AppEnv>, error: unknown): Response {
  const a2a = internalError(error, "app", c.get("requestId"));
  const jsonRpc = isJsonRpcPath(c.req.path);
  c.get("log")?.errors.push({ code: jsonRpc ? a2a.spec.code : a2a.spec.http, reason: a2a.spec.reason });
  const headers = new Headers();
  if (a2a.type === "Unauthenticated") for (const challenge of challenges(authSettings(c.env), a2a)) headers.append("WWW-Authenticate", challenge);
  if (a2a.metadata.retryAfterSeconds) headers.set("Retry-After", a2a.metadata.retryAfterSeconds);
  const response = jsonRpc ? jsonResponse(failure(null, a2a), a2a.spec.http) : restError(a2a);
  headers.forEach((value, name) => response.headers.append(name, value));
  return response;
}

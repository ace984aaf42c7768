import type { Context } from "hono";
import { A2AError } from "../schema/a2a";
import type { AppEnv } from "./app-env";
import { challenges } from "./auth/authenticate";
import { authSettings } from "./auth/settings";
import { jsonResponse } from "./bindings/http";
import { failure } from "./bindings/jsonrpc";
import { restError } from "./bindings/rest";
import { JSONRPC_PATH } from "./card";

const isJsonRpcPath = (path: string) => path === JSONRPC_PATH || path === `${JSONRPC_PATH}/`;

/**
 * The catch site of everything in front of the bindings (URL limits, authentication, rate limits): the error in
 * the shape of the binding the request was for, with the headers its status calls for.
 */
export function edgeError(c: Context<AppEnv>, error: unknown): Response {
  const a2a = error instanceof A2AError ? error : new A2AError("Internal", "Internal error");
  if (!(error instanceof A2AError)) {
    console.error(JSON.stringify({ at: "app", requestId: c.get("requestId"), error: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
  }
  const headers = new Headers();
  if (a2a.type === "Unauthenticated") for (const challenge of challenges(authSettings(c.env), a2a)) headers.append("WWW-Authenticate", challenge);
  if (a2a.metadata.retryAfterSeconds) headers.set("Retry-After", a2a.metadata.retryAfterSeconds);
  const response = isJsonRpcPath(c.req.path) ? jsonResponse(failure(null, a2a), a2a.spec.http) : restError(a2a);
  headers.forEach((value, name) => response.headers.append(name, value));
  return response;
}

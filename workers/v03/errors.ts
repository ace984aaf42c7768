import { A2AError, ERRORS, type ErrorType, type JsonRpcFailure } from "../../schema/a2a";
import { jsonResponse } from "../bindings/http";
import { internalError } from "../internal-error";
import { noteError, type RequestLog } from "../request-log";

type ErrorObject = JsonRpcFailure["error"];

/**
 * v0.3 defines the A2A codes -32001…-32007 only. The two v1.0 added are request problems a v0.3 client can
 * only read as InvalidRequest; their ErrorInfo (reason EXTENSION_SUPPORT_REQUIRED / VERSION_NOT_SUPPORTED)
 * stays in `data`, which v0.3 leaves free-form.
 */
const V1_ONLY_CODES: Record<number, number> = { [ERRORS.ExtensionSupportRequired.code]: ERRORS.InvalidRequest.code, [ERRORS.VersionNotSupported.code]: ERRORS.InvalidRequest.code };

/** A rendered JSON-RPC error object (from the v1.0 path) as v0.3 may carry it. */
export function toV03ErrorObject(error: ErrorObject): ErrorObject {
  const code = V1_ONLY_CODES[error.code];
  return code === undefined ? error : { ...error, code };
}

export const v03ErrorObject = (error: A2AError): ErrorObject => toV03ErrorObject({ code: error.spec.code, message: error.message, data: error.details() });

/** A v1.0 error a v0.3 method reports as another: the error of that type, in place of what the core said. */
export const replaceError = (type: ErrorType): ErrorObject => v03ErrorObject(new A2AError(type));

/**
 * The one catch site's output for the v0.3 REST binding: `{code, message, data}`, the body v0.3 REST clients
 * read. `log` gets the error for the request's log line.
 */
export function v03RestError(error: A2AError, log: RequestLog | undefined, headers: Record<string, string> = {}): Response {
  const body = v03ErrorObject(error);
  noteError(log, body.code, error.spec.reason);
  return jsonResponse(body, error.spec.http, headers);
}

export const toA2AError = (error: unknown, at: string, requestId?: string): A2AError => internalError(error, at, requestId);

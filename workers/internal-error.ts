import { A2AError } from "../schema/a2a";

/** An exception's stack (or text), for the operator's log only. */
export const stackOf = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));

/**
 * What the caller learns of an exception nobody meant to throw: that it happened, and the request id to quote.
 * The operator's log line has the rest (the stack), under the same id; the text of the exception never reaches
 * the caller, since it may carry internals (a query, a path, a secret in a URL).
 */
export function internalError(error: unknown, at: string, requestId: string | undefined): A2AError {
  if (error instanceof A2AError) return error;
  console.error(JSON.stringify({ at, requestId, error: stackOf(error) }));
  return new A2AError("Internal", requestId === undefined ? "Internal error" : `Internal error; the server log has it under request ${requestId}`, {
    ...(requestId === undefined ? {} : { requestId }),
  });
}

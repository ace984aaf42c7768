import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env";

/** What the bindings report back about a request, for its log line. */
export interface RequestLog {
  /** The A2A methods called (several for a JSON-RPC batch). */
  methods: string[];
  tenant?: string;
  /**
   * The errors answered, as the caller reads them: the JSON-RPC `error.code` or the REST `error.code`, and the
   * ErrorInfo reason. A JSON-RPC error rides on HTTP 200, so the status alone would not show it.
   */
  errors: LoggedError[];
}

export interface LoggedError {
  code: number;
  reason: string;
}

/** Notes an error answered, for the request's log line. */
export function noteError(log: RequestLog | undefined, code: number, reason: string): void {
  log?.errors.push({ code, reason });
}

/** The ErrorInfo reason among an error's details (`data` or `details`). */
export function reasonIn(details: unknown): string {
  const info = Array.isArray(details) ? details.find((d) => d?.["@type"] === "type.googleapis.com/google.rpc.ErrorInfo") : undefined;
  return typeof info?.reason === "string" ? info.reason : "";
}

/** Ids a client may choose: short, and safe to echo in a header and a log line. */
const REQUEST_ID = /^[A-Za-z0-9._:@+=\/-]{1,128}$/;

/**
 * Outermost middleware: takes the client's `X-Request-ID` or mints one, echoes it on every response (the card
 * and the JWKS too), and writes one JSON log line with the tenant, method, status, errors and latency (Workers
 * Logs index JSON fields) for every A2A call and every error. Successful card and JWKS reads, the bulk of the
 * traffic, are left to the platform's own invocation log: a line each would only cost time on the hottest path.
 */
export const requestLog: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = Date.now();
  const given = c.req.header("X-Request-ID");
  const requestId = given !== undefined && REQUEST_ID.test(given) ? given : crypto.randomUUID();
  const log: RequestLog = { methods: [], errors: [] };
  c.set("requestId", requestId);
  c.set("log", log);
  await next();
  try {
    c.res.headers.set("X-Request-ID", requestId);
  } catch {
    // A response passed through from fetch() has immutable headers.
    c.res = new Response(c.res.body, c.res);
    c.res.headers.set("X-Request-ID", requestId);
  }
  if (c.res.status < 400 && !c.req.path.includes("/a2a/")) return;
  const identity = c.get("identity");
  console.log(
    JSON.stringify({
      at: "request",
      requestId,
      method: log.methods.length > 0 ? log.methods.join(",") : `${c.req.method} ${c.req.path.slice(0, 128)}`,
      tenant: log.tenant ?? identity?.tenant ?? "",
      status: c.res.status,
      ...(log.errors.length > 0 ? { errors: log.errors } : {}),
      latencyMs: Date.now() - started,
    }),
  );
};

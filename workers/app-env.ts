import type { Identity } from "./auth/identity";
import type { RequestLog } from "./request-log";

/** The Hono environment: bindings, and what the edge middleware learns about a request on its way in. */
export type AppEnv = {
  Bindings: Env;
  Variables: {
    requestId: string;
    log: RequestLog;
    /** Set by the auth middleware on every path under /a2a. */
    identity: Identity;
    /** The extensions the request activated (workers/extensions.ts), on every path under /a2a. */
    extensions: string[];
  };
};

import type { Identity } from "./auth/identity";

/** The Hono environment: bindings, and what the edge middleware learns about a request on its way in. */
export type AppEnv = {
  Bindings: Env;
  Variables: {
    /** Set by the auth middleware on every path under /a2a. */
    identity: Identity;
  };
};

import type { MiddlewareHandler } from "hono";
import { A2AError } from "../schema/a2a";
import type { AppEnv } from "./app-env";
import type { Identity } from "./auth/identity";

/**
 * The `period` of both [[ratelimits]] bindings in wrangler.toml. The binding answers only yes or no; its
 * windows are fixed, so a refused caller is through again within one period at most.
 */
export const RATE_LIMIT_PERIOD_SECONDS = 10;

/** The bindings may be absent (the benchmark runs workerd without them); then nothing is limited. */
interface LimitBindings {
  CALLER_RATE_LIMIT?: RateLimit;
  TENANT_RATE_LIMIT?: RateLimit;
}

/**
 * An owner is only unique within its tenant (API keys name owners freely), so the tenant is part of the key;
 * a tenant never contains "/", so the first one separates them.
 */
const callerKey = (identity: Identity) => `${identity.tenant ?? ""}/${identity.owner}`;

async function allowed(limiter: RateLimit | undefined, key: string): Promise<boolean> {
  if (!limiter) return true;
  try {
    return (await limiter.limit({ key })).success;
  } catch (error) {
    // A limiter outage must not take the agent down with it: let the request through and say so.
    console.warn(JSON.stringify({ at: "rate-limit", error: String(error).slice(0, 200) }));
    return true;
  }
}

/**
 * Per caller, and per tenant for callers bound to one (a tenant chosen freely per request is no quota boundary:
 * the caller limit covers those). Both checks run at once; the binding answers from the local colo's cache.
 */
export const rateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  // The documented switch for local runs (`npm run dev -- --var RATE_LIMITS:off`): one load generator, fuzzer or
  // conformance kit is one caller, and would hit the caller limit within seconds. Exactly "off"; anything else limits.
  if (c.env.RATE_LIMITS === "off") return next();
  const identity = c.get("identity");
  const bindings = c.env as unknown as LimitBindings;
  const [caller, tenant] = await Promise.all([
    allowed(bindings.CALLER_RATE_LIMIT, callerKey(identity)),
    identity.tenant === undefined ? true : allowed(bindings.TENANT_RATE_LIMIT, identity.tenant),
  ]);
  if (!caller || !tenant) {
    throw new A2AError("RateLimited", `Too many requests ${caller ? "for this tenant" : "from this caller"}; retry after ${RATE_LIMIT_PERIOD_SECONDS} s`, {
      scope: caller ? "tenant" : "caller",
      retryAfterSeconds: String(RATE_LIMIT_PERIOD_SECONDS),
    });
  }
  await next();
};

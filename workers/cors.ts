import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "./app-env";
import { API_KEY_HEADER } from "./auth/settings";

const passThrough: MiddlewareHandler<AppEnv> = (_c, next) => next();

let cache: { origins: string | undefined; middleware: MiddlewareHandler<AppEnv> } | undefined;

/**
 * CORS for the A2A endpoints from `CORS_ORIGINS`: a comma-separated list of origins, which may send credentials,
 * or `*`, which may not (browsers refuse `*` with credentials, and it would hand any site the caller's cookies).
 * Unset: no CORS headers, so browsers on other origins cannot read the answers.
 */
export function corsFor(env: Env): MiddlewareHandler<AppEnv> {
  const origins = env.CORS_ORIGINS?.trim() || undefined;
  if (cache && cache.origins === origins) return cache.middleware;
  const list = origins?.split(",").map((origin) => origin.trim().replace(/\/+$/, "")).filter(Boolean) ?? [];
  const any = list.includes("*");
  const middleware: MiddlewareHandler<AppEnv> =
    list.length === 0
      ? passThrough
      : cors({
          origin: any ? "*" : list,
          credentials: !any,
          allowMethods: ["GET", "POST", "DELETE", "OPTIONS"],
          // Last-Event-ID: a browser client resuming a dropped stream (SubscribeToTask) sends it on a plain fetch.
          allowHeaders: ["Authorization", API_KEY_HEADER, "Content-Type", "A2A-Version", "A2A-Extensions", "X-A2A-Extensions", "Last-Event-ID", "X-Request-ID"],
          exposeHeaders: ["X-Request-ID", "Retry-After", "WWW-Authenticate", "A2A-Extensions"],
          maxAge: 600,
        });
  cache = { origins, middleware };
  return middleware;
}

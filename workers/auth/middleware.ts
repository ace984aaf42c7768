import type { Context, MiddlewareHandler } from "hono";
import { A2AError } from "../../schema/a2a";
import type { AppEnv } from "../app-env";
import { AGENTS_PATH } from "../card";
import { selfOrigin } from "../registry/self-origin";
import { challenges, identify, type PlatformAudience } from "./authenticate";
import { authSettings } from "./settings";

let reported: string | undefined;

/** The base URL of the agent a request is for (`/agents/{id}` or the root), as its delegation tokens name it. */
function platformAudience(c: Context<AppEnv>): PlatformAudience {
  const agent = c.req.param("agent");
  return { env: c.env, audience: `${selfOrigin(c.env)}${agent ? `${AGENTS_PATH}/${agent}` : ""}` };
}

/**
 * Every request under /a2a needs an identity before any binding reads it. A deployment with no scheme and no
 * `ALLOW_ANONYMOUS=true` (or a setting that does not parse) serves nothing: secure by default.
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const settings = authSettings(c.env);
  if (settings.problem) {
    if (reported !== settings.problem) console.error(JSON.stringify({ at: "auth", problem: (reported = settings.problem) }));
    throw new A2AError("Unavailable", "Authentication is not configured on this deployment");
  }
  c.set("identity", await identify(c.req.raw, settings, platformAudience(c)));
  await next();
  // A 401 raised inside a binding (an anonymous caller asking for the extended card) still needs its challenge.
  if (c.res.status === 401 && !c.res.headers.has("WWW-Authenticate")) {
    for (const challenge of challenges(settings)) c.res.headers.append("WWW-Authenticate", challenge);
  }
};

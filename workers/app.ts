import { Hono, type Context } from "hono";
import { handleJsonRpc, jsonRpcMethodNotAllowed } from "./bindings/jsonrpc";
import { handleRest } from "./bindings/rest";
import { A2AError } from "../schema/a2a";
import type { AppEnv } from "./app-env";
import { authenticate } from "./auth/middleware";
import type { BaseContext } from "./bindings/invoke";
import { handleWebSocket } from "./bindings/websocket";
import { JSONRPC_PATH, REST_PATH, WEBSOCKET_PATH, serveAgentCard } from "./card";
import { JWKS_PATH, serveJwks, signAgentCard } from "./card-signing";
import { platformConfig, type PlatformConfig } from "./config";
import { corsFor } from "./cors";
import { edgeError } from "./edge-error";
import { limitUrlLength } from "./limits";
import { rateLimit } from "./rate-limit";
import { requestLog } from "./request-log";
import { serveV03AgentCard, wantsV03Card } from "./v03/card";

let configCache: { env: Env; config: PlatformConfig } | undefined;
const configOf = (env: Env) => (configCache?.env === env ? configCache.config : (configCache = { env, config: platformConfig(env) }).config);

/** The public origin: `PUBLIC_URL` when set (behind a proxy), otherwise the request's own. */
function originOf(c: Context<AppEnv>): string {
  const configured = c.env.PUBLIC_URL;
  if (configured) return configured.replace(/\/+$/, "");
  const url = c.req.url;
  return url.slice(0, url.indexOf("/", url.indexOf("//") + 2));
}

/** The authenticated caller (set by `authenticate`) becomes the scope's owner and, when bound, its tenant. */
function baseContext(c: Context<AppEnv>): BaseContext {
  const { owner, tenant, role, scheme } = c.get("identity");
  const lastEventId = c.req.header("Last-Event-ID")?.trim();
  return {
    env: c.env,
    config: configOf(c.env),
    origin: originOf(c),
    owner,
    tenant,
    role,
    authenticated: scheme !== "anonymous",
    log: c.get("log"),
    requestId: c.get("requestId"),
    ...(lastEventId !== undefined && /^\d{1,15}$/.test(lastEventId) ? { lastEventId: Number(lastEventId) } : {}),
  };
}

/** request → binding adapter (JSON-RPC | REST) → the handler table → the task's Durable Object. */
export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Every response carries X-Request-ID, the public documents included; it writes no log line for those.
  app.use(requestLog);

  app.on(["GET", "HEAD"], "/.well-known/agent-card.json", (c) =>
    wantsV03Card(c.req.raw)
      ? serveV03AgentCard(c.req.raw, configOf(c.env), originOf(c))
      : serveAgentCard(c.req.raw, configOf(c.env), originOf(c), (card) => signAgentCard(card, c.env, originOf(c))),
  );
  app.on(["GET", "HEAD"], JWKS_PATH, (c) => serveJwks(c.env));
  app.options("/.well-known/agent-card.json", () =>
    new Response(null, { status: 204, headers: { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS" } }),
  );

  // The public documents above are registered first, so they answer before the rest of the edge: they are the
  // most-requested paths and need no credentials (the platform logs every invocation). Then, in order: URL bound,
  // and for the A2A endpoints CORS (preflights carry no credentials), identity and rate limits. Bindings below only
  // run for an identified, admitted caller.
  app.use(limitUrlLength);
  app.use("/a2a/*", (c, next) => corsFor(c.env)(c, next), authenticate, rateLimit);

  for (const path of [JSONRPC_PATH, `${JSONRPC_PATH}/`]) {
    app.post(path, (c) => handleJsonRpc(c, baseContext(c)));
    app.all(path, () => jsonRpcMethodNotAllowed());
  }

  app.all(`${REST_PATH}/*`, (c) => handleRest(c, baseContext(c), new URL(c.req.url).pathname.slice(REST_PATH.length)));
  app.get(WEBSOCKET_PATH, (c) => handleWebSocket(c, baseContext(c)));

  app.get("/", (c) =>
    c.json({ name: configOf(c.env).name, agentCard: `${originOf(c)}/.well-known/agent-card.json`, jsonrpc: `${originOf(c)}${JSONRPC_PATH}`, rest: `${originOf(c)}${REST_PATH}` }),
  );
  app.notFound((c) => edgeError(c, new A2AError("RouteNotFound", `Nothing at ${c.req.method} ${c.req.path.slice(0, 128)}`)));
  app.onError((error, c) => edgeError(c, error));
  return app;
}

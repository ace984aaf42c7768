import { Hono, type Context } from "hono";
import { handleJsonRpc, jsonRpcMethodNotAllowed } from "./bindings/jsonrpc";
import { handleRest } from "./bindings/rest";
import { A2AError } from "../schema/a2a";
import type { AppEnv } from "./app-env";
import { authenticate } from "./auth/middleware";
import type { BaseContext } from "./bindings/invoke";
import { handleWebSocket } from "./bindings/websocket";
import { hostedAgent, hostedAgentIds, rootAgent } from "../durable-objects/agents";
import { AGENTS_PATH, JSONRPC_PATH, REST_PATH, WEBSOCKET_PATH, serveAgentCard, type AgentSite } from "./card";
import { JWKS_PATH, serveJwks, signAgentCard } from "./card-signing";
import { platformConfig, type PlatformConfig } from "./config";
import { corsFor } from "./cors";
import { edgeError } from "./edge-error";
import { extensionsFor } from "./extensions";
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

/** Where the agent of this request is served: a hosted agent's own path, or the root agent at the root. */
function siteOf(c: Context<AppEnv>): AgentSite {
  const id = c.req.param("agent");
  if (id === undefined) return { agent: rootAgent(c.env), origin: originOf(c), prefix: "", env: c.env };
  const agent = hostedAgent(id);
  if (!agent) throw new A2AError("RouteNotFound", `No agent ${id.slice(0, 64)} is hosted here`);
  return { agent, origin: originOf(c), prefix: `${AGENTS_PATH}/${id}`, env: c.env };
}

/** The authenticated caller (set by `authenticate`) becomes the scope's owner and, when bound, its tenant. */
function baseContext(c: Context<AppEnv>, site: AgentSite): BaseContext {
  const { owner, tenant, role, scheme } = c.get("identity");
  const lastEventId = c.req.header("Last-Event-ID")?.trim();
  return {
    env: c.env,
    config: configOf(c.env),
    origin: originOf(c),
    site,
    owner,
    tenant,
    role,
    authenticated: scheme !== "anonymous",
    extensions: c.get("extensions"),
    log: c.get("log"),
    ...(lastEventId !== undefined && /^\d{1,15}$/.test(lastEventId) ? { lastEventId: Number(lastEventId) } : {}),
  };
}

/**
 * One agent's routes, relative to where it is mounted: its card, then (behind CORS, identity and rate limits)
 * its JSON-RPC, REST and WebSocket bindings. Mounted at the root for the root agent and at `/agents/:agent`.
 */
function agentRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.on(["GET", "HEAD"], "/.well-known/agent-card.json", (c) => {
    const site = siteOf(c);
    return wantsV03Card(c.req.raw)
      ? serveV03AgentCard(c.req.raw, configOf(c.env), site)
      : serveAgentCard(c.req.raw, configOf(c.env), site, (card) => signAgentCard(card, c.env, originOf(c)));
  });
  routes.options("/.well-known/agent-card.json", () =>
    new Response(null, { status: 204, headers: { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS" } }),
  );
  routes.use("/a2a/*", (c, next) => corsFor(c.env)(c, next), authenticate, rateLimit, extensionsFor(siteOf));
  for (const path of [JSONRPC_PATH, `${JSONRPC_PATH}/`]) {
    routes.post(path, (c) => handleJsonRpc(c, baseContext(c, siteOf(c))));
    routes.all(path, () => jsonRpcMethodNotAllowed());
  }
  routes.all(`${REST_PATH}/*`, (c) => {
    const site = siteOf(c);
    return handleRest(c, baseContext(c, site), new URL(c.req.url).pathname.slice(site.prefix.length + REST_PATH.length));
  });
  routes.get(WEBSOCKET_PATH, (c) => handleWebSocket(c, baseContext(c, siteOf(c))));
  return routes;
}

/** request → binding adapter (JSON-RPC | REST) → the handler table → the task's Durable Object. */
export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.on(["GET", "HEAD"], JWKS_PATH, (c) => serveJwks(c.env));

  // The JWKS above is registered first, so it answers before any middleware: with the cards, the most-requested
  // paths, needing neither credentials nor a log line (the platform logs every invocation). Then the edge, in
  // order: request id and log line, URL bound; each agent's routes add CORS, identity and rate limits for the
  // A2A endpoints (preflights carry no credentials). Bindings only run for an identified, admitted caller.
  app.use(requestLog, limitUrlLength);
  const routes = agentRoutes();
  app.route("/", routes);
  app.route(`${AGENTS_PATH}/:agent`, routes);

  app.get("/", (c) => {
    const origin = originOf(c);
    return c.json({
      name: configOf(c.env).name ?? rootAgent(c.env).name,
      agentCard: `${origin}/.well-known/agent-card.json`,
      jsonrpc: `${origin}${JSONRPC_PATH}`,
      rest: `${origin}${REST_PATH}`,
      agents: hostedAgentIds().map((id) => ({ id, agentCard: `${origin}${AGENTS_PATH}/${id}/.well-known/agent-card.json` })),
    });
  });
  app.notFound((c) => edgeError(c, new A2AError("RouteNotFound", `Nothing at ${c.req.method} ${c.req.path.slice(0, 128)}`)));
  app.onError((error, c) => edgeError(c, error));
  return app;
}

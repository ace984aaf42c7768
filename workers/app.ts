import { Hono, type Context } from "hono";
import { handleJsonRpc, jsonRpcMethodNotAllowed } from "./bindings/jsonrpc";
import { handleRest, restError } from "./bindings/rest";
import { A2AError } from "../schema/a2a";
import type { BaseContext } from "./bindings/invoke";
import { handleWebSocket } from "./bindings/websocket";
import { JSONRPC_PATH, REST_PATH, WEBSOCKET_PATH, serveAgentCard } from "./card";
import { platformConfig, type PlatformConfig } from "./config";
import { serveJwks } from "./jwks";
import { serveV03AgentCard, wantsV03Card } from "./v03/card";

type AppEnv = { Bindings: Env };

/** Until authentication lands every caller is this owner; scoping by (tenant, owner) is already in place. */
const ANONYMOUS_OWNER = "anonymous";

let configCache: { env: Env; config: PlatformConfig } | undefined;
const configOf = (env: Env) => (configCache?.env === env ? configCache.config : (configCache = { env, config: platformConfig(env) }).config);

/** The public origin: `PUBLIC_URL` when set (behind a proxy), otherwise the request's own. */
function originOf(c: Context<AppEnv>): string {
  const configured = c.env.PUBLIC_URL;
  if (configured) return configured.replace(/\/+$/, "");
  const url = c.req.url;
  return url.slice(0, url.indexOf("/", url.indexOf("//") + 2));
}

function baseContext(c: Context<AppEnv>): BaseContext {
  const lastEventId = c.req.header("Last-Event-ID");
  return {
    env: c.env,
    config: configOf(c.env),
    origin: originOf(c),
    owner: ANONYMOUS_OWNER,
    ...(lastEventId !== undefined && /^\d{1,15}$/.test(lastEventId.trim()) ? { lastEventId: Number(lastEventId.trim()) } : {}),
  };
}

/** request → binding adapter (JSON-RPC | REST) → the handler table → the task's Durable Object. */
export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.on(["GET", "HEAD"], "/.well-known/agent-card.json", (c) =>
    (wantsV03Card(c.req.raw) ? serveV03AgentCard : serveAgentCard)(c.req.raw, configOf(c.env), originOf(c)),
  );
  app.options("/.well-known/agent-card.json", () =>
    new Response(null, { status: 204, headers: { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS" } }),
  );

  app.get("/.well-known/jwks.json", (c) => serveJwks(c.env));

  for (const path of [JSONRPC_PATH, `${JSONRPC_PATH}/`]) {
    app.post(path, (c) => handleJsonRpc(c, baseContext(c)));
    app.all(path, () => jsonRpcMethodNotAllowed());
  }

  app.all(`${REST_PATH}/*`, (c) => handleRest(c, baseContext(c), new URL(c.req.url).pathname.slice(REST_PATH.length)));
  app.get(WEBSOCKET_PATH, (c) => handleWebSocket(c, baseContext(c)));

  app.get("/", (c) =>
    c.json({ name: configOf(c.env).name, agentCard: `${originOf(c)}/.well-known/agent-card.json`, jsonrpc: `${originOf(c)}${JSONRPC_PATH}`, rest: `${originOf(c)}${REST_PATH}` }),
  );
  app.notFound((c) => restError(new A2AError("RouteNotFound", `Nothing at ${c.req.method} ${c.req.path.slice(0, 128)}`)));
  app.onError((error) => {
    console.error(JSON.stringify({ at: "app", error: error.stack ?? error.message }));
    return restError(new A2AError("Internal"));
  });
  return app;
}

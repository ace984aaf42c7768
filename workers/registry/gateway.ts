import { AgentCard as SdkAgentCard } from "@a2a-js/sdk";
import { DefaultAgentCardResolver } from "@a2a-js/sdk/client";
import type { Context, MiddlewareHandler, Next } from "hono";
import { hostedAgent } from "../../durable-objects/agents";
import { A2AError, AgentCardSchema, type AgentCard } from "../../schema/a2a";
import { toV03AgentCard } from "../../schema/v03/agent-card";
import type { AppEnv } from "../app-env";
import { authenticate } from "../auth/middleware";
import { jsonResponse, requestedVersion } from "../bindings/http";
import { AGENTS_PATH, JSONRPC_PATH, REST_PATH } from "../card";
import { signAgentCard } from "../card-signing";
import { platformConfig } from "../config";
import { corsFor } from "../cors";
import { rateLimit } from "../rate-limit";
import { wantsV03Card } from "../v03/card";
import { balancerOf } from "./balancer";
import { usableBindings } from "./card-parse";
import { credentialHeaders, CredentialsUnavailable } from "./credentials";
import { roleAllowed, type Binding, type RegisteredAgent, type ReplicaState } from "./entry";
import { OutboundRefused, outboundFetch } from "./outbound";
import { reportCall } from "./registry";
import { getAgent, registryDb } from "./store";
import { newTraceparent } from "./trace";
import { describingReplica, roleOf } from "./view";

/** Request headers that travel to the remote agent; everything else (the caller's credentials first) stays here. */
const FORWARDED_REQUEST = ["content-type", "accept", "a2a-version", "a2a-extensions", "x-a2a-extensions", "last-event-id", "traceparent", "tracestate", "x-request-id"];
/** Response headers that travel back. The remote's challenges concern the platform's credentials, not the caller's. */
const FORWARDED_RESPONSE = ["content-type", "cache-control", "a2a-extensions", "x-a2a-extensions", "retry-after"];
const MAX_PROXIED_BODY = 1024 * 1024;
const LOOKUP_TTL_MS = 5000;

const lookups = new Map<string, { agent: RegisteredAgent | undefined; until: number }>();

/** The remote agent served through the gateway at `/agents/{id}/`, if any (cached a few seconds per isolate). */
async function gatewayAgent(env: Env, id: string): Promise<RegisteredAgent | undefined> {
  if (hostedAgent(id)) return undefined;
  const cached = lookups.get(id);
  if (cached && cached.until > Date.now()) return cached.agent;
  const agent = await getAgent(registryDb(env), id);
  const served = agent?.gateway && agent.source !== "hosted" ? agent : undefined;
  if (lookups.size > 256) lookups.clear();
  lookups.set(id, { agent: served, until: Date.now() + LOOKUP_TTL_MS });
  return served;
}

/** Runs Hono middleware in order around `final`, as Hono's own composition does. */
async function chain(c: Context<AppEnv>, middleware: MiddlewareHandler<AppEnv>[], final: () => Promise<Response>): Promise<Response> {
  const dispatch = async (i: number): Promise<void> => {
    if (i === middleware.length) {
      c.res = await final();
      return;
    }
    const answered = await middleware[i]!(c, (() => dispatch(i + 1)) as Next);
    if (answered instanceof Response) c.res = answered;
  };
  await dispatch(0);
  return c.res;
}

/**
 * The card through the gateway: the remote card with every usable interface pointing at the platform
 * (`/agents/{id}/a2a/jsonrpc`, `/a2a/rest`) at its own protocol version, the platform's security schemes (callers
 * authenticate here), no extended card (it would name the remote's URLs), and signed with the platform's keys
 * (the remote's signatures no longer cover it). `A2A-Version: 0.3` gets the v0.3 shape (`url`,
 * `additionalInterfaces`).
 */
async function gatewayCard(c: Context<AppEnv>, agent: RegisteredAgent, replica: ReplicaState, origin: string): Promise<Response> {
  const stored = replica.card!;
  const v10 =
    replica.cardShape === "0.3"
      ? (SdkAgentCard.toJSON(new DefaultAgentCardResolver({ legacyCompat: { enabled: true } }).normalizeAgentCard(stored)) as Record<string, unknown>)
      : stored;
  const base = `${origin}${AGENTS_PATH}/${agent.id}`;
  const platformUrl = (b: Binding) => (b.binding === "JSONRPC" ? `${base}${JSONRPC_PATH}` : `${base}${REST_PATH}`);
  const interfaces = usableBindings(replica.bindings).map((b) => ({ url: platformUrl(b), protocolBinding: b.binding, protocolVersion: b.version }));
  const config = platformConfig(c.env);
  const { signatures: _remote, securitySchemes: _s, securityRequirements: _r, ...rest } = v10 as Record<string, unknown> & { capabilities?: Record<string, unknown> };
  const parsed = AgentCardSchema.safeParse({
    ...rest,
    supportedInterfaces: interfaces.filter((i, n) => interfaces.findIndex((o) => o.url === i.url && o.protocolVersion === i.protocolVersion) === n),
    capabilities: { ...(rest.capabilities ?? {}), extendedAgentCard: false },
    ...config.security,
  });
  if (!parsed.success) throw new A2AError("InvalidAgentResponse", `The card of agent ${agent.id} cannot be served: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  let body: unknown = await signAgentCard(parsed.data as AgentCard, c.env, origin);
  if (wantsV03Card(c.req.raw)) {
    if (!parsed.data.supportedInterfaces.some((i) => i.protocolVersion === "0.3")) {
      throw new A2AError("VersionNotSupported", `Agent ${agent.id} offers no A2A 0.3 interface`, { requested: "0.3", supported: "1.0" });
    }
    body = toV03AgentCard(parsed.data);
  }
  return jsonResponse(body, 200, { "Cache-Control": "public, max-age=60", "Access-Control-Allow-Origin": "*", Vary: "A2A-Version" });
}

/** The remote interface a request goes to: its binding, at the version the request names, else any of that binding. */
function targetBinding(replica: ReplicaState, binding: "JSONRPC" | "HTTP+JSON", version: string): Binding | undefined {
  const usable = usableBindings(replica.bindings).filter((b) => b.binding === binding);
  return usable.find((b) => b.version === version) ?? usable[0];
}

/** A body that calls `done` once, when it has been read to the end, fails, or is cancelled by the client. */
function tracked(body: ReadableStream<Uint8Array> | null, done: () => void): ReadableStream<Uint8Array> | null {
  if (!body) {
    done();
    return null;
  }
  const reader = body.getReader();
  let finished = false;
  const finish = () => {
    if (!finished) (finished = true), done();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: end, value } = await reader.read();
        if (end) {
          controller.close();
          finish();
        } else controller.enqueue(value);
      } catch (error) {
        controller.error(error);
        finish();
      }
    },
    async cancel(reason) {
      finish();
      await reader.cancel(reason);
    },
  });
}

/**
 * One A2A request through the gateway to a healthy replica (fewest outstanding calls): the caller's credentials
 * stay here and the entry's own go downstream; the body is sent as received and the answer, SSE included, is
 * streamed back byte for byte as it arrives. A replica that cannot be reached is reported and the next is tried.
 */
async function proxy(c: Context<AppEnv>, agent: RegisteredAgent, binding: "JSONRPC" | "HTTP+JSON", path: string): Promise<Response> {
  const identity = c.get("identity");
  const role = roleOf(c.env, identity);
  if (!roleAllowed(agent.roles, role)) throw new A2AError("PermissionDenied", `Role ${role.slice(0, 64)} may not use agent ${agent.id}`, { agentId: agent.id });
  const limiter = (c.env as { GATEWAY_RATE_LIMIT?: RateLimit }).GATEWAY_RATE_LIMIT;
  if (limiter && !(await limiter.limit({ key: `${agent.id}/${identity.tenant ?? ""}/${identity.owner}` })).success) {
    throw new A2AError("RateLimited", `Too many requests to agent ${agent.id}; retry after 10 s`, { scope: "agent", retryAfterSeconds: "10" });
  }
  c.get("log").methods.push(`gateway:${agent.id}`);
  const body = c.req.method === "GET" || c.req.method === "HEAD" ? undefined : await c.req.raw.arrayBuffer();
  if (body && body.byteLength > MAX_PROXIED_BODY) throw new A2AError("PayloadTooLarge", `Request body over ${MAX_PROXIED_BODY} bytes`);
  const version = requestedVersion(c.req.raw) || "0.3";
  const headers = new Headers();
  for (const name of FORWARDED_REQUEST) {
    const value = c.req.header(name);
    if (value !== undefined) headers.set(name, value);
  }
  if (!headers.has("traceparent")) headers.set("traceparent", newTraceparent());
  const bearer = identity.scheme === "bearer" ? c.req.header("Authorization") : undefined;
  const caller = { owner: identity.owner, tenant: identity.tenant ?? "", role, ...(bearer ? { bearer } : {}) };
  const balancer = balancerOf(c.env, agent.id);
  const candidates = agent.replicaStates.filter((r) => r.card).map((r) => ({ cardUrl: r.cardUrl, state: r.state }));
  const tried: string[] = [];
  const query = new URL(c.req.url).search;
  let lastError = "no replica has a card";
  for (let attempt = 0; attempt <= agent.limits.retries; attempt++) {
    const cardUrl = await balancer.acquire(candidates, tried);
    if (!cardUrl) break;
    tried.push(cardUrl);
    const replica = agent.replicaStates.find((r) => r.cardUrl === cardUrl)!;
    const target = targetBinding(replica, binding, version);
    if (!target) {
      await balancer.release(cardUrl);
      lastError = `no ${binding} interface`;
      continue;
    }
    const started = Date.now();
    try {
      const auth = await credentialHeaders(c.env, agent, cardUrl, caller);
      const response = await outboundFetch(c.env)(`${target.url.replace(/\/+$/, "")}${path}${query}`, {
        method: c.req.method,
        headers: { ...Object.fromEntries(headers), ...auth },
        ...(body ? { body } : {}),
        signal: AbortSignal.timeout(agent.limits.timeoutMs),
      });
      const failed = response.status >= 502 && response.status <= 504;
      void reportCall(c.env, agent.id, cardUrl, failed ? { ok: false, error: `HTTP ${response.status}` } : { ok: true, latencyMs: Date.now() - started });
      const out = new Headers();
      for (const name of FORWARDED_RESPONSE) {
        const value = response.headers.get(name);
        if (value !== null) out.set(name, value);
      }
      return new Response(
        tracked(response.body, () => void balancer.release(cardUrl)),
        { status: response.status, headers: out },
      );
    } catch (error) {
      await balancer.release(cardUrl);
      if (error instanceof CredentialsUnavailable || error instanceof OutboundRefused) {
        console.warn(JSON.stringify({ at: "gateway", agentId: agent.id, problem: error.message.slice(0, 300) }));
        throw new A2AError("Unavailable", `Agent ${agent.id} cannot be called: ${error instanceof OutboundRefused ? "its URL is refused" : "its credentials are not available"}`);
      }
      lastError = error instanceof Error ? error.message.slice(0, 200) : "unreachable";
      await reportCall(c.env, agent.id, cardUrl, { ok: false, error: lastError }); // before the next replica is picked
    }
  }
  throw new A2AError("Unavailable", `Agent ${agent.id} is unavailable: no healthy replica answered (${lastError})`, { agentId: agent.id });
}

/**
 * Gateway mode: `/agents/{id}/…` of a registered remote agent with `gateway: true`. Hosted agents own their ids
 * (the registry refuses a remote entry with a hosted id), so anything else falls through to the hosted routes.
 * The card is public, like every card; the A2A endpoints authenticate the caller, check the agent's roles, limit
 * the rate (the caller's limits and a per-agent one) and are logged like the platform's own.
 */
export const gateway: MiddlewareHandler<AppEnv> = async (c, next) => {
  const id = c.req.param("agent");
  const agent = id ? await gatewayAgent(c.env, id).catch(() => undefined) : undefined;
  if (!agent) return next();
  const prefix = `${AGENTS_PATH}/${id}`;
  const path = new URL(c.req.url).pathname.slice(prefix.length);
  const replica = describingReplica(agent);
  if (path === "/.well-known/agent-card.json" && (c.req.method === "GET" || c.req.method === "HEAD")) {
    if (!replica) throw new A2AError("Unavailable", `Agent ${agent.id} has no card yet`);
    const origin = c.env.PUBLIC_URL?.replace(/\/+$/, "") || new URL(c.req.url).origin;
    return gatewayCard(c, agent, replica, origin);
  }
  const binding = path === JSONRPC_PATH || path === `${JSONRPC_PATH}/` ? "JSONRPC" : path.startsWith(`${REST_PATH}/`) ? "HTTP+JSON" : undefined;
  if (!binding) return next();
  const downstreamPath = binding === "JSONRPC" ? "" : path.slice(REST_PATH.length);
  return chain(c, [(ctx, n) => corsFor(ctx.env)(ctx, n), authenticate, rateLimit], () => proxy(c, agent, binding, downstreamPath));
};

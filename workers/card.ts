import type { HostedAgent } from "../durable-objects/agents";
import type { AgentCard } from "../schema/a2a";
import { builtAt, cardSkills } from "../skills";
import type { PlatformConfig } from "./config";

export const JSONRPC_PATH = "/a2a/jsonrpc";
export const REST_PATH = "/a2a/rest";
export const WEBSOCKET_PATH = "/a2a/ws";
/** Every hosted agent is served under `/agents/{id}/` (card, JSON-RPC, REST, WebSocket). */
export const AGENTS_PATH = "/agents";
/** A custom binding is named by a URI (REFERENCE §1): JSON-RPC requests and stream events as WebSocket frames. */
export const WEBSOCKET_BINDING = "urn:a2a-edge:binding:jsonrpc-websocket";

/** The media types an agent accepts and produces: the platform's, and those its extensions bring (HostedAgent.card). */
export const inputModesOf = (config: PlatformConfig, agent: HostedAgent): string[] => [...config.defaultInputModes, ...(agent.card?.inputModes ?? [])];
export const outputModesOf = (config: PlatformConfig, agent: HostedAgent): string[] => [...config.defaultOutputModes, ...(agent.card?.outputModes ?? [])];

/** Where one agent is served: the public origin, and the path its endpoints hang under ("" at the root). */
export interface AgentSite {
  agent: HostedAgent;
  origin: string;
  /** `/agents/{id}` for a hosted agent's own path, "" for the root agent at the root. */
  prefix: string;
  env: Env;
}

/**
 * The public card of one agent at one site: every binding we serve, absolute URLs, capabilities as configured.
 * At the root, `AGENT_NAME` and `AGENT_DESCRIPTION` override the agent's own name and description.
 */
export function buildAgentCard(config: PlatformConfig, site: AgentSite): AgentCard {
  const { agent, prefix, env } = site;
  const origin = site.origin + prefix;
  const atRoot = prefix === "";
  return {
    name: (atRoot && config.name) || agent.name,
    description: (atRoot && config.description) || agent.description(env),
    supportedInterfaces: [
      { url: `${origin}${JSONRPC_PATH}`, protocolBinding: "JSONRPC", protocolVersion: "1.0" },
      { url: `${origin}${REST_PATH}`, protocolBinding: "HTTP+JSON", protocolVersion: "1.0" },
      { url: `${origin.replace(/^http/, "ws")}${WEBSOCKET_PATH}`, protocolBinding: WEBSOCKET_BINDING, protocolVersion: "1.0" },
      // The same endpoints serve v0.3 to requests without A2A-Version (workers/v03); its card: workers/v03/card.ts.
      { url: `${origin}${JSONRPC_PATH}`, protocolBinding: "JSONRPC", protocolVersion: "0.3" },
      { url: `${origin}${REST_PATH}`, protocolBinding: "HTTP+JSON", protocolVersion: "0.3" },
    ],
    ...(config.provider ? { provider: config.provider } : {}),
    version: config.version,
    ...(config.documentationUrl ? { documentationUrl: config.documentationUrl } : {}),
    capabilities: { ...config.capabilities, ...(agent.card?.extensions ? { extensions: agent.card.extensions } : {}) },
    ...config.security,
    defaultInputModes: inputModesOf(config, agent),
    defaultOutputModes: outputModesOf(config, agent),
    skills: cardSkills(agent.skills, undefined),
  };
}

export interface CachedCard {
  body: string;
  etag: string;
  /** Every response header, built once: this path answers the most requests of any. */
  headers: Record<string, string>;
}

const cache = new Map<string, CachedCard>();

/** Attaches `signatures` to a card (workers/card-signing.ts); the identity when nothing signs. */
export type CardSigner = (card: AgentCard) => Promise<AgentCard>;

/** Built, signed and hashed once per site per isolate; the card only changes with a deploy. */
async function buildCachedCard(cards: Map<string, CachedCard>, key: string, card: unknown, config: PlatformConfig): Promise<CachedCard> {
  const body = JSON.stringify(await card);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body)));
  const etag = `"${btoa(String.fromCharCode(...digest.slice(0, 18))).replace(/\+/g, "-").replace(/\//g, "_")}"`;
  const headers = {
    "Content-Type": "application/json; charset=utf-8",
    ETag: etag,
    "Last-Modified": builtAt,
    "Cache-Control": `public, max-age=${config.cardMaxAgeSeconds}, must-revalidate`,
    "Access-Control-Allow-Origin": "*",
    // The same URL answers a v0.3 card to `A2A-Version: 0.3`.
    Vary: "A2A-Version",
  };
  const cached = { body, etag, headers };
  if (cards.size > 64) cards.clear();
  cards.set(key, cached);
  return cached;
}

function notModified(request: Request, etag: string): boolean {
  const ifNoneMatch = request.headers.get("If-None-Match");
  if (ifNoneMatch !== null) {
    return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || tag.trim().replace(/^W\//, "") === etag);
  }
  const ifModifiedSince = request.headers.get("If-Modified-Since");
  if (ifModifiedSince === null) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && Date.parse(builtAt) <= since;
}

function respond(request: Request, card: CachedCard): Response {
  if (notModified(request, card.etag)) return new Response(null, { status: 304, headers: card.headers });
  return new Response(request.method === "HEAD" ? null : card.body, { headers: card.headers });
}

/** The cache key of a site's card. */
export const siteKey = (site: AgentSite) => `${site.agent.id} ${site.origin}${site.prefix}`;

/** A card document, cached per site in `cards`, with validators for revalidation (TCK CARD-CACHE-001/002). */
export function serveCard(
  request: Request,
  cards: Map<string, CachedCard>,
  site: AgentSite,
  build: () => unknown,
  config: PlatformConfig,
): Response | Promise<Response> {
  const key = siteKey(site);
  const card = cards.get(key);
  return card ? respond(request, card) : buildCachedCard(cards, key, build(), config).then((built) => respond(request, built));
}

/** GET/HEAD `…/.well-known/agent-card.json`: the strict v1.0 card, signed when SIGNING_KEYS is set. */
export function serveAgentCard(request: Request, config: PlatformConfig, site: AgentSite, sign: CardSigner = async (card) => card): Response | Promise<Response> {
  return serveCard(request, cache, site, () => sign(buildAgentCard(config, site)), config);
}

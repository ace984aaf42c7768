import type { AgentCard } from "../schema/a2a";
import { agentSkills, builtAt } from "../skills";
import type { PlatformConfig } from "./config";

export const JSONRPC_PATH = "/a2a/jsonrpc";
export const REST_PATH = "/a2a/rest";

/** The public card for one origin: every binding we serve, absolute URLs, capabilities as configured. */
export function buildAgentCard(config: PlatformConfig, origin: string): AgentCard {
  return {
    name: config.name,
    description: config.description,
    supportedInterfaces: [
      { url: `${origin}${JSONRPC_PATH}`, protocolBinding: "JSONRPC", protocolVersion: "1.0" },
      { url: `${origin}${REST_PATH}`, protocolBinding: "HTTP+JSON", protocolVersion: "1.0" },
    ],
    ...(config.provider ? { provider: config.provider } : {}),
    version: config.version,
    ...(config.documentationUrl ? { documentationUrl: config.documentationUrl } : {}),
    capabilities: { ...config.capabilities },
    ...config.security,
    defaultInputModes: config.defaultInputModes,
    defaultOutputModes: config.defaultOutputModes,
    skills: agentSkills,
  };
}

interface CachedCard {
  body: string;
  etag: string;
  /** Every response header, built once: this path answers the most requests of any. */
  headers: Record<string, string>;
}

const cache = new Map<string, CachedCard>();

/** Attaches `signatures` to a card (workers/card-signing.ts); the identity when nothing signs. */
export type CardSigner = (card: AgentCard) => Promise<AgentCard>;

/** Built, signed and hashed once per origin per isolate; the card only changes with a deploy. */
async function buildCachedCard(config: PlatformConfig, origin: string, sign: CardSigner): Promise<CachedCard> {
  const body = JSON.stringify(await sign(buildAgentCard(config, origin)));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body)));
  const etag = `"${btoa(String.fromCharCode(...digest.slice(0, 18))).replace(/\+/g, "-").replace(/\//g, "_")}"`;
  const headers = {
    "Content-Type": "application/json; charset=utf-8",
    ETag: etag,
    "Last-Modified": builtAt,
    "Cache-Control": `public, max-age=${config.cardMaxAgeSeconds}, must-revalidate`,
    "Access-Control-Allow-Origin": "*",
  };
  const card = { body, etag, headers };
  if (cache.size > 32) cache.clear();
  cache.set(origin, card);
  return card;
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

/** GET/HEAD `/.well-known/agent-card.json` with validators for revalidation (TCK CARD-CACHE-001/002). */
export function serveAgentCard(request: Request, config: PlatformConfig, origin: string, sign: CardSigner = async (card) => card): Response | Promise<Response> {
  const card = cache.get(origin);
  return card ? respond(request, card) : buildCachedCard(config, origin, sign).then((built) => respond(request, built));
}

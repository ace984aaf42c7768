import type { Context } from "hono";
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
    defaultInputModes: config.defaultInputModes,
    defaultOutputModes: config.defaultOutputModes,
    skills: agentSkills,
  };
}

interface CachedCard {
  body: string;
  etag: string;
}

const cache = new Map<string, CachedCard>();

/** Built and hashed once per origin per isolate; the card only changes with a deploy. */
async function cachedCard(config: PlatformConfig, origin: string): Promise<CachedCard> {
  const hit = cache.get(origin);
  if (hit) return hit;
  const body = JSON.stringify(buildAgentCard(config, origin));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body)));
  const etag = `"${btoa(String.fromCharCode(...digest.slice(0, 18))).replace(/\+/g, "-").replace(/\//g, "_")}"`;
  const card = { body, etag };
  if (cache.size > 32) cache.clear();
  cache.set(origin, card);
  return card;
}

function notModified(c: Context, etag: string): boolean {
  const ifNoneMatch = c.req.header("If-None-Match");
  if (ifNoneMatch !== undefined) {
    return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || tag.trim().replace(/^W\//, "") === etag);
  }
  const ifModifiedSince = c.req.header("If-Modified-Since");
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && Date.parse(builtAt) <= since;
}

/** GET/HEAD `/.well-known/agent-card.json` with validators for revalidation (TCK CARD-CACHE-001/002). */
export async function serveAgentCard(c: Context, config: PlatformConfig, origin: string): Promise<Response> {
  const card = await cachedCard(config, origin);
  const headers = {
    ETag: card.etag,
    "Last-Modified": builtAt,
    "Cache-Control": `public, max-age=${config.cardMaxAgeSeconds}, must-revalidate`,
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Last-Modified",
    Vary: "Accept-Encoding",
  };
  if (notModified(c, card.etag)) return new Response(null, { status: 304, headers });
  return new Response(c.req.method === "HEAD" ? null : card.body, {
    status: 200,
    headers: { ...headers, "Content-Type": "application/json; charset=utf-8" },
  });
}

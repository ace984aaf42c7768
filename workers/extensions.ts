import type { MiddlewareHandler } from "hono";
import type { AgentSite } from "./card";
import type { AppEnv } from "./app-env";

export const EXTENSIONS_HEADER = "A2A-Extensions";
/** v0.3's name for the same header (REFERENCE §10); the A2UI spec still writes it. */
export const V03_EXTENSIONS_HEADER = "X-A2A-Extensions";
const MAX_EXTENSIONS = 16;

/**
 * The extensions a request activates: the URIs its `A2A-Extensions` (or `X-A2A-Extensions`) header lists that the
 * agent's card declares. Anything else the client names is ignored, as the spec says (§9).
 */
export function activatedExtensions(headers: Headers, site: AgentSite): string[] {
  const declared = site.agent.card?.extensions?.map((extension) => extension.uri) ?? [];
  if (declared.length === 0) return [];
  const requested = [headers.get(EXTENSIONS_HEADER), headers.get(V03_EXTENSIONS_HEADER)]
    .filter((value): value is string => value !== null)
    .flatMap((value) => value.split(","))
    .map((uri) => uri.trim())
    .slice(0, MAX_EXTENSIONS);
  return declared.filter((uri) => requested.includes(uri));
}

/**
 * Sets `extensions` for the bindings and echoes the activated ones in the response's `A2A-Extensions` (a SHOULD,
 * §9). A WebSocket upgrade gets no echo: its 101 response cannot be copied with headers added.
 */
export const extensionsFor =
  (siteOf: (c: Parameters<MiddlewareHandler<AppEnv>>[0]) => AgentSite): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const activated = activatedExtensions(c.req.raw.headers, siteOf(c));
    c.set("extensions", activated);
    if (activated.length > 0 && c.req.header("Upgrade")?.toLowerCase() !== "websocket") c.header(EXTENSIONS_HEADER, activated.join(", "));
    await next();
  };

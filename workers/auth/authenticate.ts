import type { JWTPayload } from "jose";
import { A2AError } from "../../schema/a2a";
import { ANONYMOUS, BoundTenantSchema, OwnerSchema, RoleSchema, type Identity } from "./identity";
import { invalidToken, verifyJwt } from "./jwt";
import { isPlatformToken, platformIdentity } from "./platform-token";
import { API_KEY_HEADER, type AuthSettings, type ClaimNames } from "./settings";

/** Where a request is served, for the platform's own delegation tokens: their audience is the agent's base URL. */
export interface PlatformAudience {
  env: Env;
  audience: string;
}

/** RFC 6750 §2.1 token68; anything longer than a header line is no token of ours. */
const TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const MAX_TOKEN_LENGTH = 8192;
const MAX_API_KEY_LENGTH = 512;

/** The token's claims as an identity; every claim is checked once, here, before it names storage rows. */
function identityFromClaims(payload: JWTPayload, claims: ClaimNames): Identity {
  const owner = OwnerSchema.safeParse(payload[claims.owner]);
  if (!owner.success) throw invalidToken(`The token's ${claims.owner.slice(0, 64)} claim must be a non-empty string of printable characters`);
  const identity: Identity = { owner: owner.data, scheme: "bearer" };
  if (claims.tenant && payload[claims.tenant] !== undefined) {
    const tenant = BoundTenantSchema.safeParse(payload[claims.tenant]);
    if (!tenant.success) throw invalidToken(`The token's ${claims.tenant.slice(0, 64)} claim is not a valid tenant`);
    identity.tenant = tenant.data;
  }
  if (claims.role && payload[claims.role] !== undefined) {
    const role = RoleSchema.safeParse(payload[claims.role]);
    if (!role.success) throw invalidToken(`The token's ${claims.role.slice(0, 64)} claim must be a string`);
    identity.role = role.data;
  }
  return identity;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function fromBearer(header: string, settings: AuthSettings, platform?: PlatformAudience): Promise<Identity> {
  const [scheme, token = "", ...rest] = header.trim().split(/ +/);
  if (scheme?.toLowerCase() !== "bearer") {
    throw new A2AError("Unauthenticated", `Authorization scheme ${scheme?.slice(0, 16) ?? ""} is not accepted; send a Bearer token`);
  }
  // The platform calling one of its own hosted agents for a user (workers/registry): its own token, its own keys.
  if (platform && rest.length === 0 && token.length <= MAX_TOKEN_LENGTH && TOKEN.test(token) && isPlatformToken(token)) {
    return platformIdentity(platform.env, token, platform.audience);
  }
  if (!settings.jwt) throw new A2AError("Unauthenticated", `Bearer tokens are not accepted here; send an API key in ${API_KEY_HEADER}`);
  if (rest.length > 0 || token.length > MAX_TOKEN_LENGTH || !TOKEN.test(token)) throw invalidToken("The bearer token is malformed");
  return identityFromClaims(await verifyJwt(token, settings.jwt), settings.claims);
}

async function fromApiKey(key: string, settings: AuthSettings): Promise<Identity> {
  if (!settings.apiKeys) throw new A2AError("Unauthenticated", "API keys are not accepted here; send a Bearer token");
  // Keys are stored hashed: compare digests, so a leaked configuration reveals no usable key.
  const identity = key.length <= MAX_API_KEY_LENGTH ? settings.apiKeys.get(await sha256Hex(key)) : undefined;
  if (!identity) throw new A2AError("Unauthenticated", "The API key is not valid", { error: "invalid_key" });
  return identity;
}

/**
 * Browsers cannot set headers on a WebSocket upgrade, only the offered subprotocols, so a bearer token may
 * travel as one of them: `new WebSocket(url, ["a2a.jsonrpc", "a2a.bearer." + token])`. The server answers with
 * `a2a.jsonrpc` (WEBSOCKET_SUBPROTOCOL), never with the token. The URL would be the wrong place: URLs are logged.
 */
export const WEBSOCKET_SUBPROTOCOL = "a2a.jsonrpc";
const BEARER_SUBPROTOCOL = "a2a.bearer.";

/** The subprotocols a WebSocket upgrade offers, in order. */
export const offeredSubprotocols = (request: Request): string[] =>
  (request.headers.get("Sec-WebSocket-Protocol") ?? "").split(",").map((p) => p.trim());

/** The bearer token offered as a WebSocket subprotocol, as an `Authorization` value; null when none is. */
export function subprotocolBearer(request: Request): string | null {
  if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return null;
  const offered = offeredSubprotocols(request);
  const tokens = offered.filter((p) => p.startsWith(BEARER_SUBPROTOCOL));
  if (tokens.length === 0) return null;
  if (tokens.length > 1) throw invalidToken("Offer one a2a.bearer.<token> subprotocol, not several");
  if (!offered.includes(WEBSOCKET_SUBPROTOCOL)) {
    throw new A2AError("InvalidRequest", `A token sent as a WebSocket subprotocol needs the ${WEBSOCKET_SUBPROTOCOL} subprotocol offered beside it`);
  }
  return `Bearer ${tokens[0]!.slice(BEARER_SUBPROTOCOL.length)}`;
}

/**
 * Who sent the request: a bearer JWT in `Authorization` (or, on a WebSocket upgrade, in a subprotocol), else
 * an API key, else the anonymous owner when the deployment allows it. Credentials that are present but wrong
 * are refused even when anonymous access is on.
 */
export async function identify(request: Request, settings: AuthSettings, platform?: PlatformAudience): Promise<Identity> {
  const authorization = request.headers.get("Authorization") ?? subprotocolBearer(request);
  if (authorization !== null) return fromBearer(authorization, settings, platform);
  const apiKey = request.headers.get(API_KEY_HEADER);
  if (apiKey !== null) return fromApiKey(apiKey.trim(), settings);
  if (settings.allowAnonymous) return ANONYMOUS;
  throw new A2AError("Unauthenticated", "This agent needs credentials: see securitySchemes in its agent card");
}

/** A quoted-string for a header: header values are bytes, and a token's own text must not break out of quotes. */
const quoted = (text: string) => `"${text.replace(/[^\x20-\x7e]|["\\]/g, "?")}"`;

/**
 * `WWW-Authenticate` challenges for a 401 (RFC 9110 §11.6.1): one per configured scheme, the Bearer one with
 * RFC 6750's `error` when a token was presented and refused.
 */
export function challenges(settings: AuthSettings, error?: A2AError): string[] {
  const out: string[] = [];
  if (settings.jwt) {
    const invalid = error?.metadata.error === "invalid_token";
    out.push(`Bearer realm="a2a"${invalid ? `, error="invalid_token", error_description=${quoted(error!.message.slice(0, 200))}` : ""}`);
  }
  if (settings.apiKeys) out.push(`ApiKey realm="a2a", header="${API_KEY_HEADER}"`);
  return out;
}

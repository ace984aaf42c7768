import { importJWK, SignJWT, type JWTPayload } from "jose";
import { inject } from "vitest";

/** The private halves of this run's credentials (test/setup/auth-fixtures.mjs). */
export const AUTH = inject("auth");

/** Which key signs: the IdP's published ES256/RS256 keys, the configured PEM key, the HS256 secret, or a forger's. */
export type SigningKeyName = "es256" | "rs256" | "pem" | "hs256" | "rogue";

export interface TokenOptions {
  key?: SigningKeyName;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  audience?: string | null;
  issuer?: string | null;
  /** Leave `exp` out entirely. */
  noExpiry?: boolean;
}

/** A JWT for `claims` (default `sub: "test-user"`), valid for this deployment unless the options say otherwise. */
export async function mintToken(claims: JWTPayload = {}, options: TokenOptions = {}): Promise<string> {
  const name = options.key ?? "es256";
  const now = Math.floor(Date.now() / 1000);
  let jwt = new SignJWT({ sub: "test-user", ...claims }).setIssuedAt(now);
  if (!options.noExpiry) jwt = jwt.setExpirationTime(now + (options.expiresIn ?? 3600));
  if (options.audience !== null) jwt = jwt.setAudience(options.audience ?? AUTH.audience);
  if (options.issuer !== null) jwt = jwt.setIssuer(options.issuer ?? AUTH.issuer);
  if (name === "hs256") return jwt.setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(new TextEncoder().encode(AUTH.hsSecret));
  const jwk = AUTH.keys[name];
  return jwt.setProtectedHeader({ alg: jwk.alg!, typ: "JWT", ...(jwk.kid ? { kid: jwk.kid } : {}) }).sign(await importJWK(jwk, jwk.alg));
}

/** The owner of the default caller's tasks (its token's `sub`). */
export const DEFAULT_OWNER = "test-user";

/** How a test request authenticates: the default token, a given token or API key, or nothing at all. */
export type Credential = "default" | "none" | { bearer: string } | { apiKey: string } | { claims: JWTPayload };

let defaultToken: string | undefined;

/** The suite's everyday caller: `sub: "test-user"`, no tenant binding, role `user`. */
export async function defaultBearer(): Promise<string> {
  return (defaultToken ??= await mintToken({ sub: DEFAULT_OWNER, role: "user" }));
}

export async function credentialHeaders(credential: Credential = "default"): Promise<Record<string, string>> {
  if (credential === "none") return {};
  if (credential === "default") return { Authorization: `Bearer ${await defaultBearer()}` };
  if ("bearer" in credential) return { Authorization: `Bearer ${credential.bearer}` };
  if ("apiKey" in credential) return { "X-API-Key": credential.apiKey };
  return { Authorization: `Bearer ${await mintToken(credential.claims)}` };
}

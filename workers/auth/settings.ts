import type { JWK } from "jose";
import { z } from "zod";
import { BoundTenantSchema, OwnerSchema, RoleSchema, type Identity } from "./identity";

/** The header API keys travel in; the card declares it as an apiKeySecurityScheme. */
export const API_KEY_HEADER = "X-API-Key";

export interface JwtSettings {
  jwksUrl?: URL;
  publicKey?: { jwk: JWK } | { pem: string };
  secret?: Uint8Array;
  audience: string;
  issuer?: string;
  clockToleranceSeconds: number;
}

export interface ClaimNames {
  owner: string;
  tenant?: string;
  role?: string;
}

export interface AuthSettings {
  allowAnonymous: boolean;
  jwt?: JwtSettings;
  /** SHA-256 hex of a key → who it authenticates. */
  apiKeys?: Map<string, Identity>;
  claims: ClaimNames;
  /** Why nothing can be served: no scheme configured and no anonymous access, or a setting that does not parse. */
  problem?: string;
}

const ApiKeysSchema = z.array(
  z.strictObject({
    sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, "must be the SHA-256 of the key in hex")
      .transform((hex) => hex.toLowerCase()),
    owner: OwnerSchema,
    tenant: BoundTenantSchema.optional(),
    role: RoleSchema.optional(),
  }),
);

class SettingsError extends Error {}

const blank = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

function parseApiKeys(raw: string): Map<string, Identity> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new SettingsError("AUTH_API_KEYS is not JSON: expected an array of {sha256, owner, tenant?, role?}");
  }
  const parsed = ApiKeysSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SettingsError(`AUTH_API_KEYS: ${issue.path.join(".")} ${issue.message}`);
  }
  const keys = new Map<string, Identity>();
  for (const { sha256, owner, tenant, role } of parsed.data) {
    if (keys.has(sha256)) throw new SettingsError("AUTH_API_KEYS lists the same key twice");
    keys.set(sha256, { owner, scheme: "apiKey", ...(tenant ? { tenant } : {}), ...(role ? { role } : {}) });
  }
  return keys;
}

const PublicJwkSchema = z.looseObject({ kty: z.string(), kid: z.string().optional(), alg: z.string().optional(), d: z.undefined("holds a private key") });

function parsePublicKey(raw: string): { jwk: JWK } | { pem: string } {
  // A PEM pasted into a secret often arrives with its line breaks written as \n.
  if (raw.startsWith("-----BEGIN PUBLIC KEY-----")) return { pem: raw.replace(/\\n/g, "\n") };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new SettingsError("AUTH_JWT_PUBLIC_KEY must be a JWK or an SPKI PEM (-----BEGIN PUBLIC KEY-----)");
  }
  const parsed = PublicJwkSchema.safeParse(json);
  if (!parsed.success) throw new SettingsError(`AUTH_JWT_PUBLIC_KEY: ${parsed.error.issues[0]!.path.join(".")} ${parsed.error.issues[0]!.message}`);
  return { jwk: parsed.data as JWK };
}

/** A JWKS over plain HTTP would let anyone on the path mint accepted tokens; loopback is for local tests. */
function parseJwksUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SettingsError("AUTH_JWKS_URL is not a URL");
  }
  const loopback = url.hostname === "localhost" || url.hostname === "127.0.0.1" || url.hostname === "[::1]";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) throw new SettingsError("AUTH_JWKS_URL must use https");
  return url;
}

function parseJwt(env: Env): JwtSettings | undefined {
  const jwksUrl = blank(env.AUTH_JWKS_URL);
  const publicKey = blank(env.AUTH_JWT_PUBLIC_KEY);
  const secret = blank(env.AUTH_JWT_SECRET);
  if (!jwksUrl && !publicKey && !secret) return undefined;
  const audience = blank(env.AUTH_AUDIENCE);
  // Without an audience any token the issuer minted for another service would be accepted here.
  if (!audience) throw new SettingsError("AUTH_AUDIENCE must be set when JWT keys are configured");
  const secretBytes = secret ? new TextEncoder().encode(secret) : undefined;
  // RFC 7518 §3.2: an HS256 key shorter than the hash output weakens it.
  if (secretBytes && secretBytes.byteLength < 32) throw new SettingsError("AUTH_JWT_SECRET must be at least 32 bytes");
  const skew = Number(blank(env.AUTH_CLOCK_SKEW_SECONDS) ?? 30);
  if (!Number.isInteger(skew) || skew < 0 || skew > 600) throw new SettingsError("AUTH_CLOCK_SKEW_SECONDS must be a whole number from 0 to 600");
  return {
    ...(jwksUrl ? { jwksUrl: parseJwksUrl(jwksUrl) } : {}),
    ...(publicKey ? { publicKey: parsePublicKey(publicKey) } : {}),
    ...(secretBytes ? { secret: secretBytes } : {}),
    audience,
    ...(blank(env.AUTH_ISSUER) ? { issuer: blank(env.AUTH_ISSUER)! } : {}),
    clockToleranceSeconds: skew,
  };
}

function parseSettings(env: Env): AuthSettings {
  const claims: ClaimNames = {
    owner: blank(env.AUTH_OWNER_CLAIM) ?? "sub",
    ...(blank(env.AUTH_TENANT_CLAIM) ? { tenant: blank(env.AUTH_TENANT_CLAIM)! } : {}),
    ...(blank(env.AUTH_ROLE_CLAIM) ? { role: blank(env.AUTH_ROLE_CLAIM)! } : {}),
  };
  const allowAnonymous = env.ALLOW_ANONYMOUS === "true";
  try {
    const jwt = parseJwt(env);
    const apiKeysRaw = blank(env.AUTH_API_KEYS);
    const apiKeys = apiKeysRaw ? parseApiKeys(apiKeysRaw) : undefined;
    const settings: AuthSettings = { allowAnonymous, claims, ...(jwt ? { jwt } : {}), ...(apiKeys?.size ? { apiKeys } : {}) };
    if (!settings.jwt && !settings.apiKeys && !allowAnonymous) {
      return { ...settings, problem: "no authentication is configured: set AUTH_JWKS_URL, AUTH_JWT_PUBLIC_KEY, AUTH_JWT_SECRET or AUTH_API_KEYS" };
    }
    return settings;
  } catch (error) {
    if (error instanceof SettingsError) return { allowAnonymous, claims, problem: error.message };
    throw error;
  }
}

let cache: { env: Env; settings: AuthSettings } | undefined;

/** Parsed once per isolate: the bindings only change with a deploy. */
export function authSettings(env: Env): AuthSettings {
  if (cache?.env !== env) cache = { env, settings: parseSettings(env) };
  return cache.settings;
}

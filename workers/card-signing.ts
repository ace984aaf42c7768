import canonicalize from "canonicalize";
import { FlattenedSign } from "jose";
import { loadSigningKeys, type SigningKey } from "../durable-objects/signing-keys";
import type { AgentCard } from "../schema/a2a";

export const JWKS_PATH = "/.well-known/jwks.json";

/**
 * Drops empty strings, empty arrays and empty objects, recursively. Spec §8.4.1 asks to drop default-valued
 * fields before canonicalising; both official SDKs do it this way (a2a-js `canonicalizeAgentCard`, a2a-python
 * `_clean_empty`), which also drops a security requirement with no scopes (`{"bearer":{}}`). Verifiers rebuild
 * the payload their way, so ours must match theirs byte for byte.
 */
function withoutEmpty(value: unknown): unknown {
  if (value === "" || value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const items = value.map(withoutEmpty).filter((item) => item !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (typeof value === "object") {
    const entries = Object.entries(value).flatMap(([key, item]) => {
      const kept = withoutEmpty(item);
      return kept === undefined ? [] : [[key, kept] as const];
    });
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  }
  return value;
}

/** The bytes every signature covers: the card without `signatures`, emptied of defaults, in RFC 8785 (JCS) form. */
export function canonicalCardPayload(card: AgentCard): string {
  const { signatures: _signatures, ...unsigned } = card;
  return canonicalize(withoutEmpty(unsigned) ?? {}) ?? "{}";
}

/**
 * Signs the card with every configured key (REFERENCE §7: a JWS with a detached payload per entry, several
 * entries during a key rotation). `jku` names our own JWKS so that a verifier can find each `kid`.
 */
export async function signCard(card: AgentCard, keys: SigningKey[], jku: string): Promise<AgentCard> {
  if (keys.length === 0) return card;
  const payload = new TextEncoder().encode(canonicalCardPayload(card));
  const signatures = await Promise.all(
    keys.map(async (key) => {
      const jws = await new FlattenedSign(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "JOSE", jku }).sign(key.privateKey);
      return { protected: jws.protected!, signature: jws.signature };
    }),
  );
  return { ...card, signatures };
}

/** Signs with the keys in `SIGNING_KEYS`, if any; the card is returned unchanged when none are configured. */
export async function signAgentCard(card: AgentCard, env: Env, origin: string): Promise<AgentCard> {
  return signCard(card, await loadSigningKeys(env), `${origin}${JWKS_PATH}`);
}

/** GET `/.well-known/jwks.json`: the public half of every signing key, for card signatures and webhook JWTs. */
export async function serveJwks(env: Env): Promise<Response> {
  const keys = await loadSigningKeys(env);
  return new Response(JSON.stringify({ keys: keys.map((key) => key.publicJwk) }), {
    headers: {
      "Content-Type": "application/jwk-set+json",
      "Cache-Control": "public, max-age=300",
      "Access-Control-Allow-Origin": "*",
    },
  });
}

import { AgentCard as SdkAgentCard, canonicalizeAgentCard } from "@a2a-js/sdk";
import { decodeProtectedHeader, flattenedVerify, importJWK, type JWK } from "jose";
import type { AgentCard } from "../../schema/a2a";
import { canonicalCardPayload } from "../card-signing";
import { outboundFetch, readLimited } from "./outbound";

export type SignatureVerdict = { status: "unsigned" } | { status: "verified"; kid: string };

/** A card whose signature does not hold: it is refused, never stored. */
export class CardRefused extends Error {
  override name = "CardRefused";
}

const ALGORITHMS = new Set(["ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "EdDSA"]);
const JWKS_LIMIT = 64 * 1024;
const JWKS_TTL_MS = 5 * 60_000;
const jwksCache = new Map<string, { keys: JWK[]; until: number }>();

interface SignatureEntry {
  protected: string;
  signature: string;
}

const isEntry = (value: unknown): value is SignatureEntry =>
  typeof value === "object" && value !== null && typeof (value as SignatureEntry).protected === "string" && typeof (value as SignatureEntry).signature === "string";

/** base64url of the UTF-8 bytes, in slices: spreading a large card into one call overflows the argument limit. */
function b64url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * The payloads a signer may have signed: ours (the card without `signatures`, emptied of defaults, RFC 8785,
 * workers/card-signing.ts), and the official SDK's (the same after a round trip through its v1.0 model). The
 * SDK's form drops fields outside the v1.0 schema, so it is tried only on a v1.0-shaped card: on a v0.3 card it
 * would leave `url` unsigned.
 */
function payloads(card: Record<string, unknown>): string[] {
  const ours = canonicalCardPayload(card as unknown as AgentCard);
  if ("url" in card) return [ours];
  try {
    const sdk = canonicalizeAgentCard(SdkAgentCard.fromJSON(card));
    return sdk === ours ? [ours] : [ours, sdk];
  } catch {
    return [ours];
  }
}

async function fetchJwks(env: Env, jku: string): Promise<JWK[]> {
  const cached = jwksCache.get(jku);
  if (cached && cached.until > Date.now()) return cached.keys;
  const response = await outboundFetch(env, "JWKS URLs")(jku, { headers: { Accept: "application/json" }, signal: AbortSignal.timeout(5000) });
  if (!response.ok) {
    await response.body?.cancel();
    throw new CardRefused(`its JWKS ${jku} answered ${response.status}`);
  }
  let keys: JWK[];
  try {
    keys = (JSON.parse(await readLimited(response, JWKS_LIMIT)) as { keys?: JWK[] }).keys ?? [];
  } catch {
    throw new CardRefused(`its JWKS ${jku} is not a JWK set`);
  }
  if (jwksCache.size > 64) jwksCache.clear();
  jwksCache.set(jku, { keys, until: Date.now() + JWKS_TTL_MS });
  return keys;
}

/**
 * Checks a card's JWS signatures (REFERENCE §7: detached payload, one entry per key). Unsigned cards pass as
 * "unsigned" (the entry may refuse those). A signed card passes when one signature verifies with a key that is
 * pinned in the entry, or else published at the signature's `jku`, which must be on the card's own origin (a
 * card rewritten on the way could otherwise name the forger's keys) and passes the SSRF guard. Anything else
 * is refused with the reason.
 */
export async function verifyCardSignatures(env: Env, card: Record<string, unknown>, cardUrl: string, pinned?: { keys: JWK[] }): Promise<SignatureVerdict> {
  const entries = card.signatures;
  if (entries === undefined || (Array.isArray(entries) && entries.length === 0)) return { status: "unsigned" };
  if (!Array.isArray(entries) || !entries.every(isEntry)) throw new CardRefused("its signatures are malformed");
  const candidates = payloads(card);
  const problems: string[] = [];
  for (const entry of entries.slice(0, 8)) {
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader({ protected: entry.protected, signature: entry.signature, payload: "" });
    } catch {
      problems.push("a protected header that is not JSON");
      continue;
    }
    const { alg, kid, jku } = header;
    if (!alg || !ALGORITHMS.has(alg)) {
      problems.push(`algorithm ${String(alg).slice(0, 16)} is not accepted`);
      continue;
    }
    if (!kid) {
      problems.push("a signature without kid");
      continue;
    }
    let keys: JWK[];
    if (pinned) keys = pinned.keys;
    else if (typeof jku === "string" && URL.canParse(jku) && new URL(jku).origin === new URL(cardUrl).origin) keys = await fetchJwks(env, jku);
    else {
      problems.push(`kid ${kid.slice(0, 64)}: no pinned keys and no jku on the card's origin`);
      continue;
    }
    const jwk = keys.find((k) => k.kid === kid);
    if (!jwk) {
      problems.push(`kid ${kid.slice(0, 64)} is not among the keys`);
      continue;
    }
    let key: Awaited<ReturnType<typeof importJWK>>;
    try {
      key = await importJWK(jwk, alg);
    } catch {
      problems.push(`kid ${kid.slice(0, 64)} is not a usable ${alg} key`);
      continue;
    }
    for (const payload of candidates) {
      try {
        await flattenedVerify({ protected: entry.protected, signature: entry.signature, payload: b64url(payload) }, key, { algorithms: [alg] });
        return { status: "verified", kid };
      } catch {
        // Try the other canonical form, then the next signature.
      }
    }
    problems.push(`kid ${kid.slice(0, 64)}: the signature does not match the card`);
  }
  throw new CardRefused(`no signature verifies (${problems.join("; ")})`);
}

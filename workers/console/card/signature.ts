import canonicalize from "canonicalize";
import type { AgentCard } from "../a2a/types";

/** What the console can say about a card's signatures (A2A §8.4). */
export type SignatureStatus =
  | { kind: "unsigned" }
  | { kind: "verified"; kid: string; jku: string; sameOrigin: boolean }
  | { kind: "invalid"; reason: string }
  | { kind: "unverifiable"; reason: string };

const ALGORITHMS: Record<string, { import: EcKeyImportParams | RsaHashedImportParams; verify: EcdsaParams | RsaPssParams | AlgorithmIdentifier }> = {
  ES256: { import: { name: "ECDSA", namedCurve: "P-256" }, verify: { name: "ECDSA", hash: "SHA-256" } },
  ES384: { import: { name: "ECDSA", namedCurve: "P-384" }, verify: { name: "ECDSA", hash: "SHA-384" } },
  RS256: { import: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, verify: { name: "RSASSA-PKCS1-v1_5" } },
  PS256: { import: { name: "RSA-PSS", hash: "SHA-256" }, verify: { name: "RSA-PSS", saltLength: 32 } },
};

const base64url = {
  encode: (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""),
  decode: (text: string) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0)),
};

/** Drops empty strings, arrays and objects before canonicalising, as the official SDKs do (§8.4.1). */
function withoutEmpty(value: unknown): unknown {
  if (value === "" || value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const items = value.map(withoutEmpty).filter((item) => item !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (typeof value === "object") {
    const entries = Object.entries(value).flatMap(([key, item]) => (withoutEmpty(item) === undefined ? [] : [[key, withoutEmpty(item)] as const]));
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  }
  return value;
}

/**
 * Checks the card's first signature: a JWS with a detached payload over the card without `signatures`, emptied
 * of defaults, in RFC 8785 form; the key is the `kid` in the JWKS that `jku` names. A `jku` on another origin
 * than the card's is reported, since anyone can publish keys for their own JWKS.
 */
export async function verifyCard(card: AgentCard, cardUrl: string): Promise<SignatureStatus> {
  const signature = card.signatures?.[0];
  if (!signature) return { kind: "unsigned" };
  let header: { alg?: string; kid?: string; jku?: string };
  try {
    header = JSON.parse(new TextDecoder().decode(base64url.decode(signature.protected)));
  } catch {
    return { kind: "invalid", reason: "the protected header is not base64url JSON" };
  }
  const algorithm = ALGORITHMS[header.alg ?? ""];
  if (!algorithm) return { kind: "unverifiable", reason: `algorithm ${header.alg ?? "(none)"} is not supported here` };
  if (!header.jku || !header.kid) return { kind: "unverifiable", reason: "the signature names no jku and kid to find its key" };
  let jwk: JsonWebKey | undefined;
  try {
    const jwks = (await (await fetch(header.jku)).json()) as { keys?: (JsonWebKey & { kid?: string })[] };
    jwk = jwks.keys?.find((key) => key.kid === header.kid);
  } catch (error) {
    return { kind: "unverifiable", reason: `could not read ${header.jku}: ${(error as Error).message}` };
  }
  if (!jwk) return { kind: "invalid", reason: `no key ${header.kid} in ${header.jku}` };
  const { signatures: _signatures, ...unsigned } = card;
  const payload = base64url.encode(new TextEncoder().encode(canonicalize(withoutEmpty(unsigned) ?? {}) ?? "{}"));
  const key = await crypto.subtle.importKey("jwk", jwk, algorithm.import, false, ["verify"]);
  const valid = await crypto.subtle.verify(algorithm.verify, key, base64url.decode(signature.signature), new TextEncoder().encode(`${signature.protected}.${payload}`));
  if (!valid) return { kind: "invalid", reason: "the signature does not match the card" };
  return { kind: "verified", kid: header.kid, jku: header.jku, sameOrigin: new URL(header.jku, cardUrl).origin === new URL(cardUrl).origin };
}

import type { JWK } from "jose";
import { CardFetchError, fetchCard } from "./card-fetch";
import { parseCard, usableBindings } from "./card-parse";
import { CardRefused, verifyCardSignatures } from "./card-verify";
import type { AgentEntry } from "./entry";
import { checkAgentUrl } from "./outbound";
import type { CardColumns, HealthSignal, ReplicaWrite } from "./store";

/** Consecutive failures after which a replica is unhealthy: `REGISTRY_UNHEALTHY_AFTER`, default 3. */
export function unhealthyAfter(env: Env): number {
  const n = Number(env.REGISTRY_UNHEALTHY_AFTER ?? "3");
  return Number.isInteger(n) && n >= 1 && n <= 100 ? n : 3;
}

/**
 * Decides whether a fetched card may be used, and what the registry records of it: it must be an agent card,
 * its signature must hold (or it is unsigned and the entry allows that), and it must offer at least one binding
 * this platform speaks at a URL the SSRF guard lets through (the card names the URLs calls go to, so they are
 * checked like the card's own). Throws CardRefused with the reason.
 */
export async function acceptCard(env: Env, entry: Pick<AgentEntry, "requireSignature" | "keys">, cardUrl: string, json: Record<string, unknown>, etag: string | null, ttlSeconds: number): Promise<CardColumns> {
  let facts: ReturnType<typeof parseCard>;
  try {
    facts = parseCard(json);
  } catch (error) {
    throw new CardRefused((error as Error).message);
  }
  const verdict = await verifyCardSignatures(env, json, cardUrl, entry.keys as { keys: JWK[] } | undefined);
  if (verdict.status === "unsigned" && entry.requireSignature) throw new CardRefused("the card is unsigned and this agent requires a signature");
  const usable = usableBindings(facts.bindings);
  if (usable.length === 0) throw new CardRefused("the card offers no JSON-RPC or HTTP+JSON interface at A2A 1.0 or 0.3");
  const reachable = usable.filter((b) => checkAgentUrl(env, b.url, "agent interface URLs").ok);
  if (reachable.length === 0) {
    const reason = checkAgentUrl(env, usable[0]!.url, "agent interface URLs");
    throw new CardRefused(`its interface URLs are refused (${reason.ok ? "" : reason.reason})`);
  }
  const now = Date.now();
  return {
    card: json,
    etag,
    expiresAt: new Date(now + ttlSeconds * 1000).toISOString(),
    fetchedAt: new Date(now).toISOString(),
    protocolVersions: facts.protocolVersions,
    cardShape: facts.shape,
    bindings: facts.bindings,
    skills: facts.skills,
    streaming: facts.streaming,
    signature: verdict.status,
    signatureKid: verdict.status === "verified" ? verdict.kid : null,
    cardError: null,
  };
}

export type Admission =
  | { kind: "card"; card: CardColumns; health: HealthSignal }
  | { kind: "not-modified"; ttlSeconds: number; health: HealthSignal }
  /** Answered, but with nothing the registry will use: a bad signature, no card, a refused URL. */
  | { kind: "refused"; reason: string; health: HealthSignal }
  | { kind: "unreachable"; reason: string; health: HealthSignal };

/**
 * Fetches and judges one replica's card. Every outcome is also a health signal: a card (or a 304) is a success
 * with its latency; anything else is a failure.
 */
export async function admitReplica(env: Env, entry: Pick<AgentEntry, "requireSignature" | "keys">, cardUrl: string, etag: string | null): Promise<Admission> {
  const threshold = unhealthyAfter(env);
  const check = checkAgentUrl(env, cardUrl, "agent card URLs");
  if (!check.ok) return { kind: "refused", reason: check.reason, health: { ok: false, error: check.reason, threshold } };
  try {
    const fetched = await fetchCard(env, cardUrl, etag);
    const health = { ok: true, latencyMs: fetched.latencyMs, threshold };
    if (fetched.kind === "not-modified") return { kind: "not-modified", ttlSeconds: fetched.ttlSeconds, health };
    return { kind: "card", card: await acceptCard(env, entry, cardUrl, fetched.json, fetched.etag, fetched.ttlSeconds), health };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof CardRefused || (error instanceof CardFetchError && error.refused)) {
      return { kind: "refused", reason: `card refused: ${message}`, health: { ok: false, error: `card refused: ${message}`, threshold } };
    }
    return { kind: "unreachable", reason: message, health: { ok: false, error: message, threshold } };
  }
}

/** A replica to store from an admission (a refused card is stored as its error, keeping no card). */
export function replicaWrite(cardUrl: string, admission: Admission): ReplicaWrite {
  if (admission.kind === "card") return { cardUrl, card: admission.card, health: admission.health };
  if (admission.kind === "not-modified") return { cardUrl, health: admission.health };
  return { cardUrl, health: admission.health };
}

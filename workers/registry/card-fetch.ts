import { OutboundRefused, outboundFetch, readLimited } from "./outbound";

/** A card is a few KiB; anything near this is not one. */
export const CARD_LIMIT_BYTES = 256 * 1024;
export const CARD_TIMEOUT_MS = 5000;
/** How long a card is kept without asking again: `max-age` within these bounds. */
const MIN_TTL_S = 30;
const MAX_TTL_S = 24 * 3600;
const DEFAULT_TTL_S = 300;

export type CardFetch =
  | { kind: "card"; json: Record<string, unknown>; etag: string | null; ttlSeconds: number; latencyMs: number }
  | { kind: "not-modified"; ttlSeconds: number; latencyMs: number };

/** Why a fetch gave no card. `refused`: the answer was no card (or the URL may not be called): not a health failure of a server that answered. */
export class CardFetchError extends Error {
  override name = "CardFetchError";
  constructor(
    message: string,
    readonly refused: boolean,
  ) {
    super(message);
  }
}

/** `Cache-Control` → seconds to keep the card: max-age bounded; no-store/no-cache → the minimum. */
export function ttlOf(cacheControl: string | null): number {
  if (!cacheControl) return DEFAULT_TTL_S;
  const directives = cacheControl.toLowerCase().split(",").map((d) => d.trim());
  if (directives.some((d) => d === "no-store" || d === "no-cache")) return MIN_TTL_S;
  const maxAge = directives.map((d) => /^max-age=(\d+)$/.exec(d)?.[1]).find((v) => v !== undefined);
  if (maxAge === undefined) return DEFAULT_TTL_S;
  return Math.min(Math.max(Number(maxAge), MIN_TTL_S), MAX_TTL_S);
}

/**
 * GETs a card through the SSRF guard, at most CARD_LIMIT_BYTES within CARD_TIMEOUT_MS, revalidating with
 * `If-None-Match` when an ETag is known. It asks for v1.0 as the official SDK's resolver does; a server from
 * before v1.0 answers its v0.3 card anyway.
 */
export async function fetchCard(env: Env, cardUrl: string, etag: string | null): Promise<CardFetch> {
  const started = Date.now();
  let response: Response;
  try {
    response = await outboundFetch(env, "agent card URLs")(cardUrl, {
      headers: { Accept: "application/json", "A2A-Version": "1.0", ...(etag ? { "If-None-Match": etag } : {}) },
      signal: AbortSignal.timeout(CARD_TIMEOUT_MS),
    });
  } catch (error) {
    if (error instanceof OutboundRefused) throw new CardFetchError(error.message, true);
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    throw new CardFetchError(timedOut ? `no answer within ${CARD_TIMEOUT_MS} ms` : `unreachable (${error instanceof Error ? error.message.slice(0, 200) : "error"})`, false);
  }
  const latencyMs = Date.now() - started;
  const ttlSeconds = ttlOf(response.headers.get("Cache-Control"));
  if (response.status === 304 && etag) return { kind: "not-modified", ttlSeconds, latencyMs };
  if (!response.ok) {
    await response.body?.cancel();
    throw new CardFetchError(`answered HTTP ${response.status}`, false);
  }
  let json: unknown;
  try {
    json = JSON.parse(await readLimited(response, CARD_LIMIT_BYTES));
  } catch (error) {
    throw new CardFetchError(error instanceof OutboundRefused ? `card ${error.message}` : "the card is not JSON", true);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new CardFetchError("the card is not a JSON object", true);
  return { kind: "card", json: json as Record<string, unknown>, etag: response.headers.get("ETag"), ttlSeconds, latencyMs };
}

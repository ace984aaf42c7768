/**
 * W3C Trace Context (`traceparent: 00-<trace-id>-<parent-id>-<flags>`) for calls downstream. A delegation's trace id
 * comes from the parent task, so every child of one task, and every retry, shares one trace; each request is its
 * own span.
 */
const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

const randomHex = (bytes: number) => hex(crypto.getRandomValues(new Uint8Array(bytes)));

/** A trace id from a seed (a task id): 16 bytes of its SHA-256, never the invalid all-zero id. */
export async function traceIdOf(seed: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(seed))).slice(0, 16);
  const id = hex(digest);
  return /^0+$/.test(id) ? `${id.slice(0, 31)}1` : id;
}

/** A sampled traceparent in `traceId` (a new trace when none is given), with a fresh span id. */
export function newTraceparent(traceId: string = randomHex(16)): string {
  return `00-${traceId}-${randomHex(8)}-01`;
}

export const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

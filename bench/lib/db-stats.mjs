// What the platform asked of Postgres: the Neon HTTP shim's counters (GET /stats, scripts/local-db/neon-http-shim.mjs).
// Index writes land a few milliseconds after the request that caused them, so a reading waits for quiet first.

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @typedef {{ requests: number, reads: number, writes: number, batches: number, statements: number, errors: number }} DbStats */

/** @returns {Promise<DbStats>} */
export async function readDbStats(statsUrl) {
  const res = await fetch(statsUrl, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`GET ${statsUrl} → ${res.status}`);
  return res.json();
}

/**
 * The counters once no request has reached the database for `quietMs` (or after `timeoutMs`, whatever came by
 * then): what a request caused, including the index write its task object sends after answering.
 * @returns {Promise<DbStats>}
 */
export async function settledDbStats(statsUrl, { quietMs = 250, timeoutMs = 10_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = await readDbStats(statsUrl);
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    await sleep(25);
    const now = await readDbStats(statsUrl);
    if (now.requests !== last.requests) {
      last = now;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= quietMs) return now;
  }
  return last;
}

/** `after − before`, field by field. */
export function dbDelta(after, before) {
  return Object.fromEntries(Object.keys(after).map((key) => [key, after[key] - (before[key] ?? 0)]));
}

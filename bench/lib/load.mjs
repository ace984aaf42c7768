// Load generation with autocannon, plus one plain request first to prove the scenario is wired right.
import autocannon from "autocannon";

/**
 * A scenario's request. `body` may contain `[<id>]`: autocannon replaces it with a fresh id on every
 * request (idReplacement), so each SendMessage carries a distinct messageId.
 * @typedef {{ url: string, method?: string, headers?: Record<string, string>, body?: string,
 *   check: (status: number, body: string) => boolean }} Target
 */

let probeCounter = 0;

/** Sends the request once; throws with the response if `check` rejects it. Returns the parsed body if JSON. */
export async function probe(target) {
  const body = target.body?.replaceAll("[<id>]", `probe-${process.pid}-${++probeCounter}`);
  const res = await fetch(target.url, {
    method: target.method ?? "GET",
    headers: target.headers,
    body,
    signal: AbortSignal.timeout(10000),
  });
  const text = await res.text();
  if (!target.check(res.status, text)) {
    throw new Error(`probe ${target.method ?? "GET"} ${target.url} → ${res.status}: ${text.slice(0, 400)}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function run(target, { connections, duration, maxRequests }) {
  const started = performance.now();
  let lastResponse = started;
  const instance = autocannon({
    url: target.url,
    method: target.method ?? "GET",
    headers: target.headers,
    body: target.body,
    idReplacement: target.body?.includes("[<id>]") ?? false,
    // A JSON-RPC error still comes back as HTTP 200: check every body, count failures as mismatches.
    verifyBody: (body) => target.check(200, body),
    connections,
    duration,
    ...(maxRequests ? { maxOverallRequests: Math.max(maxRequests, connections) } : {}),
    timeout: 10,
  });
  instance.on("response", () => {
    lastResponse = performance.now();
  });
  const result = await instance;
  // Exact even when maxRequests ends the run between autocannon's one-second samples.
  result.activeSeconds = (lastResponse - started) / 1000;
  return result;
}

/**
 * Warm-up (discarded), then the measured run. `afterWarmup` sees the warm-up's request count and may
 * wait, and may cap the measured run's requests (`maxRequests`; it still ends after `duration` at most).
 * @param {{ afterWarmup?: (warmup: { total: number }) => Promise<{ maxRequests?: number } | undefined> }} [hooks]
 * @returns {Promise<{ rps: number, rpsStddev: number, total: number, p50: number, p99: number, non2xx: number,
 *   errors: number, timeouts: number, mismatches: number, seconds: number, maxRequests?: number }>}
 */
export async function measure(target, { connections, duration, warmup }, { afterWarmup } = {}) {
  let total = 0;
  if (warmup > 0) total = (await run(target, { connections, duration: warmup })).requests.total;
  const { maxRequests } = (await afterWarmup?.({ total })) ?? {};
  const r = await run(target, { connections, duration, maxRequests });
  return {
    rps: r.requests.total / r.activeSeconds,
    rpsStddev: r.requests.stddev,
    total: r.requests.total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    mismatches: r.mismatches,
    seconds: r.activeSeconds,
    maxRequests,
  };
}

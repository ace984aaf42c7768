// One caller's burst against a running server, to see the caller rate limit at work (or switched off):
//   node scripts/rate-limit-check.mjs [base URL] [--requests 2000] [--within 10] [--expect none|429]
// Each request is a cheap A2A call (JSON-RPC GetExtendedAgentCard) through the whole edge: request id, auth,
// rate limits. --expect none: every request answered, none with 429, all within the time given (exit 1 if not).
// --expect 429: the limit answers 429 with Retry-After before the burst ends (exit 1 if not).
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    requests: { type: "string", default: "2000" },
    within: { type: "string", default: "10" },
    concurrency: { type: "string", default: "16" },
    expect: { type: "string", default: "none" },
  },
});
const base = (positionals[0] ?? "http://127.0.0.1:8787").replace(/\/+$/, "");
const total = Number(values.requests);
const withinMs = Number(values.within) * 1000;
const expect429 = values.expect === "429";

const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "GetExtendedAgentCard", params: {} });
const statuses = new Map();
let retryAfter;
let sent = 0;
let failed = 0;
const started = performance.now();

async function worker() {
  while (sent < total && !(expect429 && retryAfter !== undefined)) {
    sent++;
    try {
      const response = await fetch(`${base}/a2a/jsonrpc`, { method: "POST", headers: { "Content-Type": "application/json", "A2A-Version": "1.0" }, body });
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status === 429) retryAfter ??= response.headers.get("Retry-After") ?? "(none)";
    } catch (error) {
      failed++;
      if (failed === 1) console.error(`request failed: ${error.message}`);
    }
  }
}

await Promise.all(Array.from({ length: Number(values.concurrency) }, worker));
const elapsedMs = Math.round(performance.now() - started);
const answered = [...statuses.values()].reduce((a, b) => a + b, 0);
console.log(JSON.stringify({ base, answered, failed, elapsedMs, statuses: Object.fromEntries(statuses), retryAfter: retryAfter ?? null }));

const limited = statuses.get(429) ?? 0;
const ok = expect429
  ? limited > 0 && /^\d+$/.test(retryAfter ?? "")
  : limited === 0 && failed === 0 && answered === total && elapsedMs <= withinMs;
console.log(ok ? "rate-limit-check: as expected" : `rate-limit-check: NOT as expected (--expect ${values.expect})`);
process.exit(ok ? 0 : 1);

// One caller's burst against a running server, to see the caller rate limit at work (or switched off):
//   node scripts/rate-limit-check.mjs [base URL] [--requests 2000] [--within 10] [--concurrency 32] [--expect none|429]
// The anonymous caller of `npm run dev` sends one message, then reads its task back with JSON-RPC GetTask again and
// again: each call goes through the whole edge (request id, auth, rate limits) to the task's Durable Object.
// --expect none: every GetTask gets its task, none a 429, all within the time given (exit 1 if not).
// --expect 429: the limit answers 429 with Retry-After before the burst ends (exit 1 if not).
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    requests: { type: "string", default: "2000" },
    within: { type: "string", default: "10" },
    concurrency: { type: "string", default: "32" },
    expect: { type: "string", default: "none" },
  },
});
const base = (positionals[0] ?? "http://127.0.0.1:8787").replace(/\/+$/, "");
const total = Number(values.requests);
const withinMs = Number(values.within) * 1000;
const expect429 = values.expect === "429";

const rpc = (method, params) => ({
  method: "POST",
  headers: { "Content-Type": "application/json", "A2A-Version": "1.0" },
  body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
});
const message = { messageId: `rate-limit-check-${crypto.randomUUID()}`, role: "ROLE_USER", parts: [{ text: "rate limit check" }] };
const created = await (await fetch(`${base}/a2a/jsonrpc`, rpc("SendMessage", { message }))).json();
if (!created.result?.task) {
  console.error(`rate-limit-check: SendMessage did not return a task: ${JSON.stringify(created).slice(0, 300)}`);
  process.exit(1);
}
const taskId = created.result.task.id;
const getTask = rpc("GetTask", { id: taskId, historyLength: 0 });
const statuses = new Map();
let results = 0;
let retryAfter;
let sent = 0;
let failed = 0;
const started = performance.now();

async function worker() {
  while (sent < total && !(expect429 && retryAfter !== undefined)) {
    sent++;
    try {
      const response = await fetch(`${base}/a2a/jsonrpc`, getTask);
      const text = await response.text();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status === 200 && JSON.parse(text).result?.id === taskId) results++;
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
console.log(JSON.stringify({ base, answered, results, failed, elapsedMs, statuses: Object.fromEntries(statuses), retryAfter: retryAfter ?? null }));

const limited = statuses.get(429) ?? 0;
const ok = expect429
  ? limited > 0 && /^\d+$/.test(retryAfter ?? "")
  : limited === 0 && failed === 0 && results === total && elapsedMs <= withinMs;
console.log(ok ? "rate-limit-check: as expected" : `rate-limit-check: NOT as expected (--expect ${values.expect})`);
process.exit(ok ? 0 : 1);

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JSONRPC_URL, reasonOf, REST_URL, worker, type Credential } from "./helpers/a2a";
import { AUTH, mintToken } from "./helpers/auth";
import { hostileJsonRpc, hostileRest, type HostileRequest } from "./helpers/hostile-requests";
import { jsonRpcErrorViolations, restErrorViolations } from "./helpers/wire-schema";

/**
 * Property: whatever a hostile client sends, the answer is a documented A2A error, never a 5xx, never a success.
 * 5,000 generated requests per binding, each with at least one defect (see helpers/hostile-requests.ts).
 * A failure prints fast-check's seed, path and the shrunk request; pass `{ seed, path }` to fc.assert to replay it.
 */

const RUNS_PER_BINDING = 5_000;

/** Valid callers, several so that no one caller reaches its rate limit; and credentials that must fail. */
async function credentials() {
  const valid: Credential[] = await Promise.all(
    Array.from({ length: 8 }, async (_, i) => (i === 7 ? { apiKey: AUTH.apiKeys.plain } : { bearer: await mintToken({ sub: `fuzz-${i}`, role: i % 2 ? "operator" : "user" }) })),
  );
  const hostile: Credential[] = [
    "none",
    { bearer: await mintToken({}, { expiresIn: -3600 }) },
    { bearer: await mintToken({}, { audience: "other" }) },
    { bearer: await mintToken({}, { key: "rogue" }) },
    { bearer: await mintToken({}, { issuer: "https://other.test" }) },
    { bearer: "e30.e30." },
    { bearer: "a".repeat(9000) },
    { bearer: "" },
    { apiKey: "ak_wrong" },
    { apiKey: "x".repeat(600) },
  ];
  return { valid, hostile };
}

type Pool = Awaited<ReturnType<typeof credentials>>;

async function send(request: HostileRequest, pool: Pool): Promise<Response> {
  const as = "valid" in request.credential ? pool.valid[request.credential.valid % pool.valid.length]! : pool.hostile[request.credential.hostile % pool.hostile.length]!;
  const url = request.binding === "jsonrpc" ? `${JSONRPC_URL}${request.path}` : `${REST_URL}${request.path}`;
  return worker(url, { method: request.verb, headers: request.headers, ...(request.body === undefined ? {} : { body: request.body }) }, as);
}

/** The checks every answer must pass: what is wrong (empty for a documented error), and the ErrorInfo reasons. */
async function check(request: HostileRequest, response: Response): Promise<{ problems: string[]; reasons: string[] }> {
  const problems: string[] = [];
  const text = await response.text();
  if (response.status >= 500) problems.push(`status ${response.status}`);
  if (!response.headers.get("Content-Type")?.includes("application/json")) problems.push(`content type ${response.headers.get("Content-Type")}`);
  if (!response.headers.get("X-Request-ID")) problems.push("no X-Request-ID");
  if (response.status === 401 && !response.headers.get("WWW-Authenticate")) problems.push("401 without WWW-Authenticate");
  if (response.status === 429 && !response.headers.get("Retry-After")) problems.push("429 without Retry-After");
  if (response.status === 405 && !response.headers.get("Allow")) problems.push("405 without Allow");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { problems: [...problems, `body is not JSON: ${text.slice(0, 200)}`], reasons: [] };
  }
  const errors: any[] = [];
  if (request.binding === "jsonrpc") {
    for (const entry of Array.isArray(body) ? body : [body]) {
      problems.push(...jsonRpcErrorViolations(entry));
      errors.push((entry as any)?.error?.data);
    }
  } else {
    if (response.status < 400) problems.push(`REST success ${response.status}`);
    problems.push(...restErrorViolations(body, response.status));
    errors.push((body as any)?.error?.details);
  }
  return { problems, reasons: errors.map((details) => reasonOf(details) ?? "none") };
}

describe("fuzz: hostile requests always get a well-formed A2A error (§8)", () => {
  it.each([
    ["JSON-RPC", hostileJsonRpc],
    ["REST", hostileRest],
  ] as const)("%s: 5,000 requests, no 5xx, every answer a documented error", { timeout: 180_000 }, async (_, arbitrary) => {
    const pool = await credentials();
    const statuses = new Map<number, number>();
    const reasons = new Set<string>();
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(arbitrary, async (request) => {
        const response = await send(request, pool);
        sent += 1;
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const answer = await check(request, response);
        for (const reason of answer.reasons) reasons.add(reason);
        expect(answer.problems, `defects ${JSON.stringify(request.defects)} → ${response.status}`).toEqual([]);
      }),
      { numRuns: RUNS_PER_BINDING },
    );
    expect(sent).toBeGreaterThanOrEqual(RUNS_PER_BINDING);
    // The generators reach every layer they aim at: credentials, version, content type, routing, parsing, validation.
    expect(statuses.get(401)).toBeGreaterThan(RUNS_PER_BINDING / 20);
    expect([...reasons].sort()).toEqual(expect.arrayContaining(["UNAUTHENTICATED", "VERSION_NOT_SUPPORTED", "CONTENT_TYPE_NOT_SUPPORTED", "INVALID_PARAMS", "METHOD_NOT_ALLOWED"]));
  });
});

import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../workers/app";
import { MAX_HISTORY_LENGTH, MAX_PARTS } from "../../workers/limits";
import { RATE_LIMIT_PERIOD_SECONDS } from "../../workers/rate-limit";
import { JSONRPC_URL, makeMessage, ORIGIN, reasonOf, REST_URL, rest, rpc, worker, type Credential } from "../helpers/a2a";
import { mintToken } from "../helpers/auth";
import { jsonRpcErrorViolations, restErrorViolations } from "../helpers/wire-schema";

const uid = () => crypto.randomUUID().slice(0, 8);
const V1 = { "A2A-Version": "1.0" };
/** The cheapest request that still passes authentication and the rate limits: an unknown REST route. */
const cheap = (as: Credential) => worker(`${REST_URL}/no-such-route`, { headers: V1 }, as);

/** Fires cheap requests, `width` at a time, until one is refused; returns how many got through and the refusal. */
async function untilRefused(as: Credential, max: number, width = 25, send = cheap) {
  let passed = 0;
  while (passed <= max) {
    const responses = await Promise.all(Array.from({ length: width }, () => send(as)));
    const refused = responses.find((r) => r.status === 429);
    passed += responses.filter((r) => r.status !== 429).length;
    if (refused) return { passed, refused };
  }
  throw new Error(`no 429 after ${passed} requests`);
}

/**
 * Waits for a fresh window. The limiter's windows are aligned to the wall clock (miniflare counts per
 * floor(now / period)), so a flood that starts mid-window is split over two and, on a busy machine, never
 * reaches the limit in either.
 */
async function atWindowStart(): Promise<void> {
  const period = RATE_LIMIT_PERIOD_SECONDS * 1000;
  await new Promise((resolve) => setTimeout(resolve, period - (Date.now() % period) + 50));
}

/** Waits for a fresh window unless at least `ms` of this one are left, so that a short check fits in one window. */
async function withRoomInWindow(ms: number): Promise<void> {
  const period = RATE_LIMIT_PERIOD_SECONDS * 1000;
  if (period - (Date.now() % period) < ms) await atWindowStart();
}

/** Polls until the window rolls over (at most one period, 10 s). */
async function untilAdmitted(as: Credential, send = cheap) {
  const deadline = Date.now() + 12_000;
  for (;;) {
    const response = await send(as);
    if (response.status !== 429) return response;
    if (Date.now() > deadline) throw new Error("still limited after 12 s");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("rate limits (429 with Retry-After)", () => {
  it("per tenant: callers bound to one tenant share its limit, then recover after the window", { timeout: 40_000 }, async () => {
    const tenant = `rl-${uid()}`;
    const first = { bearer: await mintToken({ sub: `a-${uid()}`, tenant }) };
    const second = { bearer: await mintToken({ sub: `b-${uid()}`, tenant }) };
    const elsewhere = { bearer: await mintToken({ sub: `c-${uid()}`, tenant: `rl-other-${uid()}` }) };
    // The flood and the second caller's refusal must fall in one window (the check takes well under a second).
    await withRoomInWindow(3000);
    const { passed, refused } = await untilRefused(first, 40, 5);
    expect(passed).toBeLessThanOrEqual(20);
    expect(refused.headers.get("Retry-After")).toBe("10");
    const body: any = await refused.json();
    expect(restErrorViolations(body, 429)).toEqual([]);
    expect(body.error).toMatchObject({ status: "RESOURCE_EXHAUSTED", details: [expect.objectContaining({ reason: "RATE_LIMITED", metadata: { scope: "tenant", retryAfterSeconds: "10" } })] });
    // The other caller in the same tenant is limited too, in the JSON-RPC shape on its endpoint; another tenant is not.
    const viaRpc = await rpc("ListTasks", {}, {}, second);
    expect(viaRpc.response.status).toBe(429);
    expect(jsonRpcErrorViolations(viaRpc.body)).toEqual([]);
    expect(reasonOf(viaRpc.body.error?.data)).toBe("RATE_LIMITED");
    expect((await cheap(elsewhere)).status).toBe(404);
    const recovered = await untilAdmitted(first);
    expect(recovered.status).toBe(404);
  });

  it("per caller: one caller's flood does not limit another", { timeout: 40_000 }, async () => {
    // The suite's own caller limit is 2,000 per window (its default caller is busy); a loaded machine cannot send that
    // many within one window, so this flood meets the same middleware with a limiter of 50.
    const app = createApp();
    const limited = { ...env, CALLER_RATE_LIMIT: (env as unknown as { FLOOD_RATE_LIMIT: RateLimit }).FLOOD_RATE_LIMIT } as Env;
    const call = async (as: Credential) => {
      const request = new Request(`${REST_URL}/no-such-route`, { headers: V1 });
      if (typeof as === "object" && "bearer" in as) request.headers.set("Authorization", `Bearer ${as.bearer}`);
      return app.fetch(request, limited);
    };
    const flooder = { bearer: await mintToken({ sub: `flood-${uid()}` }) };
    await atWindowStart();
    const { passed, refused } = await untilRefused(flooder, 60, 10, call);
    expect(passed).toBe(50);
    expect(refused.headers.get("Retry-After")).toBe("10");
    expect(((await refused.json()) as any).error.details[0].metadata.scope).toBe("caller");
    expect((await call({ bearer: await mintToken({ sub: `calm-${uid()}` }) })).status).toBe(404);
    expect((await untilAdmitted(flooder, call)).status).toBe(404);
  });
});

describe("RATE_LIMITS=off: the switch for local load tests, fuzz runs and conformance kits", () => {
  // A limiter that refuses everyone, so that only the switch can let a request through.
  const refusing = { limit: async () => ({ success: false }) } as unknown as RateLimit;
  const app = createApp();
  const call = async (vars: Record<string, string>) => {
    const bound = { bearer: await mintToken({ sub: `switch-${uid()}`, tenant: `switch-${uid()}` }) };
    const request = new Request(`${REST_URL}/no-such-route`, { headers: { ...V1, Authorization: `Bearer ${bound.bearer}` } });
    return app.fetch(request, { ...env, CALLER_RATE_LIMIT: refusing, TENANT_RATE_LIMIT: refusing, ...vars } as Env);
  };

  it("lets every caller through when set to off", async () => {
    expect((await call({ RATE_LIMITS: "off" })).status).toBe(404);
  });

  it("limits as deployed when unset, or set to anything else", async () => {
    for (const vars of [{} as Record<string, string>, { RATE_LIMITS: "on" }, { RATE_LIMITS: "" }, { RATE_LIMITS: "OFF " }, { RATE_LIMITS: "false" }]) {
      const response = await call(vars);
      expect(response.status, JSON.stringify(vars)).toBe(429);
      expect(response.headers.get("Retry-After")).toBe("10");
    }
  });
});

describe("request size limits", () => {
  it.each(["jsonrpc", "rest"] as const)("%s: a body over MAX_BODY_BYTES (1 MiB) → 413", async (binding) => {
    const body = JSON.stringify({ message: makeMessage({}, "x".repeat(1024 * 1024)) });
    const url = binding === "jsonrpc" ? JSONRPC_URL : `${REST_URL}/message:send`;
    const response = await worker(url, { method: "POST", headers: { ...V1, "Content-Type": "application/json" }, body });
    expect(response.status).toBe(413);
    expect(reasonOf(((await response.json()) as any)[binding === "jsonrpc" ? "error" : "error"][binding === "jsonrpc" ? "data" : "details"])).toBe("PAYLOAD_TOO_LARGE");
  });

  it.each([
    ["REST", `${REST_URL}/tasks?contextId=${"c".repeat(9000)}`, "rest"],
    ["JSON-RPC", `${JSONRPC_URL}?pad=${"p".repeat(9000)}`, "jsonrpc"],
  ] as const)("%s: a URL over 8 KiB → 414 in the binding's error shape", async (_, url, shape) => {
    const response = await worker(url, shape === "jsonrpc" ? { method: "POST", headers: { ...V1, "Content-Type": "application/json" }, body: "{}" } : { headers: V1 });
    expect(response.status).toBe(414);
    const body: any = await response.json();
    expect(shape === "jsonrpc" ? jsonRpcErrorViolations(body) : restErrorViolations(body, 414)).toEqual([]);
  });

  it(`a message with more than ${MAX_PARTS} parts → 400`, async () => {
    const message = makeMessage({ parts: Array.from({ length: MAX_PARTS + 1 }, (_, i) => ({ text: `part ${i}` })) });
    const { body } = await rpc("SendMessage", { message });
    expect(reasonOf(body.error?.data)).toBe("INVALID_PARAMS");
    expect(body.error?.data[1].fieldViolations[0].field).toBe("message.parts");
    expect((await rpc("SendMessage", { message: { ...message, parts: message.parts.slice(0, MAX_PARTS) } })).body.result.task).toBeDefined();
  });

  it.each([
    ["GetTask", () => rest("GET", `/tasks/t1?historyLength=${MAX_HISTORY_LENGTH + 1}`)],
    ["ListTasks", () => rest("GET", `/tasks?historyLength=${MAX_HISTORY_LENGTH + 1}`)],
    ["SendMessage", () => rest("POST", "/message:send", { message: makeMessage(), configuration: { historyLength: MAX_HISTORY_LENGTH + 1 } })],
  ])(`%s asking for more than ${MAX_HISTORY_LENGTH} history messages → 400`, async (_, call) => {
    const { status, body } = await call();
    expect(status).toBe(400);
    expect(reasonOf(body.error.details)).toBe("INVALID_PARAMS");
  });
});

describe("CORS (CORS_ORIGINS)", () => {
  const preflight = (origin: string, app = worker) =>
    app(`${REST_URL}/tasks`, { method: "OPTIONS", headers: { Origin: origin, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization" } }, "none");

  it("a listed origin gets its preflight answered, credentials allowed, the auth headers allowed", async () => {
    const response = await preflight("https://app.test");
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("https://app.test");
    expect(response.headers.get("Access-Control-Allow-Credentials")).toBe("true");
    expect(response.headers.get("Access-Control-Allow-Headers")).toContain("Authorization");
    expect(response.headers.get("Access-Control-Allow-Headers")).toContain("X-API-Key");
  });

  it("an unlisted origin gets no Access-Control-Allow-Origin", async () => {
    expect((await preflight("https://evil.test")).headers.get("Access-Control-Allow-Origin")).toBeNull();
  });

  it("answers, errors included, carry the origin and Vary: Origin, and expose the request id", async () => {
    const ok = await worker(`${REST_URL}/tasks`, { headers: { ...V1, Origin: "https://admin.test" } });
    expect(ok.headers.get("Access-Control-Allow-Origin")).toBe("https://admin.test");
    expect(ok.headers.get("Vary")).toContain("Origin");
    expect(ok.headers.get("Access-Control-Expose-Headers")).toContain("X-Request-ID");
    const refused = await worker(`${REST_URL}/tasks`, { headers: { ...V1, Origin: "https://admin.test" } }, "none");
    expect(refused.status).toBe(401);
    expect(refused.headers.get("Access-Control-Allow-Origin")).toBe("https://admin.test");
  });

  it("`*` allows any origin but never with credentials", async () => {
    const app = createApp();
    const vars = { ...env, CORS_ORIGINS: "*" } as Env;
    const call = (input: string, init?: RequestInit) => app.fetch(new Request(input, init), vars);
    const response = await preflight("https://anyone.test", call as typeof worker);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(response.headers.get("Access-Control-Allow-Credentials")).toBeNull();
  });
});

describe("request ids and the request log", () => {
  afterEach(() => vi.restoreAllMocks());

  it("echoes a client's X-Request-ID, on errors too", async () => {
    const ok = await worker(`${REST_URL}/tasks`, { headers: { ...V1, "X-Request-ID": "client-id-42" } });
    expect(ok.headers.get("X-Request-ID")).toBe("client-id-42");
    const refused = await worker(`${REST_URL}/tasks`, { headers: { ...V1, "X-Request-ID": "client-id-43" } }, "none");
    expect(refused.headers.get("X-Request-ID")).toBe("client-id-43");
  });

  it("is on every response: the card (200, 304, HEAD, preflight), the v0.3 card, the JWKS, the root and a 404", async () => {
    const card = `${ORIGIN}/.well-known/agent-card.json`;
    const etag = (await worker(card)).headers.get("ETag")!;
    const requests: Array<[string, RequestInit]> = [
      [card, {}],
      [card, { headers: { "If-None-Match": etag } }],
      [card, { method: "HEAD" }],
      [card, { method: "OPTIONS" }],
      [card, { headers: { "A2A-Version": "0.3" } }],
      [`${ORIGIN}/.well-known/jwks.json`, {}],
      [`${ORIGIN}/`, {}],
      [`${ORIGIN}/nothing-here`, {}],
      [JSONRPC_URL, { method: "GET" }],
    ];
    for (const [url, init] of requests) {
      const id = `every-${uid()}`;
      const response = await worker(url, { ...init, headers: { ...(init.headers as Record<string, string>), "X-Request-ID": id } }, "none");
      expect(response.headers.get("X-Request-ID"), `${init.method ?? "GET"} ${url} → ${response.status}`).toBe(id);
      expect((await worker(url, init, "none")).headers.get("X-Request-ID"), `${url}, minted`).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("mints one when none or an unusable one is sent", async () => {
    const minted = (await worker(`${REST_URL}/tasks`, { headers: V1 })).headers.get("X-Request-ID");
    expect(minted).toMatch(/^[0-9a-f-]{36}$/);
    const replaced = await worker(`${REST_URL}/tasks`, { headers: { ...V1, "X-Request-ID": `bad id\u0007${"x".repeat(300)}` } });
    expect(replaced.headers.get("X-Request-ID")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("logs one JSON line per request with id, tenant, method, status and latency", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    const tenant = `log-${uid()}`;
    await rpc("SendMessage", { tenant, message: makeMessage() }, { "X-Request-ID": "log-test-1" });
    await rest("GET", "/tasks/t1", undefined, { "X-Request-ID": "log-test-2" }, "none");
    const entries = lines.filter((l) => l.startsWith('{"at":"request"')).map((l) => JSON.parse(l));
    expect(entries.find((e) => e.requestId === "log-test-1")).toEqual({ at: "request", requestId: "log-test-1", method: "SendMessage", tenant, status: 200, latencyMs: expect.any(Number) });
    expect(entries.find((e) => e.requestId === "log-test-2")).toMatchObject({ method: "GET /a2a/rest/tasks/t1", status: 401 });
  });

  it("logs the error code and reason of a failed call, which for JSON-RPC rides on HTTP 200", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    const missing = crypto.randomUUID();
    await rpc("GetTask", { id: missing }, { "X-Request-ID": "log-err-1" });
    await worker(JSONRPC_URL, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...V1, "X-Request-ID": "log-err-2" },
      body: JSON.stringify([{ jsonrpc: "2.0", id: 1, method: "GetTask", params: { id: missing } }, { jsonrpc: "2.0", id: 2, method: "Nope" }]),
    });
    await rest("GET", `/tasks/${missing}`, undefined, { "X-Request-ID": "log-err-3" });
    await rpc("GetTask", { id: missing }, { "X-Request-ID": "log-err-4" }, "none");
    await worker(`${JSONRPC_URL}`, { method: "POST", headers: { "Content-Type": "application/json", "X-Request-ID": "log-err-5" }, body: '{"jsonrpc":"2.0","id":1,"method":"tasks/get","params":{"id":"x"}}' });
    await rpc("GetTask", { id: missing }, { "X-Request-ID": "log-ok-6" }).then(() => rpc("ListTasks", {}, { "X-Request-ID": "log-ok-7" }));
    const entry = (id: string) => lines.filter((l) => l.startsWith('{"at":"request"')).map((l) => JSON.parse(l)).find((e) => e.requestId === id);
    expect(entry("log-err-1")).toMatchObject({ method: "GetTask", status: 200, errors: [{ code: -32001, reason: "TASK_NOT_FOUND" }] });
    expect(entry("log-err-2")).toMatchObject({ status: 200, errors: [{ code: -32001, reason: "TASK_NOT_FOUND" }, { code: -32601, reason: "METHOD_NOT_FOUND" }] });
    expect(entry("log-err-3")).toMatchObject({ method: "GetTask", status: 404, errors: [{ code: 404, reason: "TASK_NOT_FOUND" }] });
    expect(entry("log-err-4")).toMatchObject({ status: 401, errors: [{ code: -32000, reason: "UNAUTHENTICATED" }] });
    // v0.3 (no A2A-Version): the code its caller read.
    expect(entry("log-err-5")).toMatchObject({ method: "GetTask", status: 200, errors: [{ code: -32001, reason: "TASK_NOT_FOUND" }] });
    expect(entry("log-ok-7")).not.toHaveProperty("errors");
  });
});

import { describe, expect, it } from "vitest";
import { postNotification } from "../../../durable-objects/push/post";
import { nextDelayMs, parseRetryAfter } from "../../../durable-objects/push/retry-policy";
import { loadSigningKeys } from "../../../durable-objects/signing-keys";
import { newHook, received, type HookRule } from "../../helpers/webhook";

async function attempt(rule: HookRule, options: { timeoutMs?: number; signal?: AbortSignal } = {}) {
  const hook = newHook(rule);
  await hook.ready;
  const result = await postNotification({
    url: new URL(hook.url),
    body: "{}",
    headers: { "Content-Type": "application/a2a+json" },
    signal: options.signal ?? new AbortController().signal,
    timeoutMs: options.timeoutMs,
  });
  return { result, hook };
}

describe("one delivery attempt: what counts as delivered, retried or refused", () => {
  it.each([
    [{}, { kind: "delivered", status: 200 }],
    [{ failFirst: 1, status: 503 }, { kind: "retry", reason: "HTTP 503" }],
    [{ failFirst: 1, status: 500 }, { kind: "retry", reason: "HTTP 500" }],
    [{ failFirst: 1, status: 429, retryAfter: 7 }, { kind: "retry", reason: "HTTP 429", retryAfterMs: 7000 }],
    [{ failFirst: 1, status: 408 }, { kind: "retry", reason: "HTTP 408" }],
    [{ failFirst: 1, status: 400 }, { kind: "refused", reason: "HTTP 400" }],
    [{ failFirst: 1, status: 401 }, { kind: "refused", reason: "HTTP 401" }],
    [{ failFirst: 1, status: 410 }, { kind: "refused", reason: "HTTP 410" }],
    [{ failFirst: 1, status: 307, location: "http://127.0.0.1:1/" }, { kind: "refused", reason: "HTTP 307: redirects are not followed" }],
  ] as const)("receiver rule %j → %j", async (rule, expected) => {
    const { result, hook } = await attempt(rule);
    expect(result).toEqual(expected.kind === "retry" && !("retryAfterMs" in expected) ? { ...expected, retryAfterMs: undefined } : expected);
    expect(await received(hook.path)).toHaveLength(1);
  });

  it("no answer within the timeout is a failure to retry (10 s in production)", async () => {
    const { result } = await attempt({ delayMs: 1500 }, { timeoutMs: 200 });
    expect(result).toEqual({ kind: "retry", reason: "timeout: no answer within 200 ms" });
  });

  // A real refused connection would make workerd print "Connection refused … uncaught exception … Network
  // connection lost" on stderr however the rejection is handled; this fetch fails the way workerd's does.
  it("a connection refused is a failure to retry", async () => {
    const refused = (async () => {
      throw new Error("Network connection lost.");
    }) as typeof fetch;
    const result = await postNotification({ url: new URL("http://127.0.0.1:1/hook"), body: "{}", headers: {}, signal: new AbortController().signal, fetch: refused });
    expect(result).toEqual({ kind: "retry", reason: "network: Error: Network connection lost." });
  });

  it("a stop from our side (config deleted) is neither", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const { result } = await attempt({ delayMs: 1500 }, { signal: controller.signal });
    expect(result).toEqual({ kind: "aborted" });
  });
});

describe("retry policy", () => {
  it("backs off exponentially with jitter, capped at 5 minutes, and honours a longer Retry-After up to an hour", () => {
    expect(nextDelayMs(1, undefined, () => 0.5)).toBe(1000);
    expect(nextDelayMs(4, undefined, () => 0.5)).toBe(8000);
    expect(nextDelayMs(4, undefined, () => 0)).toBe(6400);
    expect(nextDelayMs(4, undefined, () => 1)).toBe(9600);
    expect(nextDelayMs(30, undefined, () => 0.5)).toBe(300_000);
    expect(nextDelayMs(1, 2000, () => 0.5)).toBe(2000);
    expect(nextDelayMs(1, 10 * 3_600_000, () => 0.5)).toBe(3_600_000);
    expect(nextDelayMs(5, 1000, () => 0.5)).toBe(16_000);
  });

  it("reads Retry-After as seconds or an HTTP date, and ignores anything else", () => {
    expect(parseRetryAfter("120")).toBe(120_000);
    expect(parseRetryAfter(" 0 ")).toBe(0);
    const inAMinute = new Date(Date.now() + 60_000).toUTCString();
    expect(parseRetryAfter(inAMinute)).toBeGreaterThan(58_000);
    expect(parseRetryAfter(new Date(0).toUTCString())).toBe(0);
    for (const junk of [null, "", "-5", "1.5", "soon", "9999999999999"]) expect(parseRetryAfter(junk)).toBeUndefined();
  });
});

describe("SIGNING_KEYS", () => {
  it("unset or empty means no keys: notifications go unsigned", async () => {
    expect(await loadSigningKeys({})).toEqual([]);
    expect(await loadSigningKeys({ SIGNING_KEYS: " " })).toEqual([]);
  });

  it.each([
    ["not JSON", "{", /not JSON/],
    ["not an array", "{}", /SIGNING_KEYS: .*expected array/],
    ["an RSA key", JSON.stringify([{ kty: "RSA", n: "x", e: "AQAB", d: "x", kid: "r" }]), /SIGNING_KEYS: 0\.kty/],
    ["a key without kid", JSON.stringify([{ kty: "EC", crv: "P-256", x: "AA", y: "AA", d: "AA" }]), /SIGNING_KEYS: 0\.kid/],
    ["a public key only", JSON.stringify([{ kty: "EC", crv: "P-256", x: "AA", y: "AA", kid: "k" }]), /SIGNING_KEYS: 0\.d /],
    ["two keys with one kid", JSON.stringify([{ kty: "EC", crv: "P-256", x: "AA", y: "AA", d: "AA", kid: "k" }, { kty: "EC", crv: "P-256", x: "AA", y: "AA", d: "AA", kid: "k" }]), /own kid/],
  ])("a secret that is %s is refused with a clear message", async (_, raw, message) => {
    await expect(loadSigningKeys({ SIGNING_KEYS: raw })).rejects.toThrow(message);
  });
});

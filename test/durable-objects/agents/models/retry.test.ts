import { APICallError } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY, isRetryable, retryAfterMs, retryDelay, retryPolicyOf } from "../../../../durable-objects/agents/models/retry";

const apiError = (statusCode?: number, responseHeaders?: Record<string, string>, message = "x") =>
  new APICallError({ message, url: "http://model", requestBodyValues: {}, statusCode, responseHeaders });

describe("model retries", () => {
  it("reads retry-after-ms, Retry-After seconds and Retry-After dates", () => {
    const now = Date.parse("2026-12-01T10:00:00Z");
    expect(retryAfterMs({ "retry-after-ms": "1500.2", "retry-after": "30" })).toBe(1501);
    expect(retryAfterMs({ "Retry-After": "2" })).toBe(2000);
    expect(retryAfterMs({ "retry-after": "Tue, 01 Dec 2026 10:00:05 GMT" }, now)).toBe(5000);
    expect(retryAfterMs({ "retry-after": "Tue, 01 Dec 2026 09:00:00 GMT" }, now)).toBe(0);
    expect(retryAfterMs({ "retry-after": "soon" })).toBeUndefined();
    expect(retryAfterMs({ "retry-after": "" })).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });

  it("waits what the provider asks, capped, else backs off exponentially with jitter", () => {
    expect(retryDelay(apiError(429, { "retry-after": "3" }), 1, DEFAULT_RETRY)).toBe(3000);
    expect(retryDelay(apiError(429, { "retry-after": "3600" }), 1, DEFAULT_RETRY)).toBe(DEFAULT_RETRY.maxDelayMs);
    // Equal jitter: between half and all of base · 2^(attempt-1).
    expect(retryDelay(apiError(500), 1, DEFAULT_RETRY, () => 0)).toBe(250);
    expect(retryDelay(apiError(500), 1, DEFAULT_RETRY, () => 1)).toBe(500);
    expect(retryDelay(apiError(500), 3, DEFAULT_RETRY, () => 0.5)).toBe(1500);
    expect(retryDelay(apiError(500), 12, DEFAULT_RETRY, () => 1)).toBe(DEFAULT_RETRY.maxDelayMs);
    const spread = new Set(Array.from({ length: 20 }, () => retryDelay(apiError(503), 2, DEFAULT_RETRY)));
    expect(spread.size).toBeGreaterThan(1);
  });

  it("retries 429, 5xx and lost connections, not 4xx, aborts or our own bugs", () => {
    expect(isRetryable(apiError(429))).toBe(true);
    expect(isRetryable(apiError(503))).toBe(true);
    expect(isRetryable(apiError(400))).toBe(false);
    expect(isRetryable(apiError(401))).toBe(false);
    expect(isRetryable(apiError(undefined, undefined, "Cannot connect to API: refused"))).toBe(true);
    expect(isRetryable(new Error("Network connection lost."))).toBe(true);
    const lostBody = new APICallError({ message: "Failed to process successful response", url: "u", requestBodyValues: {}, statusCode: 200, cause: new Error("Network connection lost.") });
    expect(isRetryable(lostBody)).toBe(true);
    expect(isRetryable(new DOMException("aborted", "AbortError"))).toBe(false);
    expect(isRetryable(new TypeError("Cannot read properties of undefined"))).toBe(false);
  });

  it("takes MODEL_RETRIES when it is a small whole number", () => {
    expect(retryPolicyOf({}).retries).toBe(3);
    expect(retryPolicyOf({ MODEL_RETRIES: "0" }).retries).toBe(0);
    expect(retryPolicyOf({ MODEL_RETRIES: "5" }).retries).toBe(5);
    expect(retryPolicyOf({ MODEL_RETRIES: "lots" }).retries).toBe(3);
    expect(retryPolicyOf({ MODEL_RETRIES: "1000" }).retries).toBe(3);
  });
});

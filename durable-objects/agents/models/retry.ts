import { APICallError } from "@ai-sdk/provider";

/** How a provider call that failed before its stream began is tried again. */
export interface RetryPolicy {
  /** Retries after the first attempt (`MODEL_RETRIES`, default 3). */
  retries: number;
  baseDelayMs: number;
  /** No single wait is longer, whatever Retry-After asks: a run has a wall-time limit to keep. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 500, maxDelayMs: 10_000 };

export function retryPolicyOf(env: { MODEL_RETRIES?: string }): RetryPolicy {
  const retries = Number(env.MODEL_RETRIES);
  return Number.isInteger(retries) && retries >= 0 && retries <= 10 ? { ...DEFAULT_RETRY, retries } : DEFAULT_RETRY;
}

// workerd rejects a fetch whose connection failed with a plain Error or TypeError, not an APICallError.
const NETWORK = /network|connect|socket|reset|refused|closed|timed? ?out|dns|unreachable|fetch failed/i;

/** 429, 408, 409, 5xx and connection failures: worth another attempt if nothing has streamed yet. */
export function isRetryable(error: unknown): boolean {
  if (APICallError.isInstance(error)) {
    if (error.isRetryable) return true;
    // A connection lost while reading a 200's body surfaces as "Failed to process successful response".
    const lost = (error.statusCode ?? 200) < 300;
    return lost && (NETWORK.test(error.message) || (error.cause instanceof Error && NETWORK.test(error.cause.message)));
  }
  if (isAbort(error)) return false;
  return error instanceof Error && NETWORK.test(error.message);
}

export function isAbort(error: unknown): boolean {
  const name = typeof error === "object" && error !== null && "name" in error ? error.name : undefined;
  return name === "AbortError" || name === "TimeoutError" || name === "ResponseAborted";
}

/**
 * The wait before retry number `attempt` (1-based): what Retry-After / retry-after-ms asks for when the provider
 * says so, else exponential backoff with equal jitter (half fixed, half random, so clients that failed together
 * do not retry together). Either way capped at `maxDelayMs`.
 */
export function retryDelay(error: unknown, attempt: number, policy: RetryPolicy, random = Math.random): number {
  const asked = retryAfterMs(APICallError.isInstance(error) ? error.responseHeaders : undefined);
  if (asked !== undefined) return Math.min(asked, policy.maxDelayMs);
  const ceiling = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** `retry-after-ms` (OpenAI, Azure) wins over `retry-after` (seconds, or an HTTP date). */
export function retryAfterMs(headers: Record<string, string> | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  const ms = Number.parseFloat(lower["retry-after-ms"] ?? "");
  if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms);
  const value = lower["retry-after"];
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (value.trim() !== "" && Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

import { z } from "zod";
import { retryDelayMs } from "../retry";

/** How long one event is retried before the config is parked: a receiver down for a day is gone. */
export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
/** A receiver's Retry-After is honoured up to this; longer asks would stall the outbox behind it. */
const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

/** The wait before the next attempt: the platform's backoff (1 s doubling to 5 min, ±20%), or longer if asked. */
export function nextDelayMs(attempts: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  return Math.max(retryDelayMs(attempts, random), Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
}

/** RFC 9110 §10.2.3: delay-seconds or an HTTP-date. Anything else is ignored, as if absent. */
const RetryAfterSchema = z.union([
  z.string().regex(/^\d{1,9}$/).transform((seconds) => Number(seconds) * 1000),
  z
    .string()
    .regex(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/, "an IMF-fixdate")
    .transform((date) => Date.parse(date))
    .pipe(z.number().finite())
    .transform((at) => Math.max(0, at - Date.now())),
]);

export function parseRetryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const parsed = RetryAfterSchema.safeParse(header.trim());
  return parsed.success ? parsed.data : undefined;
}

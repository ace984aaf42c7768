/** Exponential backoff with ±20% jitter: 1 s, 2 s, 4 s … capped at 5 minutes, forever (writes are never dropped). */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(1000 * 2 ** Math.max(0, attempt - 1), 5 * 60 * 1000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

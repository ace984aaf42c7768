import type { Example } from "./dataset";

export interface Scored extends Example {
  predicted: string;
}

export interface Metrics {
  n: number;
  accuracy: number;
  /** Of the out-of-scope examples, the share classified none. */
  oosRecall: number;
  /** Of the examples classified none, the share that were out of scope. */
  oosPrecision: number;
  inScopeAccuracy: number;
  shiftAccuracy: number;
  followUpAccuracy: number;
}

const share = (hits: number, of: number) => (of === 0 ? NaN : hits / of);

export function metrics(rows: readonly Scored[]): Metrics {
  const ok = (r: Scored) => r.predicted === r.expected;
  const oos = rows.filter((r) => r.expected === "none");
  const saidNone = rows.filter((r) => r.predicted === "none");
  const inScope = rows.filter((r) => r.expected !== "none");
  const shifts = rows.filter((r) => r.kind === "shift");
  const followUps = rows.filter((r) => r.kind === "follow-up");
  return {
    n: rows.length,
    accuracy: share(rows.filter(ok).length, rows.length),
    oosRecall: share(oos.filter(ok).length, oos.length),
    oosPrecision: share(saidNone.filter((r) => r.expected === "none").length, saidNone.length),
    inScopeAccuracy: share(inScope.filter(ok).length, inScope.length),
    shiftAccuracy: share(shifts.filter(ok).length, shifts.length),
    followUpAccuracy: share(followUps.filter(ok).length, followUps.length),
  };
}

export const pct = (x: number) => (Number.isNaN(x) ? "-" : `${(x * 100).toFixed(1)} %`);

import { DurableObject } from "cloudflare:workers";
import type { HealthState } from "./entry";

export interface Candidate {
  cardUrl: string;
  state: HealthState;
}

/**
 * The choice, pure: among replicas that are not unhealthy and not excluded (tried already in this call), the one
 * with the fewest calls outstanding; a tie goes round-robin by `turn`. Null when none is left.
 *
 * Why fewest-outstanding and not latency-weighted: a child task runs for seconds to minutes, so the calls a
 * replica is already carrying say far more about its load than a probe's card-fetch latency, which measures a
 * static document and, over a handful of samples, mostly noise. Latency is recorded (and shown) but not used.
 */
export function pickReplica(candidates: Candidate[], outstanding: ReadonlyMap<string, number>, exclude: readonly string[], turn: number): string | null {
  const open = candidates.filter((c) => c.state !== "unhealthy" && !exclude.includes(c.cardUrl));
  if (open.length === 0) return null;
  const load = (c: Candidate) => outstanding.get(c.cardUrl) ?? 0;
  const least = Math.min(...open.map(load));
  const tied = open.filter((c) => load(c) === least);
  return tied[turn % tied.length]!.cardUrl;
}

/**
 * One object per registered agent (`idFromName(agentId)`): the outstanding calls of its replicas, across every
 * Worker and task object that calls it. Counts live in memory only: an evicted balancer starts from zero, which
 * errs towards spreading load, and a release after that is clamped at zero.
 */
export class AgentBalancer extends DurableObject<Env> {
  private readonly outstanding = new Map<string, number>();
  private turn = 0;

  /** Picks a replica and counts the call against it; null when every candidate is unhealthy or excluded. */
  acquire(candidates: Candidate[], exclude: string[]): string | null {
    const chosen = pickReplica(candidates, this.outstanding, exclude, this.turn++);
    if (chosen) this.outstanding.set(chosen, (this.outstanding.get(chosen) ?? 0) + 1);
    return chosen;
  }

  /** Counts a call that must go to one replica (a follow-up to a task that lives there), healthy or not. */
  hold(cardUrl: string): void {
    this.outstanding.set(cardUrl, (this.outstanding.get(cardUrl) ?? 0) + 1);
  }

  release(cardUrl: string): void {
    const left = (this.outstanding.get(cardUrl) ?? 0) - 1;
    if (left > 0) this.outstanding.set(cardUrl, left);
    else this.outstanding.delete(cardUrl);
  }

  /** For tests and the admin API: the counts as they stand. */
  counts(): Record<string, number> {
    return Object.fromEntries(this.outstanding);
  }
}

export const balancerOf = (env: Env, agentId: string) => env.AGENT_BALANCER.get(env.AGENT_BALANCER.idFromName(agentId));

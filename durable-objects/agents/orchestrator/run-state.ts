import type { Task } from "../../../schema/a2a";
import type { Spent } from "./limits";

/** One entry of the visible run state: a model call, a tool call, or the intent classification. */
export interface StepRecord {
  turn: string;
  step: number;
  kind: "model" | "tool" | "intent";
  /** The tool's name (kind "tool"). */
  name?: string;
  durationMs: number;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
  isError?: boolean;
}

/**
 * `task.metadata.orchestration`: what a client (the console's inspector) and a restarted run read back.
 * `pending` is a side-effecting tool call that started and has not finished: after a restart it is re-run only
 * by a tool that honours its idempotency key.
 */
export interface Orchestration {
  model: string;
  role: string;
  skill: string | null;
  intent?: { skill: string; shift: boolean; confidence: number; source: "model" | "offline" };
  turn: { id: string; startedAt: number };
  steps: StepRecord[];
  usage: { inputTokens: number; outputTokens: number; costUsd: number; byLevel?: Record<string, number> };
  stopReason: string | null;
  pending?: { step: number; callId: string; name: string; key: string; startedAt: number };
}

export const orchestrationOf = (task: Task | undefined): Orchestration | undefined =>
  (task?.metadata as { orchestration?: Orchestration } | undefined)?.orchestration;

/** The state a run starts from: the task's, carried on when the run is the same turn (a resume). */
export function startTurn(previous: Orchestration | undefined, turn: string, base: { model: string; role: string }, now = Date.now()): Orchestration {
  if (previous && previous.turn.id === turn) return { ...previous, model: base.model, stopReason: null };
  return {
    model: base.model,
    role: base.role,
    skill: previous?.skill ?? null,
    turn: { id: turn, startedAt: now },
    steps: previous?.steps ?? [],
    usage: previous?.usage ?? { inputTokens: 0, outputTokens: 0, costUsd: 0 },
    stopReason: null,
  };
}

/** What the current turn has used, for the limits. */
export function spentIn(state: Orchestration): Spent {
  const spent: Spent = { steps: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, startedAt: state.turn.startedAt };
  for (const record of state.steps) {
    if (record.turn !== state.turn.id) continue;
    if (record.kind === "model") spent.steps += 1;
    spent.inputTokens += record.inputTokens ?? 0;
    spent.outputTokens += record.outputTokens ?? 0;
    spent.costUsd += record.costUsd ?? 0;
  }
  return spent;
}

/** The state after one more step, with the task's totals kept in step. */
export function withStep(state: Orchestration, record: StepRecord): Orchestration {
  const usage = {
    ...state.usage,
    inputTokens: state.usage.inputTokens + (record.inputTokens ?? 0),
    outputTokens: state.usage.outputTokens + (record.outputTokens ?? 0),
    costUsd: round(state.usage.costUsd + (record.costUsd ?? 0)),
  };
  return { ...state, steps: [...state.steps, record], usage };
}

const round = (usd: number) => Math.round(usd * 1e8) / 1e8;

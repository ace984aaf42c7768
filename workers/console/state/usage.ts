import type { Task } from "../a2a/types";

/** One step of an orchestrated run, as `task.metadata.orchestration.steps` records it. */
export interface StepUsage {
  turn?: string;
  step?: number;
  kind?: string;
  name?: string;
  durationMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
  isError?: boolean;
}

export interface RunUsage {
  model?: string;
  role?: string;
  skill?: string | null;
  intent?: { skill?: string; confidence?: number; source?: string };
  stopReason?: string | null;
  steps: StepUsage[];
  totals: { inputTokens: number; outputTokens: number; costUsd: number };
  byLevel?: Record<string, number>;
}

const number = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : undefined);

/** Token usage and cost per step from `task.metadata.orchestration` (this platform's orchestrator), if any. */
export function usageOf(task: Task): RunUsage | undefined {
  const run = (task.metadata as { orchestration?: Record<string, any> } | undefined)?.orchestration;
  if (!run || typeof run !== "object") return undefined;
  const steps: StepUsage[] = Array.isArray(run.steps) ? run.steps.filter((step: unknown) => step && typeof step === "object") : [];
  const sum = (key: "inputTokens" | "outputTokens" | "costUsd") => steps.reduce((total, step) => total + (number(step[key]) ?? 0), 0);
  const usage = run.usage ?? {};
  return {
    model: run.model,
    role: run.role,
    skill: run.skill,
    intent: run.intent,
    stopReason: run.stopReason,
    steps,
    totals: {
      inputTokens: number(usage.inputTokens) ?? sum("inputTokens"),
      outputTokens: number(usage.outputTokens) ?? sum("outputTokens"),
      costUsd: number(usage.costUsd) ?? sum("costUsd"),
    },
    ...(usage.byLevel && typeof usage.byLevel === "object" ? { byLevel: usage.byLevel } : {}),
  };
}

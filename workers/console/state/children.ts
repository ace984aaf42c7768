import type { Task } from "../a2a/types";

/** A task this one started or refers to, as far as the task says. */
export interface ChildTask {
  id: string;
  agent?: string;
  state?: string;
  via: string;
}

const MAX_DEPTH = 5;

/**
 * Child tasks named anywhere in a task: `referenceTaskIds` on its messages (the spec's field), and in metadata or
 * data parts any object with `childTaskId` (with `agent`/`state` beside it), a `childTasks` list of
 * `{ id | taskId, agent?, state? }`, or a `delegation` of `{ agentId, taskId, state? }` (this platform's
 * orchestrator marks each child event so; the last one read gives the state). Agents differ; this reads the common
 * shapes without knowing the agent.
 */
export function childTasksOf(task: Task): ChildTask[] {
  const found = new Map<string, ChildTask>();
  const add = (child: ChildTask) => found.set(child.id, { ...found.get(child.id), ...child });
  const visit = (value: unknown, via: string, depth: number) => {
    if (!value || typeof value !== "object" || depth > MAX_DEPTH) return;
    if (Array.isArray(value)) return value.forEach((item) => visit(item, via, depth + 1));
    const record = value as Record<string, unknown>;
    if (typeof record.childTaskId === "string") {
      add({ id: record.childTaskId, via, ...(typeof record.agent === "string" ? { agent: record.agent } : {}), ...(typeof record.state === "string" ? { state: record.state } : {}) });
    }
    const delegation = record.delegation as Record<string, unknown> | undefined;
    if (delegation && typeof delegation === "object" && typeof delegation.taskId === "string") {
      add({ id: delegation.taskId, via, ...(typeof delegation.agentId === "string" ? { agent: delegation.agentId } : {}), ...(typeof delegation.state === "string" ? { state: delegation.state } : {}) });
    }
    if (Array.isArray(record.childTasks)) {
      for (const item of record.childTasks as Record<string, unknown>[]) {
        const id = typeof item?.id === "string" ? item.id : typeof item?.taskId === "string" ? item.taskId : undefined;
        if (id) add({ id, via, ...(typeof item.agent === "string" ? { agent: item.agent } : {}), ...(typeof item.state === "string" ? { state: item.state } : {}) });
      }
    }
    for (const [key, item] of Object.entries(record)) if (key !== "childTasks") visit(item, via, depth + 1);
  };
  visit(task.metadata, "task metadata", 0);
  for (const message of task.history ?? []) {
    for (const id of message.referenceTaskIds ?? []) if (id !== task.id) add({ id, via: "referenceTaskIds" });
    visit(message.metadata, "message metadata", 0);
    for (const part of message.parts) if (part.data !== undefined) visit(part.data, "data part", 0);
  }
  for (const artifact of task.artifacts ?? []) visit(artifact.metadata, "artifact metadata", 0);
  return [...found.values()];
}

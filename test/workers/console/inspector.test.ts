import { describe, expect, it } from "vitest";
import type { Task } from "../../../schema/a2a";
import { childTasksOf } from "../../../workers/console/state/children";
import { usageOf } from "../../../workers/console/state/usage";

const task = (overrides: Partial<Task>): Task => ({ id: "t-1", contextId: "c-1", status: { state: "TASK_STATE_COMPLETED" }, ...overrides });

describe("console inspector: what it reads out of a task", () => {
  it("child tasks: referenceTaskIds, childTaskId beside agent and state, and childTasks lists, wherever they sit", () => {
    const children = childTasksOf(
      task({
        metadata: { orchestration: { delegations: [{ childTaskId: "t-2", agent: "crm", state: "TASK_STATE_WORKING" }] } },
        history: [
          { messageId: "m-1", role: "ROLE_USER", parts: [{ text: "see t-3" }], referenceTaskIds: ["t-3", "t-1"] },
          { messageId: "m-2", role: "ROLE_AGENT", parts: [{ data: { childTasks: [{ taskId: "t-4", agent: "search" }] } }] },
        ],
      }),
    );
    expect(children).toEqual([
      { id: "t-2", via: "task metadata", agent: "crm", state: "TASK_STATE_WORKING" },
      { id: "t-3", via: "referenceTaskIds" },
      { id: "t-4", via: "data part", agent: "search" },
    ]);
    expect(childTasksOf(task({}))).toEqual([]);
  });

  it("child tasks: the orchestrator's delegation marks on child events, the latest state winning", () => {
    const mark = (taskId: string, state: string) => ({ delegation: { agentId: "recruiting-crm", taskId, contextId: "c-9", state } });
    const children = childTasksOf(
      task({
        history: [
          { messageId: "m-1", role: "ROLE_AGENT", parts: [{ text: "recruiting-crm: submitted" }], metadata: mark("t-7", "TASK_STATE_SUBMITTED") },
          { messageId: "m-2", role: "ROLE_AGENT", parts: [{ text: "done" }], metadata: mark("t-7", "TASK_STATE_COMPLETED") },
        ],
        artifacts: [{ artifactId: "t-8/result", parts: [{ data: {} }], metadata: mark("t-8", "TASK_STATE_WORKING") }],
      }),
    );
    expect(children).toEqual([
      { id: "t-7", via: "message metadata", agent: "recruiting-crm", state: "TASK_STATE_COMPLETED" },
      { id: "t-8", via: "artifact metadata", agent: "recruiting-crm", state: "TASK_STATE_WORKING" },
    ]);
  });

  it("usage per step and in total from metadata.orchestration; nothing for an agent that reports none", () => {
    const usage = usageOf(
      task({
        metadata: {
          orchestration: {
            model: "openai-compatible:scripted",
            role: "recruiter",
            steps: [
              { turn: "u", step: 1, kind: "model", inputTokens: 100, outputTokens: 20, costUsd: 0.0001 },
              { turn: "u", step: 1, kind: "tool", name: "ui_table", durationMs: 3 },
            ],
            usage: { inputTokens: 100, outputTokens: 20, costUsd: 0.0001, byLevel: { catalog: 40 } },
          },
        },
      }),
    );
    expect(usage).toMatchObject({ model: "openai-compatible:scripted", role: "recruiter", totals: { inputTokens: 100, outputTokens: 20, costUsd: 0.0001 }, byLevel: { catalog: 40 } });
    expect(usage?.steps.map((step) => step.kind)).toEqual(["model", "tool"]);
    expect(usageOf(task({ metadata: { other: 1 } }))).toBeUndefined();
  });
});

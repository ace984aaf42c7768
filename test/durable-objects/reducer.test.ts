import { describe, expect, it } from "vitest";
import { apply, canTransition, toStreamResponse, TransitionError, viewTask } from "../../durable-objects/reducer";
import { TASK_STATES, type Task, type TaskState } from "../../schema/a2a";

function makeTask(state: TaskState = "TASK_STATE_WORKING", overrides: Partial<Task> = {}): Task {
  return { id: "t1", contextId: "c1", status: { state }, ...overrides };
}

const TERMINAL: TaskState[] = ["TASK_STATE_COMPLETED", "TASK_STATE_FAILED", "TASK_STATE_CANCELED", "TASK_STATE_REJECTED"];

describe("task state machine (REFERENCE §4)", () => {
  it.each(TERMINAL)("%s is final: no transition leaves it", (from) => {
    for (const to of TASK_STATES) expect(canTransition(from, to)).toBe(false);
  });

  it.each(["TASK_STATE_INPUT_REQUIRED", "TASK_STATE_AUTH_REQUIRED"] as const)("%s resumes to WORKING or ends", (from) => {
    expect(canTransition(from, "TASK_STATE_WORKING")).toBe(true);
    for (const to of TERMINAL) expect(canTransition(from, to)).toBe(true);
    expect(canTransition(from, "TASK_STATE_SUBMITTED")).toBe(false);
    expect(canTransition(from, "TASK_STATE_INPUT_REQUIRED")).toBe(false);
  });

  it("active states may go anywhere but back to SUBMITTED", () => {
    for (const from of ["TASK_STATE_SUBMITTED", "TASK_STATE_WORKING"] as const) {
      for (const to of TASK_STATES) expect(canTransition(from, to)).toBe(to !== "TASK_STATE_SUBMITTED");
    }
  });

  it("apply refuses an illegal transition and leaves the input untouched", () => {
    const task = makeTask("TASK_STATE_COMPLETED");
    expect(() => apply(task, { kind: "status", status: { state: "TASK_STATE_WORKING" } })).toThrow(TransitionError);
    expect(() => apply(task, { kind: "artifact", artifact: { artifactId: "a", parts: [{ text: "x" }] } })).toThrow(TransitionError);
    expect(task.status.state).toBe("TASK_STATE_COMPLETED");
  });

  it("a status message joins the history once", () => {
    const message = { messageId: "m1", role: "ROLE_AGENT" as const, parts: [{ text: "hi" }] };
    const once = apply(makeTask(), { kind: "status", status: { state: "TASK_STATE_WORKING", message } });
    const twice = apply(once, { kind: "status", status: { state: "TASK_STATE_COMPLETED", message } });
    expect(twice.history).toEqual([message]);
  });
});

describe("artifact chunks (append / lastChunk)", () => {
  it("a closing chunk with only an empty text part marks the end and stores nothing", () => {
    let task = apply(makeTask(), { kind: "artifact", artifact: { artifactId: "a", parts: [{ text: "all of it" }] } });
    task = apply(task, { kind: "artifact", artifact: { artifactId: "a", parts: [{ text: "" }] }, append: true, lastChunk: true });
    expect(task.artifacts).toEqual([{ artifactId: "a", parts: [{ text: "all of it" }] }]);
  });

  it("metadata events merge into the task's own metadata and are not stream events", () => {
    let task = apply(makeTask(undefined, { metadata: { keep: 1 } }), { kind: "metadata", metadata: { orchestration: { steps: 1 } } });
    task = apply(task, { kind: "metadata", metadata: { orchestration: { steps: 2 } } });
    expect(task.metadata).toEqual({ keep: 1, orchestration: { steps: 2 } });
    expect(toStreamResponse(task, { kind: "metadata", metadata: {} })).toBeUndefined();
  });

  it("append adds parts to the artifact with the same id; without append it is replaced", () => {
    let task = makeTask();
    task = apply(task, { kind: "artifact", artifact: { artifactId: "a", parts: [{ text: "chunk-1 " }] } });
    task = apply(task, { kind: "artifact", artifact: { artifactId: "a", parts: [{ text: "chunk-2" }] }, append: true, lastChunk: true });
    expect(task.artifacts).toEqual([{ artifactId: "a", parts: [{ text: "chunk-1 " }, { text: "chunk-2" }] }]);
    task = apply(task, { kind: "artifact", artifact: { artifactId: "a", parts: [{ text: "fresh" }] } });
    expect(task.artifacts).toEqual([{ artifactId: "a", parts: [{ text: "fresh" }] }]);
  });

  it("keeps artifacts in the order they first appeared", () => {
    let task = makeTask();
    for (const id of ["x", "y", "x"]) task = apply(task, { kind: "artifact", artifact: { artifactId: id, parts: [{ text: id }] }, append: true });
    expect(task.artifacts!.map((a) => a.artifactId)).toEqual(["x", "y"]);
  });
});

describe("viewTask (historyLength, includeArtifacts)", () => {
  const history = [1, 2, 3].map((n) => ({ messageId: `m${n}`, role: "ROLE_USER" as const, parts: [{ text: String(n) }] }));
  const task = makeTask("TASK_STATE_COMPLETED", { history, artifacts: [{ artifactId: "a", parts: [{ text: "x" }] }] });

  it("unset keeps all, 0 omits the key, n keeps the n most recent in order", () => {
    expect(viewTask(task).history).toHaveLength(3);
    expect(viewTask(task, { historyLength: 0 })).not.toHaveProperty("history");
    expect(viewTask(task, { historyLength: 2 }).history!.map((m) => m.messageId)).toEqual(["m2", "m3"]);
  });

  it("includeArtifacts false omits the key entirely", () => {
    expect(viewTask(task, { includeArtifacts: false })).not.toHaveProperty("artifacts");
    expect(viewTask(task).artifacts).toHaveLength(1);
  });
});

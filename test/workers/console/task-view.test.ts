import { describe, expect, it } from "vitest";
import type { Message, Task } from "../../../schema/a2a";
import { readSse, type SseEvent } from "../../../workers/console/a2a/sse";
import { applyEvent, newTaskView } from "../../../workers/console/state/task-view";

const task = (overrides: Partial<Task> = {}): Task => ({ id: "t-1", contextId: "c-1", status: { state: "TASK_STATE_WORKING" }, ...overrides });
const agentSays = (id: string, text: string): Message => ({ messageId: id, role: "ROLE_AGENT", parts: [{ text }] });
const chunk = (text: string, append: boolean) => ({ artifactUpdate: { taskId: "t-1", contextId: "c-1", artifact: { artifactId: "a-1", parts: [{ text }] }, append } });

describe("console: the task view a stream builds", () => {
  it("appends artifact chunks in order, replaces without append, and keeps the order things arrived in", () => {
    const view = newTaskView(task());
    applyEvent(view, { task: task({ history: [{ messageId: "u-1", role: "ROLE_USER", parts: [{ text: "hi" }] }] }) }, 1);
    applyEvent(view, chunk("one ", false), 2);
    applyEvent(view, chunk("two", true), 3);
    applyEvent(view, { statusUpdate: { taskId: "t-1", contextId: "c-1", status: { state: "TASK_STATE_COMPLETED", message: agentSays("m-1", "done") } } }, 4);
    expect(view.task.artifacts?.[0]?.parts.map((p) => p.text)).toEqual(["one ", "two"]);
    expect(view.entries).toEqual([
      { kind: "message", id: "u-1" },
      { kind: "artifact", id: "a-1" },
      { kind: "message", id: "m-1" },
    ]);
    expect(view.timeline.map((entry) => entry.state)).toEqual(["TASK_STATE_WORKING", "TASK_STATE_COMPLETED"]);
    expect(view.lastEventId).toBe(4);
    applyEvent(view, chunk("fresh", false));
    expect(view.task.artifacts?.[0]?.parts.map((p) => p.text)).toEqual(["fresh"]);
  });

  it("a snapshot after a resumed stream replaces what it holds: no chunk twice, and new messages land in history order", () => {
    const view = newTaskView(task());
    applyEvent(view, { task: task({ history: [agentSays("m-1", "asking")] }) });
    applyEvent(view, chunk("one ", false));
    const snapshot = task({
      history: [agentSays("m-1", "asking"), { messageId: "u-2", role: "ROLE_USER", parts: [{ text: "answer" }] }, agentSays("m-3", "thanks")],
      artifacts: [{ artifactId: "a-1", parts: [{ text: "one " }, { text: "two" }] }],
    });
    applyEvent(view, { task: snapshot });
    expect(view.task.artifacts?.[0]?.parts.map((p) => p.text)).toEqual(["one ", "two"]);
    expect(view.entries.map((entry) => entry.id)).toEqual(["m-1", "u-2", "m-3", "a-1"]);
  });
});

describe("console: the SSE reader", () => {
  it.each([1, 2, 5, 1000])("joins data lines, keeps ids, skips comments, with the bytes split every %i", async (size) => {
    const text = ': keep-alive\n\nid: 7\ndata: {"a":\ndata: 1}\n\r\nid: 8\r\ndata: two\r\n\r\ndata: three\r\rdata: four\n\ndata: x\r\ndata: y\r\n\r\n';
    const bytes = new TextEncoder().encode(text);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += size) controller.enqueue(bytes.slice(i, i + size));
        controller.close();
      },
    });
    const events: SseEvent[] = [];
    await readSse(body, (event) => events.push(event));
    expect(events).toEqual([
      { id: "7", data: '{"a":\n1}' },
      { id: "8", data: "two" },
      { id: "8", data: "three" },
      { id: "8", data: "four" },
      { id: "8", data: "x\ny" },
    ]);
  });
});

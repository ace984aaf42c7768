import { describe, expect, it } from "vitest";
import type { Message, Part } from "../../../schema/a2a";
import { modelStepParts, noted, readConversation, toolResultParts, type StepNote } from "../../../durable-objects/agents/orchestrator/transcript";

let n = 0;
const user = (text: string, id = `u${++n}`): Message => ({ messageId: id, role: "ROLE_USER", parts: [{ text }] });
const agent = (parts: Part[], note?: StepNote): Message => ({
  messageId: `a${++n}`,
  role: "ROLE_AGENT",
  parts,
  ...(note ? { metadata: noted(note) } : {}),
});
const call = (id: string, name: string, input: unknown) => ({ id, name, input });

describe("reading a run back from the task's messages (the durable transcript)", () => {
  it("turns user text, tool calls and their results into the model's messages, in order", () => {
    const history = [
      user("find candidates", "u-1"),
      agent(modelStepParts("Looking.", [call("c1", "search", { q: "rust" })]), { kind: "model", turn: "u-1", step: 1 }),
      agent(toolResultParts({ id: "c1", name: "search", value: { hits: 2 } }), { kind: "tool-result", turn: "u-1", step: 1, callId: "c1" }),
      agent([{ text: "Two candidates." }], { kind: "answer", turn: "u-1", step: 2 }),
    ];
    const { messages, open } = readConversation(history);
    expect(messages).toEqual([
      { role: "user", content: "find candidates" },
      { role: "assistant", content: [{ type: "text", text: "Looking." }, { type: "tool-call", toolCallId: "c1", toolName: "search", input: { q: "rust" } }] },
      { role: "tool", content: [{ type: "tool-result", toolCallId: "c1", toolName: "search", output: { type: "json", value: { hits: 2 } } }] },
      { role: "assistant", content: "Two candidates." },
    ]);
    expect(open).toMatchObject({ step: 1, calls: [] });
  });

  it("a model step whose calls have no result yet is open work, with the step it belongs to", () => {
    const history = [
      user("book it", "u-1"),
      agent(modelStepParts("", [call("c1", "book", { at: 9 }), call("c2", "notify", {})]), { kind: "model", turn: "u-1", step: 3 }),
      agent(toolResultParts({ id: "c1", name: "book", value: "ok" }), { kind: "tool-result", turn: "u-1", step: 3, callId: "c1" }),
    ];
    const { open, messages } = readConversation(history);
    expect(open.calls).toEqual([{ id: "c2", name: "notify", args: {}, step: 3 }]);
    // The open call keeps no invented result: the run will execute it.
    expect(messages.filter((m) => m.role === "tool")).toHaveLength(1);
  });

  it("a question to the user is suspended work; the answer it consumed is not a user message to the model", () => {
    const asked = [
      user("schedule an interview", "u-1"),
      agent(modelStepParts("", [call("c1", "ask_user", { question: "Which day?" })]), { kind: "model", turn: "u-1", step: 1 }),
      agent([{ text: "Which day?" }], { kind: "input-required", turn: "u-1", step: 1, callId: "c1", name: "ask_user", state: { s: 1 } }),
    ];
    expect(readConversation(asked).open.suspended).toEqual({ callId: "c1", name: "ask_user", step: 1, state: { s: 1 }, askedIn: asked[2]!.messageId });
    const answered = [
      ...asked,
      user("Tuesday", "u-2"),
      agent(toolResultParts({ id: "c1", name: "ask_user", value: { answer: "Tuesday" } }), { kind: "tool-result", turn: "u-2", step: 1, callId: "c1", answer: "u-2" }),
    ];
    const { messages, open } = readConversation(answered);
    expect(open.suspended).toBeUndefined();
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant", "tool"]);
  });

  it("calls a canceled run never finished are closed with a result saying so (providers refuse a call without one)", () => {
    const history = [
      user("first", "u-1"),
      agent(modelStepParts("", [call("c1", "slow", {})]), { kind: "model", turn: "u-1", step: 1 }),
      user("second", "u-2"),
    ];
    const { messages, open } = readConversation(history);
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant", "tool", "user"]);
    expect(messages[2]).toMatchObject({ content: [{ toolCallId: "c1", output: { type: "error-text" } }] });
    expect(open.calls).toEqual([{ id: "c1", name: "slow", args: {}, step: 1 }]);
  });

  it("tool events and stop notes are not shown to the model; plain agent text is", () => {
    const history = [
      user("hi", "u-1"),
      agent([{ data: { surface: 1 } }], { kind: "tool-event", turn: "u-1", step: 1, callId: "c1" }),
      agent([{ text: "Stopped: limit." }], { kind: "stop", turn: "u-1", reason: "limit:MAX_STEPS" }),
      agent([{ text: "An earlier agent's reply." }]),
    ];
    expect(readConversation(history).messages).toEqual([
      { role: "user", content: "hi" },
      { role: "assistant", content: "An earlier agent's reply." },
    ]);
  });

  it("arguments that were not JSON are kept as the model wrote them, flagged", () => {
    const parts = modelStepParts("", [{ id: "c1", name: "search", input: undefined, inputError: "{oops" }]);
    expect(parts).toEqual([{ data: { toolCall: { id: "c1", name: "search", args: { invalidJson: "{oops" } } }, mediaType: "application/json" }]);
  });
});

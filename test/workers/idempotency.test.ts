import { describe, expect, it } from "vitest";
import { makeMessage, reasonOf, rest, rpc } from "../helpers/a2a";

async function send(message: object, headers: Record<string, string> = {}) {
  return (await rpc("SendMessage", { message }, headers)).body;
}

function expectConflict(body: { error?: { code: number; message: string; data: any[] } }) {
  expect(body.error?.code).toBe(-32602);
  expect(reasonOf(body.error?.data)).toBe("INVALID_PARAMS");
  expect(body.error?.data.find((d) => d["@type"] === "type.googleapis.com/google.rpc.BadRequest")?.fieldViolations).toEqual([
    { field: "message.messageId", description: expect.stringContaining("already used for a different message") },
  ]);
}

describe("a re-sent messageId: a retry gets the task it made, a different message is refused (docs/tasks.md)", () => {
  it("a true retry returns the existing task and adds nothing, even with its fields in another order", async () => {
    const message = makeMessage({ metadata: { a: 1, b: [1, 2] }, contextId: `ctx-${crypto.randomUUID()}` });
    const first = await send(message);
    const reordered = { metadata: { b: [1, 2], a: 1 }, parts: message.parts, role: message.role, contextId: message.contextId, messageId: message.messageId };
    const again = await send(reordered);
    expect(again.result.task.id).toBe(first.result.task.id);
    expect(again.result.task.history).toHaveLength(2);
  });

  it("a retry that names the contextId the server chose is still the same message", async () => {
    const message = makeMessage();
    const first = await send(message);
    expect((await send({ ...message, contextId: first.result.task.contextId })).result.task.id).toBe(first.result.task.id);
  });

  it.each([
    ["other text", (m: any) => ({ ...m, parts: [{ text: "something else" }] })],
    ["another part added", (m: any) => ({ ...m, parts: [...m.parts, { text: "more" }] })],
    ["other metadata", (m: any) => ({ ...m, metadata: { changed: true } })],
    ["another contextId", (m: any) => ({ ...m, contextId: `ctx-${crypto.randomUUID()}` })],
    ["extensions added", (m: any) => ({ ...m, extensions: ["https://example.com/ext"] })],
  ])("the same messageId with %s → InvalidParams, and the task is left as it was", async (_, change) => {
    const message = makeMessage();
    const first = await send(message);
    expectConflict(await send(change(message)));
    const task = (await rpc("GetTask", { id: first.result.task.id })).body.result;
    expect(task.history).toHaveLength(2);
    expect(task.history[0].parts).toEqual(message.parts);
  });

  it("over REST too (400)", async () => {
    const message = makeMessage();
    expect((await rest("POST", "/message:send", { message })).status).toBe(200);
    const { status, body } = await rest("POST", "/message:send", { message: { ...message, parts: [{ text: "changed" }] } });
    expect(status).toBe(400);
    expect(body.error.details.find((d: any) => d.reason)?.reason).toBe("INVALID_PARAMS");
  });

  it("for a message answered with a message (no task) as well", async () => {
    const message = makeMessage({ messageId: `tck-message-response-${crypto.randomUUID()}` });
    const first = await send(message);
    expect(first.result.message).toBeDefined();
    expect((await send(message)).result.message).toEqual(first.result.message);
    expectConflict(await send({ ...message, parts: [{ text: "changed" }] }));
  });

  it("for a follow-up to a task waiting for input", async () => {
    const waiting = await send(makeMessage({ messageId: `tck-input-required-${crypto.randomUUID()}` }));
    const taskId = waiting.result.task.id;
    const followUp = makeMessage({ taskId, messageId: `tck-input-required-${crypto.randomUUID()}` }, "the input");
    const answered = await send(followUp);
    expect(answered.result.task.history).toHaveLength(4);
    expect((await send(followUp)).result.task.history).toHaveLength(4);
    expectConflict(await send({ ...followUp, parts: [{ text: "other input" }] }));
  });
});

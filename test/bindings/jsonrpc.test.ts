import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { BaseContext } from "../../workers/bindings/invoke";
import { answer } from "../../workers/bindings/jsonrpc";
import { platformConfig } from "../../workers/config";
import { JSONRPC_URL, makeMessage, ORIGIN, reasonOf, rpc, worker } from "../helpers/a2a";

async function send(message = makeMessage(), configuration?: Record<string, unknown>) {
  const { body } = await rpc("SendMessage", { message, ...(configuration ? { configuration } : {}) });
  if (body.error) throw new Error(`SendMessage failed: ${JSON.stringify(body.error)}`);
  return body.result;
}

function expectError(body: { error?: { code: number; data: any[] } }, code: number, reason: string) {
  expect(body.error?.code).toBe(code);
  expect(reasonOf(body.error?.data)).toBe(reason);
  expect(body.error?.data[0].domain).toBe("a2a-protocol.org");
}

describe("JSON-RPC SendMessage (§3.1.1)", () => {
  it("blocks until the task completes and returns it with history", async () => {
    const message = makeMessage({}, "ping");
    const { response, body, id } = await rpc("SendMessage", { message });
    expect(response.headers.get("Content-Type")).toContain("application/json");
    expect(body.id).toBe(id);
    const task = body.result.task;
    expect(task.status.state).toBe("TASK_STATE_COMPLETED");
    expect(task.status.message.parts).toEqual([{ text: "You said: ping" }]);
    expect(task.contextId).toEqual(expect.any(String));
    expect(task.history.map((m: any) => m.role)).toEqual(["ROLE_USER", "ROLE_AGENT"]);
    expect(task.history[0]).toMatchObject({ messageId: message.messageId, taskId: task.id, contextId: task.contextId });
  });

  it("accepts proto snake_case field names as ProtoJSON parsers do, leaving metadata keys alone", async () => {
    const messageId = `m-${crypto.randomUUID()}`;
    const { body } = await rpc("SendMessage", {
      message: { message_id: messageId, role: "ROLE_USER", parts: [{ text: "snake", media_type: "text/plain" }], metadata: { snake_key: 1 } },
      configuration: { history_length: 1 },
    });
    expect(body.result.task.history).toHaveLength(1);
    const full = await rpc("GetTask", { id: body.result.task.id });
    expect(full.body.result.history[0]).toMatchObject({ messageId, parts: [{ text: "snake", mediaType: "text/plain" }], metadata: { snake_key: 1 } });
  });

  it("keeps a client-supplied contextId", async () => {
    const contextId = `ctx-${crypto.randomUUID()}`;
    const result = await send(makeMessage({ contextId }));
    expect(result.task.contextId).toBe(contextId);
  });

  it("returnImmediately returns before the agent finishes", async () => {
    const message = makeMessage({ metadata: { demoDelayMs: 1500 } });
    const result = await send(message, { returnImmediately: true });
    expect(["TASK_STATE_SUBMITTED", "TASK_STATE_WORKING"]).toContain(result.task.status.state);
    const later = await rpc("GetTask", { id: result.task.id });
    expect(later.body.result.status.state).not.toBe("TASK_STATE_COMPLETED");
  });

  it("historyLength 0 omits history and 1 keeps only the latest message", async () => {
    const none = await send(makeMessage(), { historyLength: 0 });
    expect(none.task).not.toHaveProperty("history");
    const one = await send(makeMessage(), { historyLength: 1 });
    expect(one.task.history).toHaveLength(1);
    expect(one.task.history[0].role).toBe("ROLE_AGENT");
  });

  it("answers with a Message when the agent replies without a task (tck-message-response)", async () => {
    const result = await send(makeMessage({ messageId: `tck-message-response-${crypto.randomUUID()}` }));
    expect(result).not.toHaveProperty("task");
    expect(result.message).toMatchObject({ role: "ROLE_AGENT", parts: [{ text: "Direct message response" }] });
  });

  it("resumes an input-required task with a follow-up message (§4)", async () => {
    const first = await send(makeMessage({ messageId: `tck-input-required-${crypto.randomUUID()}` }));
    expect(first.task.status.state).toBe("TASK_STATE_INPUT_REQUIRED");
    const follow = makeMessage({ messageId: `tck-complete-task-${crypto.randomUUID()}`, taskId: first.task.id });
    const second = await send(follow);
    expect(second.task.id).toBe(first.task.id);
    expect(second.task.contextId).toBe(first.task.contextId);
    expect(second.task.status.state).toBe("TASK_STATE_COMPLETED");
    expect(second.task.status.message.parts[0].text).toBe("Hello from TCK");
    expect(second.task.history.map((m: any) => m.role)).toEqual(["ROLE_USER", "ROLE_AGENT", "ROLE_USER", "ROLE_AGENT"]);
  });

  it("a re-sent messageId returns the same task and adds no message", async () => {
    const message = makeMessage();
    const first = await send(message);
    const again = await send(message);
    expect(again.task.id).toBe(first.task.id);
    expect(again.task.history).toHaveLength(2);
  });

  it("a message to a terminal task → UnsupportedOperation -32004 (§4)", async () => {
    const done = await send();
    const { body } = await rpc("SendMessage", { message: makeMessage({ taskId: done.task.id }) });
    expectError(body, -32004, "UNSUPPORTED_OPERATION");
  });

  it("a message naming an unknown task → TaskNotFound -32001", async () => {
    const { body } = await rpc("SendMessage", { message: makeMessage({ taskId: crypto.randomUUID() }) });
    expectError(body, -32001, "TASK_NOT_FOUND");
  });

  it("a contextId that does not match the task's → InvalidParams -32602", async () => {
    const waiting = await send(makeMessage({ messageId: `tck-input-required-${crypto.randomUUID()}` }));
    const { body } = await rpc("SendMessage", { message: makeMessage({ taskId: waiting.task.id, contextId: "other" }) });
    expectError(body, -32602, "INVALID_PARAMS");
  });

  it("a part with an unsupported media type → ContentTypeNotSupported -32005", async () => {
    const message = makeMessage({ parts: [{ raw: "dGNr", mediaType: "application/x-unsupported-tck-type" }] });
    const { body } = await rpc("SendMessage", { message });
    expectError(body, -32005, "CONTENT_TYPE_NOT_SUPPORTED");
  });

  it("a message from ROLE_AGENT or without parts → InvalidParams with field violations", async () => {
    const agent = await rpc("SendMessage", { message: makeMessage({ role: "ROLE_AGENT" }) });
    expectError(agent.body, -32602, "INVALID_PARAMS");
    const empty = await rpc("SendMessage", { message: { ...makeMessage(), parts: [] } });
    expectError(empty.body, -32602, "INVALID_PARAMS");
    const violations = empty.body.error!.data.find((d: any) => d["@type"].endsWith("BadRequest")).fieldViolations;
    expect(violations[0].field).toBe("message.parts");
  });
});

describe("JSON-RPC GetTask and CancelTask (§3.1.3, §3.1.5)", () => {
  it("GetTask returns the task, honouring historyLength", async () => {
    const created = await send();
    const { body } = await rpc("GetTask", { id: created.task.id, historyLength: 1 });
    expect(body.result.id).toBe(created.task.id);
    expect(body.result.history).toHaveLength(1);
  });

  it("GetTask of an unknown id → TaskNotFound", async () => {
    const { body } = await rpc("GetTask", { id: crypto.randomUUID() });
    expectError(body, -32001, "TASK_NOT_FOUND");
  });

  it("GetTask with a negative historyLength → InvalidParams", async () => {
    const { body } = await rpc("GetTask", { id: "x", historyLength: -1 });
    expectError(body, -32602, "INVALID_PARAMS");
  });

  it("CancelTask cancels a working task", async () => {
    const working = await send(makeMessage({ metadata: { demoDelayMs: 10_000 } }), { returnImmediately: true });
    const { body } = await rpc("CancelTask", { id: working.task.id });
    expect(body.result.status.state).toBe("TASK_STATE_CANCELED");
    const after = await rpc("GetTask", { id: working.task.id });
    expect(after.body.result.status.state).toBe("TASK_STATE_CANCELED");
  });

  it("CancelTask of an input-required task cancels it", async () => {
    const waiting = await send(makeMessage({ messageId: `tck-input-required-${crypto.randomUUID()}` }));
    const { body } = await rpc("CancelTask", { id: waiting.task.id });
    expect(body.result.status.state).toBe("TASK_STATE_CANCELED");
  });

  it("CancelTask of a completed task → TaskNotCancelable -32002", async () => {
    const done = await send();
    const { body } = await rpc("CancelTask", { id: done.task.id });
    expectError(body, -32002, "TASK_NOT_CANCELABLE");
  });

  it("CancelTask of an unknown task → TaskNotFound", async () => {
    const { body } = await rpc("CancelTask", { id: crypto.randomUUID() });
    expectError(body, -32001, "TASK_NOT_FOUND");
  });
});

describe("JSON-RPC params come before everything else", () => {
  it("still validates params first", async () => {
    const { body } = await rpc("GetTaskPushNotificationConfig", { taskId: "t" });
    expectError(body, -32602, "INVALID_PARAMS");
  });
});

describe("JSON-RPC envelope (JSON-RPC 2.0, §8)", () => {
  const post = (body: string, headers: Record<string, string> = {}, url = JSONRPC_URL) =>
    worker(url, { method: "POST", headers: { "Content-Type": "application/json", "A2A-Version": "1.0", ...headers }, body });

  it("accepts the interface URL with a trailing slash", async () => {
    const response = await post(JSON.stringify({ jsonrpc: "2.0", id: "a", method: "SendMessage", params: { message: makeMessage() } }), {}, `${JSONRPC_URL}/`);
    const body: any = await response.json();
    expect(body.id).toBe("a");
    expect(body.result.task.status.state).toBe("TASK_STATE_COMPLETED");
  });

  it("bad JSON → -32700 with id null", async () => {
    const body: any = await (await post("{not json")).json();
    expect(body.id).toBeNull();
    expectError(body, -32700, "PARSE_ERROR");
  });

  it.each([
    ["no jsonrpc member", { id: 1, method: "GetTask", params: { id: "x" } }],
    ["wrong version", { jsonrpc: "1.0", id: 1, method: "GetTask" }],
    ["method not a string", { jsonrpc: "2.0", id: 1, method: 5 }],
    ["id an object", { jsonrpc: "2.0", id: { a: 1 }, method: "GetTask" }],
    ["a bare string", "GetTask"],
  ])("%s → -32600", async (_, request) => {
    const body: any = await (await post(JSON.stringify(request))).json();
    expectError(body, -32600, "INVALID_REQUEST");
  });

  it("unknown method → -32601, with a hint for v0.3 names", async () => {
    const unknown = await rpc("DoTheThing", {});
    expectError(unknown.body, -32601, "METHOD_NOT_FOUND");
    const legacy = await rpc("message/send", {});
    expect(legacy.body.error?.message).toContain("v0.3");
  });

  it("params that are not an object → -32602", async () => {
    const body: any = await (await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "GetTask", params: ["x"] }))).json();
    expectError(body, -32602, "INVALID_PARAMS");
  });

  it("a batch answers each call in one array; notifications get no entry", async () => {
    const batch = [
      { jsonrpc: "2.0", id: 1, method: "SendMessage", params: { message: makeMessage() } },
      { jsonrpc: "2.0", id: 2, method: "GetTask", params: { id: crypto.randomUUID() } },
      { jsonrpc: "2.0", method: "GetTask", params: { id: "notification" } },
      { jsonrpc: "2.0", id: 3, method: "SendStreamingMessage", params: { message: makeMessage() } },
    ];
    const response = await post(JSON.stringify(batch));
    const body: any[] = (await response.json()) as any[];
    expect(body.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(body[0].result.task.status.state).toBe("TASK_STATE_COMPLETED");
    expectError(body[1], -32001, "TASK_NOT_FOUND");
    expectError(body[2], -32600, "INVALID_REQUEST");
  });

  it("VersionNotSupported echoes the id of every request it answers once the body parsed (JSON-RPC 2.0 §5)", async () => {
    const headers = { "Content-Type": "application/json", "A2A-Version": "2.0" };
    const batch = await worker(JSONRPC_URL, {
      method: "POST",
      headers,
      body: JSON.stringify([
        { jsonrpc: "2.0", id: "b-1", method: "GetTask", params: { id: "x" } },
        { jsonrpc: "2.0", method: "GetTask", params: { id: "x" } },
        { jsonrpc: "2.0", id: 7, method: "ListTasks" },
      ]),
    });
    const replies: any[] = await batch.json();
    expect(replies.map((r) => r.id)).toEqual(["b-1", 7]);
    for (const reply of replies) expectError(reply, -32009, "VERSION_NOT_SUPPORTED");
    // A lone notification is never answered, whatever is wrong with it (§4.1).
    const notification = await worker(JSONRPC_URL, { method: "POST", headers, body: JSON.stringify({ jsonrpc: "2.0", method: "GetTask", params: { id: "x" } }) });
    expect(notification.status).toBe(204);
    // Nothing to echo when the body is no JSON: the version is still what is wrong, with id null.
    const unreadable: any = await (await worker(JSONRPC_URL, { method: "POST", headers, body: "{not json" })).json();
    expectError(unreadable, -32009, "VERSION_NOT_SUPPORTED");
    expect(unreadable.id).toBeNull();
  });

  it("an empty batch → -32600; a lone notification → 204", async () => {
    expectError((await (await post("[]")).json()) as any, -32600, "INVALID_REQUEST");
    const response = await post(JSON.stringify({ jsonrpc: "2.0", method: "GetTask", params: { id: "x" } }));
    expect(response.status).toBe(204);
  });

  it("A2A-Version 99.0 → VersionNotSupported -32009; 1.0.3 is served as 1.0; no header is v0.3, where SendMessage is no method (§9)", async () => {
    const unsupported = await rpc("GetTask", { id: "x" }, { "A2A-Version": "99.0" });
    expectError(unsupported.body, -32009, "VERSION_NOT_SUPPORTED");
    expect(unsupported.body.id).toBe(unsupported.id);
    const patch = await rpc("SendMessage", { message: makeMessage() }, { "A2A-Version": "1.0.3" });
    expect(patch.body.result.task).toBeDefined();
    for (const headers of [{ "Content-Type": "application/json" }, { "Content-Type": "application/json", "A2A-Version": "" }] as Record<string, string>[]) {
      const response = await worker(JSONRPC_URL, {
        method: "POST",
        headers,
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "SendMessage", params: { message: makeMessage() } }),
      });
      const body: any = await response.json();
      expectError(body, -32601, "METHOD_NOT_FOUND");
      expect(body.error.message).toContain("A2A-Version: 1.0");
    }
  });

  it("a non-JSON Content-Type → 415 with a JSON-RPC error body", async () => {
    const response = await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "GetTask", params: { id: "x" } }), { "Content-Type": "text/plain" });
    expect(response.status).toBe(415);
    expectError((await response.json()) as any, -32005, "CONTENT_TYPE_NOT_SUPPORTED");
  });

  it("GET on the endpoint → 405 with Allow: POST", async () => {
    const response = await worker(JSONRPC_URL);
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("POST");
  });
});

describe("an exception nobody meant to throw", () => {
  afterEach(() => vi.restoreAllMocks());

  it("is logged with the request id and its stack; the caller gets a generic message naming the request id", async () => {
    const logged: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: unknown) => void logged.push(String(line)));
    // No task namespace: the handler's lookup throws a TypeError, as a bug would.
    const base = { env: {} as Env, config: platformConfig(env), origin: ORIGIN, owner: "o", authenticated: true, requestId: "req-boom-1" } as BaseContext;
    const reply: any = await answer({ jsonrpc: "2.0", id: 3, method: "GetTask", params: { id: "t-1" } }, base, false);
    expect(reply).toMatchObject({ jsonrpc: "2.0", id: 3, error: { code: -32603 } });
    expect(reply.error.message).toBe("Internal error; the server log has it under request req-boom-1");
    expect(reply.error.data[0]).toMatchObject({ reason: "INTERNAL", metadata: { requestId: "req-boom-1" } });
    expect(JSON.stringify(reply)).not.toMatch(/TypeError|Cannot read|undefined/);
    const line = logged.map((l) => JSON.parse(l)).find((entry) => entry.requestId === "req-boom-1");
    expect(line).toMatchObject({ at: "jsonrpc", requestId: "req-boom-1" });
    expect(line.error).toMatch(/^TypeError: Cannot read properties of undefined[\s\S]*\n\s+at /);
  });
});

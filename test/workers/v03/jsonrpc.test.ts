import { describe, expect, it, vi } from "vitest";
import { methods } from "../../../schema/a2a";
import { toV03ErrorObject } from "../../../workers/v03/errors";
import { answerV03, V03_METHODS } from "../../../workers/v03/jsonrpc";
import { JSONRPC_URL, ORIGIN, REST_URL, reasonOf, rpc, worker } from "../../helpers/a2a";
import { readSse } from "../../helpers/sse";
import { validateWireStrict } from "../../helpers/wire-schema";
import { validateV03 } from "../../helpers/wire-schema-v03";
import { delivered, newHook } from "../../helpers/webhook";

/** A v0.3 client: v0.3 method names and shapes, and no A2A-Version header (REFERENCE §9, §10). */
let nextId = 1;
async function v03(method: string, params?: unknown, headers: Record<string, string> = {}) {
  const id = nextId++;
  const response = await post({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) }, headers);
  const body = (await response.json()) as any;
  return { response, body, id };
}
const post = (body: unknown, headers: Record<string, string> = {}, url = JSONRPC_URL) =>
  worker(url, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });

const uid = () => crypto.randomUUID();
const v03Message = (overrides: Record<string, unknown> = {}, text = "hello") => ({ kind: "message", messageId: `m-${uid()}`, role: "user", parts: [{ kind: "text", text }], ...overrides });
const tck = (prefix: string, overrides: Record<string, unknown> = {}) => v03Message({ messageId: `${prefix}-${uid()}`, ...overrides });

/** message/send that must succeed; the whole response validates as v0.3 SendMessageSuccessResponse. */
async function send(message: object, configuration?: object, headers: Record<string, string> = {}) {
  const { body, id } = await v03("message/send", { message, ...(configuration ? { configuration } : {}) }, headers);
  expect(body.error, JSON.stringify(body.error)).toBeUndefined();
  expect(validateV03("SendMessageSuccessResponse", body)).toEqual([]);
  expect(body.id).toBe(id);
  return body.result;
}

function expectV03Error(body: any, code: number, reason?: string) {
  expect(validateV03("JSONRPCErrorResponse", body)).toEqual([]);
  expect(body.error.code).toBe(code);
  if (reason) expect(reasonOf(body.error.data)).toBe(reason);
}

describe("v0.3 message/send (§10: bare Task or Message, `kind`, lowercase enums)", () => {
  it.each([
    ["tck-complete-task", "completed", undefined],
    ["tck-artifact-text", "completed", [{ kind: "text", text: "Generated text content" }]],
    ["tck-artifact-file", "completed", [{ kind: "file", file: { bytes: btoa("tck"), mimeType: "text/plain", name: "output.txt" } }]],
    ["tck-artifact-file-url", "completed", [{ kind: "file", file: { uri: "https://example.com/output.txt", mimeType: "text/plain", name: "output.txt" } }]],
    ["tck-artifact-data", "completed", [{ kind: "data", data: { key: "value", count: 42 } }]],
    ["tck-input-required", "input-required", undefined],
    ["tck-reject-task", "rejected", undefined],
  ])("%s → a Task %s", async (prefix, state, parts) => {
    const result = await send(tck(prefix));
    expect(result).toMatchObject({ kind: "task", status: { state } });
    if (parts) expect(result.artifacts[0].parts).toEqual(parts);
    expect(result.history[0]).toMatchObject({ kind: "message", role: "user", taskId: result.id, contextId: result.contextId });
  });

  it("tck-message-response → a bare Message", async () => {
    const result = await send(tck("tck-message-response"));
    expect(result).toMatchObject({ kind: "message", role: "agent", parts: [{ kind: "text", text: "Direct message response" }] });
  });

  it("A2A-Version: 0.3 (header, patch ignored, or query) is the same as no header", async () => {
    for (const headers of [{ "A2A-Version": "0.3" }, { "A2A-Version": "0.3.0" }, { "A2A-Version": "" }]) {
      expect(await send(v03Message(), undefined, headers)).toMatchObject({ kind: "task", status: { state: "completed" } });
    }
    const viaQuery = (await (await post({ jsonrpc: "2.0", id: 1, method: "message/send", params: { message: v03Message() } }, {}, `${JSONRPC_URL}?A2A-Version=0.3`)).json()) as any;
    expect(viaQuery.result.kind).toBe("task");
  });

  it("every v0.3 part kind goes in, and history gives it back as sent, in v0.3 form", async () => {
    const parts = [
      { kind: "text", text: "hi", metadata: { i: 1 } },
      { kind: "file", file: { bytes: btoa("bytes"), mimeType: "application/octet-stream", name: "b.bin" } },
      { kind: "file", file: { uri: "https://example.com/a.pdf", mimeType: "application/pdf" } },
      { kind: "data", data: { k: [1, 2] } },
      { kind: "data", data: { value: 42 }, metadata: { data_part_compat: true } },
    ];
    const message = v03Message({ parts, contextId: `ctx-${uid()}`, metadata: { m: 1 }, extensions: ["urn:example:ext"], referenceTaskIds: [uid()] });
    const result = await send(message);
    expect(result.history[0]).toEqual({ ...message, taskId: result.id });
    // Stored in v1.0 form: the core never sees v0.3 shapes.
    const stored = (await rpc("GetTask", { id: result.id })).body.result;
    expect(stored.history[0].parts).toEqual([
      { text: "hi", metadata: { i: 1 } },
      { raw: btoa("bytes"), mediaType: "application/octet-stream", filename: "b.bin" },
      { url: "https://example.com/a.pdf", mediaType: "application/pdf" },
      { data: { k: [1, 2] } },
      { data: 42 },
    ]);
  });

  it("`kind` may be left out, as v0.3 servers in the field allowed", async () => {
    const result = await send({ messageId: `m-${uid()}`, role: "user", parts: [{ text: "no kinds" }] });
    expect(result.status.message.parts).toEqual([{ kind: "text", text: "You said: no kinds" }]);
  });

  it("blocking: false returns at once; historyLength is honoured", async () => {
    const early = await send(v03Message({ metadata: { demoDelayMs: 1500 } }), { blocking: false });
    expect(["submitted", "working"]).toContain(early.status.state);
    const one = await send(v03Message(), { blocking: true, historyLength: 1 });
    expect(one.history).toHaveLength(1);
    expect(one.history[0].role).toBe("agent");
  });

  it("a follow-up to an input-required task carries its taskId and completes it", async () => {
    const first = await send(tck("tck-input-required"));
    const second = await send(tck("tck-complete-task", { taskId: first.id }));
    expect(second).toMatchObject({ id: first.id, contextId: first.contextId, status: { state: "completed" } });
    expect(second.history.map((m: any) => m.role)).toEqual(["user", "agent", "user", "agent"]);
  });

  it.each([
    ["an agent role", { message: v03Message({ role: "agent" }) }, "message.role"],
    ["a v1.0 role", { message: v03Message({ role: "ROLE_USER" }) }, "message.role"],
    ["a v1.0 part", { message: v03Message({ parts: [{ kind: "file", raw: "dGNr" }] }) }, "message.parts.0.file"],
    ["no message", {}, "message"],
    ["a bad blocking flag", { message: v03Message(), configuration: { blocking: "yes" } }, "configuration.blocking"],
  ])("%s → -32602 naming the field", async (_, params, field) => {
    const { body } = await v03("message/send", params);
    expectV03Error(body, -32602, "INVALID_PARAMS");
    const badRequest = body.error.data.find((d: any) => d["@type"] === "type.googleapis.com/google.rpc.BadRequest");
    expect(badRequest.fieldViolations.map((v: any) => v.field)).toContain(field);
  });

  it("hostile input is refused as in v1.0: deep nesting, lone surrogates", async () => {
    let deep: unknown = {};
    for (let i = 0; i < 200; i++) deep = { a: deep };
    expectV03Error((await v03("message/send", { message: v03Message({ metadata: deep }) })).body, -32602);
    expectV03Error((await v03("message/send", { message: v03Message({}, "\ud800") })).body, -32602);
  });
});

describe("v0.3 tasks/get and tasks/cancel", () => {
  it("tasks/get returns the bare Task; historyLength keeps the newest", async () => {
    const first = await send(tck("tck-input-required"));
    await send(tck("tck-artifact-text", { taskId: first.id }));
    const { body } = await v03("tasks/get", { id: first.id, historyLength: 2 });
    expect(validateV03("GetTaskSuccessResponse", body)).toEqual([]);
    // user, agent (the question), user (the follow-up): the newest two, oldest first.
    expect(body.result.history.map((m: any) => m.role)).toEqual(["agent", "user"]);
    expect(body.result.artifacts).toHaveLength(1);
  });

  it("tasks/cancel of a waiting task → canceled (one L, as the v0.3 JSON-RPC enum spells it)", async () => {
    const sent = await send(tck("tck-input-required"));
    const { body } = await v03("tasks/cancel", { id: sent.id, metadata: { reason: "test" } });
    expect(validateV03("CancelTaskSuccessResponse", body)).toEqual([]);
    expect(body.result.status.state).toBe("canceled");
  });

  it("errors keep their codes: TaskNotFound -32001, TaskNotCancelable -32002", async () => {
    expectV03Error((await v03("tasks/get", { id: uid() })).body, -32001, "TASK_NOT_FOUND");
    const done = await send(v03Message());
    expectV03Error((await v03("tasks/cancel", { id: done.id })).body, -32002, "TASK_NOT_CANCELABLE");
  });
});

describe("v0.3 message/stream and tasks/resubscribe (SSE of bare events, `final` on the last)", () => {
  async function stream(method: string, params: unknown) {
    const response = await post({ jsonrpc: "2.0", id: "s-3", method, params });
    expect(response.headers.get("Content-Type")).toBe("text/event-stream");
    const { events, ended } = await readSse(response);
    expect(ended).toBe(true);
    for (const event of events) {
      expect(validateV03("SendStreamingMessageSuccessResponse", event.data)).toEqual([]);
      expect(event.data.id).toBe("s-3");
    }
    return events.map((e) => e.data.result);
  }
  const shape = (event: any) => (event.kind === "status-update" ? `${event.status.state}${event.final ? " final" : ""}` : event.kind);

  it("message/stream: task, working, two chunks, completed with final: true", async () => {
    const events = await stream("message/stream", { message: tck("tck-stream-artifact-chunked") });
    expect(events.map(shape)).toEqual(["task", "working", "artifact-update", "artifact-update", "completed final"]);
    expect(events[3]).toMatchObject({ append: true, lastChunk: true, artifact: { parts: [{ kind: "text", text: "chunk-2" }] } });
  });

  it("a stream that stops at input-required ends on final: true there (the v1.0 stream closes at interrupted states)", async () => {
    const events = await stream("message/stream", { message: tck("tck-input-required") });
    expect(events.map(shape)).toEqual(["task", "input-required final"]);
  });

  it("a Message answer is the only event", async () => {
    const events = await stream("message/stream", { message: tck("tck-message-response") });
    expect(events.map((e) => e.kind)).toEqual(["message"]);
  });

  it("tasks/resubscribe: the task first, then its events to the final one", async () => {
    const started = await send(v03Message({ metadata: { demoChunks: 3, demoIntervalMs: 30 } }), { blocking: false });
    const events = await stream("tasks/resubscribe", { id: started.id });
    expect(events[0]).toMatchObject({ kind: "task", id: started.id });
    expect(events.map(shape).at(-1)).toBe("completed final");
    expect(events.filter((e) => e.kind === "artifact-update").length).toBeGreaterThan(0);
  });

  it("tasks/resubscribe to a finished task → -32004 as a plain JSON-RPC error", async () => {
    const done = await send(v03Message());
    const { response, body } = await v03("tasks/resubscribe", { id: done.id });
    expect(response.headers.get("Content-Type")).toContain("application/json");
    expectV03Error(body, -32004, "UNSUPPORTED_OPERATION");
  });
});

describe("v0.3 push config methods", () => {
  it("set, get (by id and the default one), list and delete on a real task, in the v0.3 shapes", async () => {
    const task = await send(tck("tck-input-required"));
    const hook = newHook();
    const config = { id: "cfg-1", url: hook.url, token: "tok", authentication: { schemes: ["Bearer"], credentials: "secret" } };
    const set = await v03("tasks/pushNotificationConfig/set", { taskId: task.id, pushNotificationConfig: config });
    expect(validateV03("SetTaskPushNotificationConfigSuccessResponse", set.body)).toEqual([]);
    expect(set.body.result).toEqual({ taskId: task.id, pushNotificationConfig: config });
    const fallback = await v03("tasks/pushNotificationConfig/set", { taskId: task.id, pushNotificationConfig: { url: hook.url } });
    expect(fallback.body.result.pushNotificationConfig.id).toBe(task.id);
    const byId = await v03("tasks/pushNotificationConfig/get", { id: task.id, pushNotificationConfigId: "cfg-1" });
    expect(validateV03("GetTaskPushNotificationConfigSuccessResponse", byId.body)).toEqual([]);
    expect(byId.body.result.pushNotificationConfig.url).toBe(hook.url);
    const byDefault = await v03("tasks/pushNotificationConfig/get", { id: task.id });
    expect(byDefault.body.result.pushNotificationConfig.id).toBe(task.id);
    const list = await v03("tasks/pushNotificationConfig/list", { id: task.id });
    expect(validateV03("ListTaskPushNotificationConfigSuccessResponse", list.body)).toEqual([]);
    expect(list.body.result.map((c: any) => c.pushNotificationConfig.id).sort()).toEqual(["cfg-1", task.id].sort());
    const deleted = await v03("tasks/pushNotificationConfig/delete", { id: task.id, pushNotificationConfigId: "cfg-1" });
    expect(validateV03("DeleteTaskPushNotificationConfigSuccessResponse", deleted.body)).toEqual([]);
    const gone = await v03("tasks/pushNotificationConfig/get", { id: task.id, pushNotificationConfigId: "cfg-1" });
    expectV03Error(gone.body, -32001, "TASK_NOT_FOUND");
  });

  it("a config on an unknown task → TaskNotFound -32001", async () => {
    const { body } = await v03("tasks/pushNotificationConfig/set", { taskId: uid(), pushNotificationConfig: { url: newHook().url } });
    expectV03Error(body, -32001, "TASK_NOT_FOUND");
  });

  it.each([
    ["tasks/pushNotificationConfig/set", { taskId: "t-1", pushNotificationConfig: {} }],
    ["tasks/pushNotificationConfig/set", { taskId: "t-1", url: "https://flat-v1-shape" }],
    ["tasks/pushNotificationConfig/delete", { id: "t-1" }],
    ["tasks/pushNotificationConfig/list", { taskId: "t-1" }],
  ])("%s %j (not the v0.3 shape) → -32602", async (method, params) => {
    expectV03Error((await v03(method, params)).body, -32602, "INVALID_PARAMS");
  });

  it("an inline config on message/send is notified in the v0.3 shape: `kind`, lowercase states, `final`, application/json", async () => {
    const hook = newHook();
    const task = await send(tck("tck-input-required"), { pushNotificationConfig: { url: hook.url, token: "tok-03" } });
    await send(tck("tck-complete-task", { taskId: task.id }));
    const requests = await delivered(hook.path, 4);
    const bodies = requests.map((r) => JSON.parse(r.body));
    const shape = (b: any) => `${b.kind}${b.status ? ` ${b.status.state}${b.final ? " final" : ""}` : ""}`;
    expect(bodies.map(shape)).toEqual(["task submitted", "status-update input-required final", "status-update working", "status-update completed final"]);
    for (const request of requests) {
      expect(request.headers["content-type"]).toBe("application/json");
      expect(request.headers["x-a2a-notification-token"]).toBe("tok-03");
    }
    for (const body of bodies) expect(validateV03(body.kind === "task" ? "Task" : "TaskStatusUpdateEvent", body)).toEqual([]);
  });
});

describe("what v0.3 lacks, and which version a request is", () => {
  it("tasks/list → -32601: v0.3 had no ListTasks", async () => {
    const { body } = await v03("tasks/list", {});
    expectV03Error(body, -32601, "METHOD_NOT_FOUND");
    expect(body.error.message).toContain("A2A-Version: 1.0");
  });

  it("a v1.0 method without A2A-Version (so v0.3) → -32601 with the hint to send A2A-Version: 1.0", async () => {
    for (const headers of [{}, { "A2A-Version": "0.3" }] as Record<string, string>[]) {
      const { body } = await v03("ListTasks", {}, headers);
      expectV03Error(body, -32601, "METHOD_NOT_FOUND");
      expect(body.error.message).toMatch(/ListTasks is an A2A 1\.0 method: send A2A-Version: 1\.0/);
    }
  });

  it("a v0.3 method with A2A-Version: 1.0 → -32601, answered in v1.0 form", async () => {
    const { body } = await rpc("message/send", { message: v03Message() });
    expect(body.error).toMatchObject({ code: -32601 });
    expect(body.error!.message).toContain("v0.3");
  });

  it("agent/getAuthenticatedExtendedCard answers the extended card in the v0.3 shape", async () => {
    const { body } = await v03("agent/getAuthenticatedExtendedCard");
    expect(body.error, JSON.stringify(body.error)).toBeUndefined();
    expect(validateV03("AgentCard", body.result)).toEqual([]);
    expect(body.result).toMatchObject({ protocolVersion: "0.3.0", supportsAuthenticatedExtendedCard: true });
  });

  it("an unsupported version is refused in v1.0 terms before any method is read", async () => {
    const { body } = await v03("message/send", { message: v03Message() }, { "A2A-Version": "0.2" });
    expect(body.error).toMatchObject({ code: -32009 });
  });

  it("a batch of v0.3 calls is answered call by call; a notification gets nothing", async () => {
    const response = await post([
      { jsonrpc: "2.0", id: 1, method: "message/send", params: { message: v03Message() } },
      { jsonrpc: "2.0", id: 2, method: "tasks/get", params: { id: uid() } },
      { jsonrpc: "2.0", method: "tasks/get", params: { id: "notification" } },
      { jsonrpc: "2.0", id: 3, method: "SendMessage", params: {} },
    ]);
    const replies = (await response.json()) as any[];
    expect(replies.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(validateV03("SendMessageSuccessResponse", replies[0])).toEqual([]);
    expectV03Error(replies[1], -32001);
    expectV03Error(replies[2], -32601);
    expect((await post({ jsonrpc: "2.0", method: "message/send", params: { message: v03Message() } })).status).toBe(204);
  });

  it("a v0.3 stream cannot be part of a batch (-32600, named as sent)", async () => {
    const replies = (await (await post([{ jsonrpc: "2.0", id: 1, method: "message/stream", params: { message: v03Message() } }])).json()) as any[];
    expectV03Error(replies[0], -32600, "INVALID_REQUEST");
    expect(replies[0].error.message).toContain("message/stream");
  });

  it("the WebSocket binding is declared for 1.0 only: an upgrade without a version is refused; ?A2A-Version=1.0 is how a browser asks", async () => {
    const refused = await worker(`${ORIGIN}/a2a/ws`, { headers: { Upgrade: "websocket" } });
    expect(refused.status).toBe(400);
    expect(reasonOf(((await refused.json()) as any).error.details)).toBe("VERSION_NOT_SUPPORTED");
    const accepted = await worker(`${ORIGIN}/a2a/ws?A2A-Version=1.0`, { headers: { Upgrade: "websocket" } });
    expect(accepted.status).toBe(101);
    accepted.webSocket!.accept();
    accepted.webSocket!.close();
  });

  it("X-A2A-Extensions is accepted; no extension is declared, so none is activated or echoed (in either spelling)", async () => {
    const response = await post({ jsonrpc: "2.0", id: 1, method: "message/send", params: { message: v03Message({ extensions: ["urn:example:ext"] }) } }, { "X-A2A-Extensions": "urn:example:ext" });
    const body = (await response.json()) as any;
    expect(body.result.history[0].extensions).toEqual(["urn:example:ext"]);
    expect(response.headers.get("X-A2A-Extensions")).toBeNull();
    expect(response.headers.get("A2A-Extensions")).toBeNull();
  });
});

describe("one task store for both versions", () => {
  it("a task created over v0.3 is readable over v1.0 (JSON-RPC and REST), in valid v1.0 form", async () => {
    const created = await send(tck("tck-artifact-file"));
    const viaRpc = (await rpc("GetTask", { id: created.id })).body.result;
    expect(validateWireStrict("Task", viaRpc)).toEqual([]);
    expect(viaRpc).toMatchObject({ id: created.id, contextId: created.contextId, status: { state: "TASK_STATE_COMPLETED" } });
    expect(viaRpc.artifacts[0].parts).toEqual([{ raw: btoa("tck"), mediaType: "text/plain", filename: "output.txt" }]);
    const viaRest = await worker(`${REST_URL}/tasks/${created.id}`, { headers: { "A2A-Version": "1.0" } });
    expect(((await viaRest.json()) as any).id).toBe(created.id);
  });

  it("a task created over v1.0 is readable, resumable and cancelable over v0.3", async () => {
    const created = (await rpc("SendMessage", { message: { messageId: `tck-input-required-${uid()}`, role: "ROLE_USER", parts: [{ text: "v1" }] } })).body.result.task;
    const { body } = await v03("tasks/get", { id: created.id });
    expect(validateV03("GetTaskSuccessResponse", body)).toEqual([]);
    expect(body.result).toMatchObject({ kind: "task", id: created.id, status: { state: "input-required" } });
    expect(body.result.history[0]).toMatchObject({ kind: "message", role: "user", parts: [{ kind: "text", text: "v1" }] });
    const canceled = await v03("tasks/cancel", { id: created.id });
    expect(canceled.body.result.status.state).toBe("canceled");
    expect((await rpc("GetTask", { id: created.id })).body.result.status.state).toBe("TASK_STATE_CANCELED");
  });
});

describe("push config methods: v0.3 params → v1.0 request → v0.3 result", () => {
  const v1Config = { id: "cfg-1", taskId: "t-1", url: "https://example.com/hook", token: "tok", authentication: { scheme: "Bearer", credentials: "secret" } };
  const v03Config = { taskId: "t-1", pushNotificationConfig: { id: "cfg-1", url: "https://example.com/hook", token: "tok", authentication: { schemes: ["Bearer"], credentials: "secret" } } };
  const translate = (method: string, params: unknown) => V03_METHODS[method]!.params.parse(params);
  const result = (method: string, value: unknown) => V03_METHODS[method]!.result!(value as never);

  it("set: the nested v0.3 config becomes the flat v1.0 one, and back", () => {
    const request = translate("tasks/pushNotificationConfig/set", v03Config);
    expect(request).toEqual(v1Config);
    expect(methods.CreateTaskPushNotificationConfig.params.safeParse(request).success).toBe(true);
    expect(result("tasks/pushNotificationConfig/set", v1Config)).toEqual(v03Config);
    expect(validateV03("SetTaskPushNotificationConfigSuccessResponse", { jsonrpc: "2.0", id: 1, result: v03Config })).toEqual([]);
  });

  it("set without a config id: the task's default config, whose id is the task id", () => {
    expect(translate("tasks/pushNotificationConfig/set", { taskId: "t-1", pushNotificationConfig: { url: "https://h" } })).toEqual({ id: "t-1", taskId: "t-1", url: "https://h" });
  });

  it("get and delete: {id, pushNotificationConfigId} → {taskId, id}; get without a config id reads the default one", () => {
    expect(translate("tasks/pushNotificationConfig/get", { id: "t-1", pushNotificationConfigId: "cfg-1" })).toEqual({ taskId: "t-1", id: "cfg-1" });
    expect(translate("tasks/pushNotificationConfig/get", { id: "t-1" })).toEqual({ taskId: "t-1", id: "t-1" });
    expect(translate("tasks/pushNotificationConfig/delete", { id: "t-1", pushNotificationConfigId: "cfg-1" })).toEqual({ taskId: "t-1", id: "cfg-1" });
    expect(() => translate("tasks/pushNotificationConfig/delete", { id: "t-1" })).toThrow();
    expect(methods.GetTaskPushNotificationConfig.params.safeParse(translate("tasks/pushNotificationConfig/get", { id: "t-1" })).success).toBe(true);
    expect(validateV03("GetTaskPushNotificationConfigSuccessResponse", { jsonrpc: "2.0", id: 1, result: result("tasks/pushNotificationConfig/get", v1Config) })).toEqual([]);
    expect(validateV03("DeleteTaskPushNotificationConfigSuccessResponse", { jsonrpc: "2.0", id: 1, result: result("tasks/pushNotificationConfig/delete", {}) })).toEqual([]);
  });

  it("list: {id} → {taskId}; the v1.0 page becomes a bare v0.3 array", () => {
    expect(translate("tasks/pushNotificationConfig/list", { id: "t-1" })).toEqual({ taskId: "t-1" });
    const listed = result("tasks/pushNotificationConfig/list", { configs: [v1Config, { ...v1Config, id: "cfg-2", authentication: undefined }], nextPageToken: "" });
    expect(listed).toEqual([v03Config, { taskId: "t-1", pushNotificationConfig: { id: "cfg-2", url: "https://example.com/hook", token: "tok" } }]);
    expect(validateV03("ListTaskPushNotificationConfigSuccessResponse", { jsonrpc: "2.0", id: 1, result: listed })).toEqual([]);
  });
});

describe("v0.3 error codes", () => {
  it("v1.0-only codes become InvalidRequest for v0.3 clients; their ErrorInfo stays in data", () => {
    const data = [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "VERSION_NOT_SUPPORTED", domain: "a2a-protocol.org" }];
    expect(toV03ErrorObject({ code: -32009, message: "m", data })).toEqual({ code: -32600, message: "m", data });
    expect(toV03ErrorObject({ code: -32008, message: "m", data }).code).toBe(-32600);
    for (const code of [-32001, -32002, -32003, -32004, -32005, -32006, -32007, -32601, -32602]) expect(toV03ErrorObject({ code, message: "m" }).code).toBe(code);
    expect(validateV03("JSONRPCErrorResponse", { jsonrpc: "2.0", id: 1, error: toV03ErrorObject({ code: -32009, message: "m", data }) })).toEqual([]);
  });

  it("a v1.0 result v0.3 cannot express is answered as -32603, not a crash of the request", async () => {
    const cardWithoutV03 = { name: "n", description: "d", version: "1", supportedInterfaces: [{ url: "u", protocolBinding: "JSONRPC", protocolVersion: "1.0" }] };
    const logged: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((line: unknown) => void logged.push(String(line)));
    const base = { requestId: "req-v03-1" } as never;
    const reply = await answerV03({ jsonrpc: "2.0", id: 9, method: "agent/getAuthenticatedExtendedCard" }, base, false, async () => ({ jsonrpc: "2.0", id: 9, result: cardWithoutV03 }));
    spy.mockRestore();
    expect(reply).toMatchObject({ id: 9, error: { code: -32603, message: "Internal error; the server log has it under request req-v03-1" } });
    expect(logged.map((l) => JSON.parse(l))).toEqual([
      { at: "jsonrpc-v03", requestId: "req-v03-1", error: expect.stringMatching(/^Error: the agent card declares no protocolVersion 0.3 interface\n\s+at /) },
    ]);
  });
});

import { newHook } from "../../helpers/webhook";
import { describe, expect, it } from "vitest";
import { toV03ProtoTaskPushConfig, V03ProtoAgentCardSchema, V03ProtoTaskPushNotificationConfigSchema } from "../../../schema/v03/proto-requests";
import { V03ProtoStreamResponseSchema, V03ProtoTaskSchema } from "../../../schema/v03/proto";
import { REST_URL, reasonOf, rpc, worker } from "../../helpers/a2a";
import { readSse } from "../../helpers/sse";

/** A v0.3 REST client: the `/v1/…` paths of v0.3/a2a.proto, ProtoJSON bodies, no A2A-Version header. */
async function v03Rest(verb: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await worker(`${REST_URL}${path}`, {
    method: verb,
    headers: { ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { response, status: response.status, body: text ? (JSON.parse(text) as any) : undefined };
}

const uid = () => crypto.randomUUID();
const protoMessage = (prefix = "m", content: unknown[] = [{ text: "hello" }], extra: Record<string, unknown> = {}) => ({
  messageId: `${prefix}-${uid()}`,
  role: "ROLE_USER",
  content,
  ...extra,
});

/** `{code, message, data}` with the HTTP status: the v0.3 REST error body the official v0.3 clients read. */
function expectV03RestError(result: { status: number; body: any; response: Response }, status: number, code: number, reason: string) {
  expect(result.status).toBe(status);
  expect(result.response.headers.get("Content-Type")).toContain("application/json");
  expect(Object.keys(result.body).sort()).toEqual(["code", "data", "message"]);
  expect(result.body.code).toBe(code);
  expect(reasonOf(result.body.data)).toBe(reason);
}

async function sendTask(message: object, configuration?: object) {
  const result = await v03Rest("POST", "/v1/message:send", { message, ...(configuration ? { configuration } : {}) });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  expect(Object.keys(result.body)).toEqual(["task"]);
  V03ProtoTaskSchema.parse(result.body.task);
  return result.body.task;
}

describe("v0.3 REST POST /v1/message:send (ProtoJSON of the v0.3 proto)", () => {
  it("answers {task} with proto enum names, `content` in messages, proto file and data parts", async () => {
    const content = [{ text: "hi" }, { file: { fileWithBytes: btoa("bytes"), mimeType: "application/octet-stream" } }, { file: { fileWithUri: "https://example.com/a.pdf" } }, { data: { data: { k: 1 } } }];
    const message = protoMessage("tck-artifact-data", content, { metadata: { m: 1 } });
    const task = await sendTask(message);
    expect(task.status.state).toBe("TASK_STATE_COMPLETED");
    expect(task.artifacts[0].parts).toEqual([{ data: { data: { key: "value", count: 42 } } }]);
    expect(task.history[0]).toEqual({ ...message, contextId: task.contextId, taskId: task.id });
  });

  it("a Message answer is {message}; snake_case names are read as ProtoJSON allows", async () => {
    const result = await v03Rest("POST", "/v1/message:send", { request: { message_id: `tck-message-response-${uid()}`, role: 1, content: [{ text: "x" }] } });
    expect(result.body).toEqual({ message: expect.objectContaining({ role: "ROLE_AGENT", content: [{ text: "Direct message response" }] }) });
  });

  it("blocking: absent (proto3 false) once a configuration is sent → returns at once; no configuration → blocks", async () => {
    const early = await sendTask(protoMessage("m", [{ text: "slow" }], { metadata: { demoDelayMs: 1500 } }), { historyLength: 1 });
    expect(["TASK_STATE_SUBMITTED", "TASK_STATE_WORKING"]).toContain(early.status.state);
    expect((await sendTask(protoMessage())).status.state).toBe("TASK_STATE_COMPLETED");
    expect((await sendTask(protoMessage(), { blocking: true })).status.state).toBe("TASK_STATE_COMPLETED");
  });

  it("a body that is not the v0.3 proto shape → 400 -32602", async () => {
    expectV03RestError(await v03Rest("POST", "/v1/message:send", { message: { messageId: "m", role: "ROLE_USER", parts: [{ text: "v1.0 parts" }] } }), 400, -32602, "INVALID_PARAMS");
    expectV03Rest415(await v03Rest("POST", "/v1/message:send", JSON.stringify({ message: protoMessage() }), { "Content-Type": "text/plain" }));
  });
});

function expectV03Rest415(result: Awaited<ReturnType<typeof v03Rest>>) {
  expectV03RestError(result, 415, -32005, "CONTENT_TYPE_NOT_SUPPORTED");
}

describe("v0.3 REST tasks", () => {
  it("GET /v1/tasks/{id}: historyLength n keeps the newest n, 0 means all (v0.3 proto)", async () => {
    const first = await sendTask(protoMessage("tck-input-required"));
    await sendTask(protoMessage("tck-complete-task", [{ text: "more" }], { taskId: first.id }), { blocking: true });
    const all = await v03Rest("GET", `/v1/tasks/${first.id}?historyLength=0`);
    expect(all.body.history).toHaveLength(4);
    expect(V03ProtoTaskSchema.safeParse(all.body).success).toBe(true);
    const one = await v03Rest("GET", `/v1/tasks/${first.id}?history_length=1`);
    expect(one.body.history.map((m: any) => m.role)).toEqual(["ROLE_AGENT"]);
  });

  it("POST /v1/tasks/{id}:cancel → TASK_STATE_CANCELLED (two Ls in the v0.3 proto)", async () => {
    const task = await sendTask(protoMessage("tck-input-required"));
    const canceled = await v03Rest("POST", `/v1/tasks/${task.id}:cancel`, {});
    expect(canceled.status).toBe(200);
    expect(canceled.body.status.state).toBe("TASK_STATE_CANCELLED");
    expect((await rpc("GetTask", { id: task.id })).body.result.status.state).toBe("TASK_STATE_CANCELED");
  });

  it("errors: unknown task 404 -32001, finished task 409 -32002", async () => {
    expectV03RestError(await v03Rest("GET", `/v1/tasks/${uid()}`), 404, -32001, "TASK_NOT_FOUND");
    const done = await sendTask(protoMessage());
    expectV03RestError(await v03Rest("POST", `/v1/tasks/${done.id}:cancel`, {}), 409, -32002, "TASK_NOT_CANCELABLE");
  });
});

describe("v0.3 REST streams: bare ProtoJSON StreamResponses, `final` on the last status", () => {
  const shape = (event: any) =>
    event.statusUpdate ? `${event.statusUpdate.status.state}${event.statusUpdate.final ? " final" : ""}` : Object.keys(event)[0];

  it("POST /v1/message:stream", async () => {
    const response = await worker(`${REST_URL}/v1/message:stream`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ message: protoMessage("tck-stream-artifact-chunked") }) });
    expect(response.headers.get("Content-Type")).toBe("text/event-stream");
    const events = (await readSse(response)).events.map((e) => e.data);
    for (const event of events) expect(V03ProtoStreamResponseSchema.safeParse(event).success).toBe(true);
    expect(events.map(shape)).toEqual(["task", "TASK_STATE_WORKING", "artifactUpdate", "artifactUpdate", "TASK_STATE_COMPLETED final"]);
    expect(events[3].artifactUpdate).toMatchObject({ append: true, lastChunk: true, artifact: { parts: [{ text: "chunk-2" }] } });
  });

  it("GET /v1/tasks/{id}:subscribe (the proto's verb) and POST", async () => {
    for (const verb of ["GET", "POST"]) {
      const started = await sendTask(protoMessage("m", [{ text: "slow" }], { metadata: { demoChunks: 2, demoIntervalMs: 30 } }), { blocking: false });
      const response = await worker(`${REST_URL}/v1/tasks/${started.id}:subscribe`, { method: verb });
      const events = (await readSse(response)).events.map((e) => e.data);
      expect(shape(events[0])).toBe("task");
      expect(shape(events.at(-1))).toBe("TASK_STATE_COMPLETED final");
    }
  });
});

describe("v0.3 REST push configs", () => {
  const config = { url: "https://example.com/hook", token: "tok", authentication: { schemes: ["Bearer"], credentials: "c" } };

  it("create (both body forms), get, list and delete on a real task", async () => {
    const created = await v03Rest("POST", "/v1/message:send", { request: { messageId: `tck-input-required-${crypto.randomUUID()}`, role: "ROLE_USER", content: [{ text: "hi" }] } });
    expect(created.status).toBe(200);
    const taskId = created.body.task.id;
    const hooked = { ...config, url: newHook().url };
    const byName = await v03Rest("POST", `/v1/tasks/${taskId}/pushNotificationConfigs`, { name: `tasks/${taskId}/pushNotificationConfigs/c-1`, pushNotificationConfig: { id: "c-1", ...hooked } });
    expect(byName.status).toBeLessThan(300);
    expect(byName.body).toEqual({ name: `tasks/${taskId}/pushNotificationConfigs/c-1`, pushNotificationConfig: { id: "c-1", ...hooked } });
    const byParent = await v03Rest("POST", `/v1/tasks/${taskId}/pushNotificationConfigs`, { parent: `tasks/${taskId}`, configId: "c-2", config: { pushNotificationConfig: hooked } });
    expect(byParent.body.pushNotificationConfig.id).toBe("c-2");
    expect((await v03Rest("GET", `/v1/tasks/${taskId}/pushNotificationConfigs/c-1`)).body.pushNotificationConfig.url).toBe(hooked.url);
    const list = await v03Rest("GET", `/v1/tasks/${taskId}/pushNotificationConfigs`);
    expect(JSON.stringify(list.body)).toContain("c-2");
    expect((await v03Rest("DELETE", `/v1/tasks/${taskId}/pushNotificationConfigs/c-1`)).status).toBeLessThan(300);
    expectV03RestError(await v03Rest("GET", `/v1/tasks/${taskId}/pushNotificationConfigs/c-1`), 404, -32001, "TASK_NOT_FOUND");
  });

  it("a create body without a config → 400 -32602", async () => {
    expectV03RestError(await v03Rest("POST", "/v1/tasks/t-1/pushNotificationConfigs", { url: "https://flat-v1-shape" }), 400, -32602, "INVALID_PARAMS");
  });

  it("results come back as the v0.3 proto's TaskPushNotificationConfig (checked on the translation)", () => {
    const proto = toV03ProtoTaskPushConfig({ id: "c-1", taskId: "t-1", ...config, authentication: { scheme: "Bearer", credentials: "c" } });
    expect(V03ProtoTaskPushNotificationConfigSchema.parse(proto)).toEqual({ name: "tasks/t-1/pushNotificationConfigs/c-1", pushNotificationConfig: { id: "c-1", ...config } });
  });
});

describe("v0.3 REST card and routing", () => {
  it("GET /v1/card: the v0.3 card in the proto's JSON form", async () => {
    const { status, body } = await v03Rest("GET", "/v1/card");
    expect(status).toBe(200);
    const card = V03ProtoAgentCardSchema.parse(body);
    expect(card).toMatchObject({ protocolVersion: "0.3.0", url: `${REST_URL.replace("/rest", "/jsonrpc")}`, preferredTransport: "JSONRPC" });
    expect(body).not.toHaveProperty("supportedInterfaces");
  });

  it("ListTasks has no v0.3 route: GET /v1/tasks → 404 -32601", async () => {
    expectV03RestError(await v03Rest("GET", "/v1/tasks"), 404, -32601, "ROUTE_NOT_FOUND");
  });

  it("a wrong verb → 405 with Allow", async () => {
    for (const [verb, path] of [["DELETE", "/v1/tasks/x"], ["POST", "/v1/card"]]) {
      const result = await v03Rest(verb!, path!, verb === "POST" ? {} : undefined);
      expectV03RestError(result, 405, -32601, "METHOD_NOT_ALLOWED");
      expect(result.response.headers.get("Allow")).toBe("GET");
    }
  });

  it("a v1.0 path without A2A-Version (so v0.3) → 404 pointing at A2A-Version: 1.0", async () => {
    const result = await v03Rest("POST", "/message:send", { message: { messageId: "m", role: "ROLE_USER", parts: [{ text: "x" }] } });
    expectV03RestError(result, 404, -32601, "ROUTE_NOT_FOUND");
    expect(result.body.message).toContain("A2A-Version: 1.0");
  });

  it("with A2A-Version: 1.0, /v1/… is a v1.0 path in tenant `v1`: the header decides, not the path", async () => {
    const result = await v03Rest("POST", "/v1/message:send", { message: { messageId: `m-${uid()}`, role: "ROLE_USER", parts: [{ text: "x" }] } }, { "A2A-Version": "1.0" });
    expect(result.status).toBe(200);
    expect(result.body.task.status.state).toBe("TASK_STATE_COMPLETED");
  });

  it("tasks made over v0.3 REST and over v1.0 are one store", async () => {
    const viaV03 = await sendTask(protoMessage());
    expect((await rpc("GetTask", { id: viaV03.id })).body.result.id).toBe(viaV03.id);
    const viaV1 = (await rpc("SendMessage", { message: { messageId: `m-${uid()}`, role: "ROLE_USER", parts: [{ text: "v1" }] } })).body.result.task;
    const read = await v03Rest("GET", `/v1/tasks/${viaV1.id}`);
    expect(read.body).toMatchObject({ id: viaV1.id, status: { state: "TASK_STATE_COMPLETED", message: { content: [{ text: "You said: v1" }] } } });
  });
});

import { describe, expect, it } from "vitest";
import { eventually, JSONRPC_URL, makeMessage, ORIGIN, reasonOf, rest, rpc, worker } from "./helpers/a2a";
import {
  ERROR_INFO_TYPE,
  jsonRpcErrorViolations,
  protoRulesOf,
  restErrorViolations,
  validateWire,
  validateWireStrict,
  WIRE_DEFINITIONS,
} from "./helpers/wire-schema";

/**
 * Every kind of object the server emits validates against the official TCK's a2a.json (which rejects any
 * field it does not know), and against the proto's REQUIRED fields and oneofs on top of it.
 */
function expectWire(definition: string, value: unknown) {
  expect(validateWire(definition, value), `${definition} vs a2a.json`).toEqual([]);
  expect(validateWireStrict(definition, value), `${definition} vs a2a.json + a2a.proto REQUIRED/oneof`).toEqual([]);
}

const uid = () => crypto.randomUUID();
const tckMessage = (prefix: string, overrides: Parameters<typeof makeMessage>[0] = {}) => makeMessage({ messageId: `${prefix}-${uid()}`, ...overrides });

type Binding = "jsonrpc" | "rest";
const BINDINGS: Binding[] = ["jsonrpc", "rest"];

/** SendMessage through one binding; returns the SendMessageResponse (the JSON-RPC `result` or the REST body). */
async function sendVia(binding: Binding, params: Record<string, unknown>, tenant?: string) {
  if (binding === "jsonrpc") {
    const { response, body } = await rpc("SendMessage", tenant ? { ...params, tenant } : params);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("application/json");
    expect(body.error, JSON.stringify(body.error)).toBeUndefined();
    expect(Object.keys(body).sort()).toEqual(["id", "jsonrpc", "result"]);
    return body.result;
  }
  const { response, status, body } = await rest("POST", `${tenant ? `/${tenant}` : ""}/message:send`, params);
  expect(status, JSON.stringify(body)).toBe(200);
  expect(response.headers.get("Content-Type")).toContain("application/json");
  return body;
}

async function getVia(binding: Binding, id: string, historyLength?: number) {
  if (binding === "jsonrpc") {
    const { body } = await rpc("GetTask", historyLength === undefined ? { id } : { id, historyLength });
    expect(body.error, JSON.stringify(body.error)).toBeUndefined();
    return body.result;
  }
  const { response, status, body } = await rest("GET", `/tasks/${encodeURIComponent(id)}${historyLength === undefined ? "" : `?historyLength=${historyLength}`}`);
  expect(status, JSON.stringify(body)).toBe(200);
  expect(response.headers.get("Content-Type")).toContain("application/json");
  return body;
}

async function cancelVia(binding: Binding, id: string) {
  if (binding === "jsonrpc") {
    const { body } = await rpc("CancelTask", { id });
    expect(body.error, JSON.stringify(body.error)).toBeUndefined();
    return body.result;
  }
  const { response, status, body } = await rest("POST", `/tasks/${encodeURIComponent(id)}:cancel`, {});
  expect(status, JSON.stringify(body)).toBe(200);
  expect(response.headers.get("Content-Type")).toContain("application/json");
  return body;
}

describe("the validator itself (so the suite cannot pass vacuously)", () => {
  const task = { id: "t-1", contextId: "c-1", status: { state: "TASK_STATE_COMPLETED", timestamp: "2025-10-28T10:30:00.000Z" } };

  it("accepts a well-formed Task, Message and SendMessageResponse", () => {
    expectWire("Task", task);
    expectWire("Message", { messageId: "m", role: "ROLE_AGENT", parts: [{ text: "hi" }] });
    expectWire("Send Message Response", { task });
    expectWire("SendMessageResponse", { task }); // spaces optional
  });

  it("rejects extra fields: a v0.3 `kind` on a Task, on a Part, on a nested Message", () => {
    expect(validateWire("Task", { ...task, kind: "task" })).not.toEqual([]);
    expect(validateWire("Message", { messageId: "m", role: "ROLE_AGENT", parts: [{ kind: "text", text: "hi" }] })).not.toEqual([]);
    expect(validateWire("Task", { ...task, history: [{ messageId: "m", role: "ROLE_USER", parts: [{ text: "x" }], kind: "message" }] })).not.toEqual([]);
    expect(validateWire("Stream Response", { statusUpdate: { taskId: "t", contextId: "c", status: { state: "TASK_STATE_WORKING" }, final: true } })).not.toEqual([]);
  });

  it("rejects v0.3 enum spellings, bad timestamps and bad base64", () => {
    expect(validateWire("Task Status", { state: "completed" })).not.toEqual([]);
    expect(validateWire("Message", { messageId: "m", role: "agent", parts: [{ text: "x" }] })).not.toEqual([]);
    expect(validateWire("Task Status", { state: "TASK_STATE_WORKING", timestamp: "yesterday" })).not.toEqual([]);
    expect(validateWire("Part", { raw: "not base64!" })).not.toEqual([]);
  });

  it("the strict variant adds the proto's REQUIRED fields and oneofs", () => {
    expect(protoRulesOf("Task")?.required).toEqual(["id", "status"]);
    expect(protoRulesOf("Part")?.oneofs).toEqual([["text", "raw", "url", "data"]]);
    expect(protoRulesOf("List Tasks Response")?.required).toEqual(["tasks", "nextPageToken", "pageSize", "totalSize"]);
    expect(validateWire("Task", { id: "t" })).toEqual([]); // a2a.json alone has no `required`
    expect(validateWireStrict("Task", { id: "t" })).not.toEqual([]);
    expect(validateWireStrict("Part", { text: "a", data: 1 })).not.toEqual([]);
    expect(validateWireStrict("Part", { mediaType: "text/plain" })).not.toEqual([]);
    expect(validateWireStrict("Send Message Response", {})).not.toEqual([]);
    expect(validateWireStrict("Send Message Response", { task, message: { messageId: "m", role: "ROLE_AGENT", parts: [{ text: "x" }] } })).not.toEqual([]);
    expect(validateWireStrict("Message", { messageId: "m", role: "ROLE_AGENT", parts: [] })).not.toEqual([]);
    expect(validateWireStrict("List Tasks Response", { tasks: [], pageSize: 50, totalSize: 0 })).not.toEqual([]);
  });

  it("knows every definition the suite uses, and refuses unknown ones", () => {
    for (const name of ["Task", "Message", "Send Message Response", "Agent Card", "List Tasks Response", "Stream Response"]) {
      expect(WIRE_DEFINITIONS).toContain(name);
    }
    expect(() => validateWire("Tasks", {})).toThrow(/no definition/);
  });

  it("the error-shape checkers reject malformed error bodies", () => {
    const info = { "@type": ERROR_INFO_TYPE, reason: "TASK_NOT_FOUND", domain: "a2a-protocol.org" };
    expect(jsonRpcErrorViolations({ jsonrpc: "2.0", id: 1, error: { code: -32001, message: "m", data: [info] } })).toEqual([]);
    expect(jsonRpcErrorViolations({ jsonrpc: "2.0", id: 1, error: { code: -32001, message: "m", data: {} } })).not.toEqual([]);
    expect(jsonRpcErrorViolations({ jsonrpc: "2.0", id: 1, error: { code: -32001, message: "m", data: [] } })).not.toEqual([]);
    expect(jsonRpcErrorViolations({ jsonrpc: "2.0", id: 1, error: { code: -32001, message: "m", data: [{ ...info, domain: "x" }] } })).not.toEqual([]);
    expect(jsonRpcErrorViolations({ jsonrpc: "2.0", id: 1, result: {}, error: { code: -32001, message: "m", data: [info] } })).not.toEqual([]);
    expect(restErrorViolations({ error: { code: 404, status: "NOT_FOUND", message: "m", details: [info] } }, 404)).toEqual([]);
    expect(restErrorViolations({ error: { code: 404, status: "NOT_FOUND", message: "m", details: [info] } }, 400)).not.toEqual([]);
    expect(restErrorViolations({ error: { code: 404, status: "Not Found", message: "m", details: [info] } }, 404)).not.toEqual([]);
    expect(restErrorViolations({ error: { code: 404, status: "NOT_FOUND", message: "m", details: [] } }, 404)).not.toEqual([]);
    expect(restErrorViolations({ type: "about:blank", title: "Not Found", status: 404 }, 404)).not.toEqual([]);
  });
});

describe("the agent card validates as Agent Card", () => {
  it.each([
    ["with A2A-Version: 1.0", { "A2A-Version": "1.0" }],
    ["without a version header (as the TCK fetches it)", {}],
  ])("%s", async (_, headers: Record<string, string>) => {
    const response = await worker(`${ORIGIN}/.well-known/agent-card.json`, { headers });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("application/json");
    const card: any = await response.json();
    expectWire("Agent Card", card);
    expect(card.supportedInterfaces.map((i: any) => `${i.protocolBinding} ${i.protocolVersion}`)).toEqual([
      "JSONRPC 1.0",
      "HTTP+JSON 1.0",
      "urn:a2a-edge:binding:jsonrpc-websocket 1.0",
      "JSONRPC 0.3",
      "HTTP+JSON 0.3",
    ]);
    expect(card.skills.length).toBeGreaterThan(0);
  });
});

/** The demo agent's behaviours (TCK-CONVENTIONS.md), keyed by messageId prefix. */
const BEHAVIOURS = [
  { prefix: "tck-complete-task", payload: "task", state: "TASK_STATE_COMPLETED" },
  { prefix: "tck-artifact-text", payload: "task", state: "TASK_STATE_COMPLETED", artifact: { text: "Generated text content" } },
  { prefix: "tck-artifact-file", payload: "task", state: "TASK_STATE_COMPLETED", artifact: { raw: btoa("tck"), mediaType: "text/plain", filename: "output.txt" } },
  {
    prefix: "tck-artifact-file-url",
    payload: "task",
    state: "TASK_STATE_COMPLETED",
    artifact: { url: "https://example.com/output.txt", mediaType: "text/plain", filename: "output.txt" },
  },
  { prefix: "tck-artifact-data", payload: "task", state: "TASK_STATE_COMPLETED", artifact: { data: { key: "value", count: 42 } } },
  { prefix: "tck-message-response", payload: "message" },
  { prefix: "tck-input-required", payload: "task", state: "TASK_STATE_INPUT_REQUIRED" },
  { prefix: "tck-reject-task", payload: "task", state: "TASK_STATE_REJECTED" },
  { prefix: "echo", payload: "task", state: "TASK_STATE_COMPLETED" },
] as const;

describe.each(BINDINGS)("%s: SendMessage responses validate as Send Message Response", (binding) => {
  it.each(BEHAVIOURS)("$prefix → $payload $state", async (behaviour) => {
    const result = await sendVia(binding, { message: tckMessage(behaviour.prefix) });
    expectWire("Send Message Response", result);
    expect(Object.keys(result)).toEqual([behaviour.payload]);
    if (behaviour.payload === "message") {
      expectWire("Message", result.message);
      expect(result.message.role).toBe("ROLE_AGENT");
      return;
    }
    expectWire("Task", result.task);
    expect(result.task.status.state).toBe(behaviour.state);
    expect(result.task.contextId).toEqual(expect.any(String));
    if ("artifact" in behaviour) {
      expect(result.task.artifacts).toHaveLength(1);
      expect(result.task.artifacts[0].parts).toEqual([behaviour.artifact]);
    } else {
      expect(result.task).not.toHaveProperty("artifacts");
    }
  });

  it("with every optional request member set (tenant, metadata, configuration, parts of each kind)", async () => {
    const tenant = `t-${uid()}`;
    const message = makeMessage({
      contextId: `ctx-${uid()}`,
      metadata: { source: "wire-schema" },
      extensions: ["urn:example:ext"],
      referenceTaskIds: [uid()],
      parts: [
        { text: "hello", mediaType: "text/plain", metadata: { i: 1 } },
        { raw: btoa("bytes"), mediaType: "application/octet-stream", filename: "b.bin" },
        { url: "https://example.com/a.pdf", mediaType: "application/pdf" },
        { data: [1, "two", { three: null }], mediaType: "application/json" },
      ],
    });
    const result = await sendVia(binding, { message, metadata: { m: true }, configuration: { acceptedOutputModes: ["text/plain"], historyLength: 10 } }, tenant);
    expectWire("Send Message Response", result);
    // The user's message comes back in history exactly as sent, plus the ids the server filled in.
    expect(result.task.history[0]).toEqual({ ...message, taskId: result.task.id });
  });

  it.each([0, 1])("configuration.historyLength %i", async (historyLength) => {
    const result = await sendVia(binding, { message: makeMessage(), configuration: { historyLength } });
    expectWire("Send Message Response", result);
    if (historyLength === 0) expect(result.task).not.toHaveProperty("history");
    else expect(result.task.history).toHaveLength(1);
  });

  it("returnImmediately returns a non-terminal task that validates", async () => {
    const result = await sendVia(binding, { message: makeMessage({ metadata: { demoDelayMs: 1000 } }), configuration: { returnImmediately: true } });
    expectWire("Send Message Response", result);
    expect(["TASK_STATE_SUBMITTED", "TASK_STATE_WORKING"]).toContain(result.task.status.state);
  });

  it("a follow-up to an input-required task validates", async () => {
    const first = await sendVia(binding, { message: tckMessage("tck-input-required") });
    const second = await sendVia(binding, { message: tckMessage("tck-complete-task", { taskId: first.task.id }) });
    expectWire("Send Message Response", second);
    expect(second.task.history).toHaveLength(4);
  });
});

describe.each(BINDINGS)("%s: GetTask and CancelTask results validate as Task", (binding) => {
  it.each(BEHAVIOURS.filter((b) => b.payload === "task"))("GetTask of a $prefix task", async (behaviour) => {
    const sent = await sendVia(binding, { message: tckMessage(behaviour.prefix) });
    const task = await getVia(binding, sent.task.id);
    expectWire("Task", task);
    expect(task).toEqual(sent.task);
  });

  it.each([undefined, 0, 1, 100])("GetTask with historyLength %s", async (historyLength) => {
    // An input-required task that was resumed and then produced an artifact: 3 messages and one artifact.
    const first = await sendVia(binding, { message: tckMessage("tck-input-required") });
    const sent = await sendVia(binding, { message: tckMessage("tck-artifact-text", { taskId: first.task.id }) });
    expect(sent.task.history).toHaveLength(3);
    const task = await getVia(binding, sent.task.id, historyLength);
    expectWire("Task", task);
    if (historyLength === 0) expect(task).not.toHaveProperty("history");
    else expect(task.history).toEqual(sent.task.history.slice(-(historyLength ?? 3))); // the newest n, oldest first
    expect(task.artifacts).toHaveLength(1); // GetTask always includes artifacts
  });

  it("CancelTask of an input-required task", async () => {
    const sent = await sendVia(binding, { message: tckMessage("tck-input-required") });
    const canceled = await cancelVia(binding, sent.task.id);
    expectWire("Task", canceled);
    expect(canceled.status.state).toBe("TASK_STATE_CANCELED");
    expectWire("Task", await getVia(binding, sent.task.id));
  });

  it("CancelTask of a working task", async () => {
    const sent = await sendVia(binding, { message: makeMessage({ metadata: { demoDelayMs: 10_000 } }), configuration: { returnImmediately: true } });
    const canceled = await cancelVia(binding, sent.task.id);
    expectWire("Task", canceled);
    expect(canceled.status.state).toBe("TASK_STATE_CANCELED");
  });
});

describe("ListTasks responses validate as List Tasks Response", () => {
  /** ListTasks reads the Postgres index, which the task object writes asynchronously: poll until it caught up. */
  async function listUntil(list: () => Promise<any>, ready: (response: any) => boolean) {
    return eventually(
      async () => {
        const response = await list();
        return ready(response) ? response : undefined;
      },
      15_000,
      "the task index to catch up",
    );
  }

  /** Three tasks in one fresh tenant and context: artifacts, input-required, plain echo. */
  async function seed(tenant: string) {
    const contextId = `ctx-${uid()}`;
    const ids: string[] = [];
    for (const prefix of ["tck-artifact-file", "tck-input-required", "echo"]) {
      const result = await sendVia("jsonrpc", { message: tckMessage(prefix, { contextId }) }, tenant);
      ids.push(result.task.id);
    }
    return { contextId, ids };
  }

  it("REST GET /{tenant}/tasks?includeArtifacts=true, and paging through it", async () => {
    const tenant = `t-${uid()}`;
    const { contextId, ids } = await seed(tenant);
    const everything = await listUntil(
      async () => (await rest("GET", `/${tenant}/tasks?contextId=${contextId}&includeArtifacts=true`)).body,
      (body) => body?.tasks?.length === 3 && body.tasks.every((t: any) => t.status.state !== "TASK_STATE_SUBMITTED" && t.status.state !== "TASK_STATE_WORKING"),
    );
    expectWire("List Tasks Response", everything);
    expect(everything.tasks.map((t: any) => t.id).sort()).toEqual([...ids].sort());
    expect(everything).toMatchObject({ nextPageToken: "", pageSize: 50, totalSize: 3 });
    const timestamps = everything.tasks.map((t: any) => t.status.timestamp);
    expect(timestamps).toEqual([...timestamps].sort().reverse()); // newest status first
    const withArtifacts = everything.tasks.find((t: any) => t.id === ids[0]);
    expect(withArtifacts.artifacts[0].parts).toEqual([{ raw: btoa("tck"), mediaType: "text/plain", filename: "output.txt" }]);

    const withoutArtifacts = (await rest("GET", `/${tenant}/tasks?contextId=${contextId}`)).body;
    expectWire("List Tasks Response", withoutArtifacts);
    for (const task of withoutArtifacts.tasks) expect(task).not.toHaveProperty("artifacts");

    const first = await rest("GET", `/${tenant}/tasks?pageSize=2&includeArtifacts=true`);
    expect(first.status).toBe(200);
    expectWire("List Tasks Response", first.body);
    expect(first.body).toMatchObject({ pageSize: 2, totalSize: 3 });
    expect(first.body.nextPageToken).not.toBe("");
    const second = await rest("GET", `/${tenant}/tasks?pageSize=2&includeArtifacts=true&pageToken=${encodeURIComponent(first.body.nextPageToken)}`);
    expectWire("List Tasks Response", second.body);
    expect(second.body).toMatchObject({ nextPageToken: "", pageSize: 2, totalSize: 3 });
    expect([...first.body.tasks, ...second.body.tasks].map((t: any) => t.id).sort()).toEqual([...ids].sort());
  });

  it("JSON-RPC ListTasks, with historyLength 0 and 1 and a status filter", async () => {
    const tenant = `t-${uid()}`;
    const { ids } = await seed(tenant);
    const list = async (params: Record<string, unknown>) => {
      const { body } = await rpc("ListTasks", { tenant, ...params });
      expect(body.error, JSON.stringify(body.error)).toBeUndefined();
      return body.result;
    };
    const all = await listUntil(() => list({ includeArtifacts: true }), (r) => r.tasks.length === 3);
    expectWire("List Tasks Response", all);
    expect(all.totalSize).toBe(3);

    const none = await list({ historyLength: 0 });
    expectWire("List Tasks Response", none);
    for (const task of none.tasks) expect(task).not.toHaveProperty("history");
    const one = await list({ historyLength: 1 });
    expectWire("List Tasks Response", one);
    for (const task of one.tasks) expect(task.history).toHaveLength(1);

    const waiting = await list({ status: "TASK_STATE_INPUT_REQUIRED" });
    expectWire("List Tasks Response", waiting);
    expect(waiting.tasks.map((t: any) => t.id)).toEqual([ids[1]]);
  });

  it("an empty list still carries every REQUIRED member", async () => {
    const { body } = await rpc("ListTasks", { tenant: `t-${uid()}` });
    expectWire("List Tasks Response", body.result);
    expect(body.result).toEqual({ tasks: [], nextPageToken: "", pageSize: 50, totalSize: 0 });
    const viaRest = await rest("GET", `/t-${uid()}/tasks`);
    expectWire("List Tasks Response", viaRest.body);
  });
});

describe("error bodies have the documented shapes (checked structurally: a2a.json has no error definitions)", () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    worker(JSONRPC_URL, { method: "POST", headers: { "Content-Type": "application/json", "A2A-Version": "1.0", ...headers }, body });

  it.each([
    ["TaskNotFound", () => rpc("GetTask", { id: uid() }), -32001, "TASK_NOT_FOUND"],
    ["TaskNotCancelable", async () => rpc("CancelTask", { id: (await rpc("SendMessage", { message: makeMessage() })).body.result.task.id }), -32002, "TASK_NOT_CANCELABLE"],
    ["UnsupportedOperation", async () => rpc("SendMessage", { message: makeMessage({ taskId: (await rpc("SendMessage", { message: makeMessage() })).body.result.task.id }) }), -32004, "UNSUPPORTED_OPERATION"],
    ["ContentTypeNotSupported", () => rpc("SendMessage", { message: makeMessage({ parts: [{ raw: "dGNr", mediaType: "application/x-unsupported-tck-type" }] }) }), -32005, "CONTENT_TYPE_NOT_SUPPORTED"],
    ["VersionNotSupported", () => rpc("GetTask", { id: "x" }, { "A2A-Version": "99.0" }), -32009, "VERSION_NOT_SUPPORTED"],
    ["InvalidParams (with BadRequest)", () => rpc("SendMessage", { message: { ...makeMessage(), parts: [] } }), -32602, "INVALID_PARAMS"],
    ["MethodNotFound", () => rpc("NoSuchMethod", {}), -32601, "METHOD_NOT_FOUND"],
    ["ParseError", async () => ({ body: (await (await post("{")).json()) as any }), -32700, "PARSE_ERROR"],
    ["InvalidRequest", async () => ({ body: (await (await post('{"jsonrpc":"2.0","id":1}')).json()) as any }), -32600, "INVALID_REQUEST"],
  ] as const)("JSON-RPC %s", async (_, call, code, reason) => {
    const { body } = await call();
    expect(jsonRpcErrorViolations(body)).toEqual([]);
    expect(body.error.code).toBe(code);
    expect(reasonOf(body.error.data)).toBe(reason);
  });

  it("JSON-RPC InvalidParams carries a BadRequest with the failing field", async () => {
    const { body } = await rpc("GetTask", { id: "x", historyLength: -1 });
    expect(jsonRpcErrorViolations(body)).toEqual([]);
    const badRequest = body.error!.data.find((d: any) => d["@type"] === "type.googleapis.com/google.rpc.BadRequest");
    expect(badRequest.fieldViolations).toEqual([expect.objectContaining({ field: "historyLength" })]);
  });

  it.each([
    ["TaskNotFound", () => rest("GET", `/tasks/${uid()}`), 404, "TASK_NOT_FOUND"],
    ["TaskNotFound on cancel", () => rest("POST", `/tasks/${uid()}:cancel`, {}), 404, "TASK_NOT_FOUND"],
    ["TaskNotCancelable", async () => rest("POST", `/tasks/${(await rest("POST", "/message:send", { message: makeMessage() })).body.task.id}:cancel`, {}), 409, "TASK_NOT_CANCELABLE"],
    ["UnsupportedOperation", async () => rest("POST", "/message:send", { message: makeMessage({ taskId: (await rest("POST", "/message:send", { message: makeMessage() })).body.task.id }) }), 400, "UNSUPPORTED_OPERATION"],
    ["ContentTypeNotSupported (request Content-Type)", () => rest("POST", "/message:send", JSON.stringify({ message: makeMessage() }), { "Content-Type": "text/plain" }), 415, "CONTENT_TYPE_NOT_SUPPORTED"],
    ["VersionNotSupported", () => rest("GET", "/tasks/x", undefined, { "A2A-Version": "99.0" }), 400, "VERSION_NOT_SUPPORTED"],
    ["InvalidParams", () => rest("POST", "/message:send", { message: { ...makeMessage(), role: "ROLE_AGENT" } }), 400, "INVALID_PARAMS"],
    ["ParseError", () => rest("POST", "/message:send", "{"), 400, "PARSE_ERROR"],
    ["an unknown route", () => rest("GET", "/nope"), 404, "ROUTE_NOT_FOUND"],
    ["a wrong verb", () => rest("DELETE", "/tasks/x"), 405, "METHOD_NOT_ALLOWED"],
  ] as const)("REST %s", async (_, call, status, reason) => {
    const { response, body } = await call();
    expect(response.status).toBe(status);
    expect(response.headers.get("Content-Type")).toContain("application/json");
    expect(restErrorViolations(body, status)).toEqual([]);
    expect(reasonOf(body.error.details)).toBe(reason);
  });
});

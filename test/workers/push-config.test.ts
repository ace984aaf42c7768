import { credentialHeaders, DEFAULT_OWNER } from "../helpers/auth";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../workers/app";
import { taskObject } from "../../workers/tasks";
import { JSONRPC_URL, makeMessage, ORIGIN, reasonOf, rest, rpc } from "../helpers/a2a";
import { HOSTILE_URLS } from "../helpers/hostile-urls";
import { jsonRpcErrorViolations, restErrorViolations, validateWire, validateWireStrict } from "../helpers/wire-schema";

type Binding = "jsonrpc" | "rest";
const BINDINGS: Binding[] = ["jsonrpc", "rest"];
const HOOK = "https://example.com/tck-push-webhook";
const uid = () => crypto.randomUUID();

function expectWire(definition: string, value: unknown) {
  expect(validateWire(definition, value), `${definition} vs a2a.json`).toEqual([]);
  expect(validateWireStrict(definition, value), `${definition} vs a2a.json + proto`).toEqual([]);
}

async function newTask(prefix = "tck-input-required", tenant?: string): Promise<string> {
  const { body } = await rpc("SendMessage", { message: makeMessage({ messageId: `${prefix}-${uid()}` }), ...(tenant ? { tenant } : {}) });
  if (!body.result?.task) throw new Error(JSON.stringify(body));
  return body.result.task.id;
}

/** One push config call through a binding: `{ ok, value }` or `{ ok: false, code, reason, body }`. */
async function call(binding: Binding, method: string, params: Record<string, any>, tenant?: string) {
  if (binding === "jsonrpc") {
    const { body } = await rpc(method, tenant ? { ...params, tenant } : params);
    if (body.error) return { ok: false as const, code: body.error.code, reason: reasonOf(body.error.data), body };
    return { ok: true as const, value: body.result, status: 200 };
  }
  const { taskId, ...fields } = params;
  const base = `${tenant ? `/${tenant}` : ""}/tasks/${encodeURIComponent(taskId)}/pushNotificationConfigs`;
  const result =
    method === "CreateTaskPushNotificationConfig"
      ? await rest("POST", base, fields)
      : method === "GetTaskPushNotificationConfig"
        ? await rest("GET", `${base}/${encodeURIComponent(fields.id)}`)
        : method === "DeleteTaskPushNotificationConfig"
          ? await rest("DELETE", `${base}/${encodeURIComponent(fields.id)}`)
          : await rest("GET", `${base}?${new URLSearchParams(fields as Record<string, string>)}`);
  if (result.status >= 400) return { ok: false as const, code: result.status, reason: reasonOf(result.body.error?.details), body: result.body };
  return { ok: true as const, value: result.body, status: result.status };
}

describe.each(BINDINGS)("push config methods over %s (§2 rows 7-10, §6)", (binding) => {
  it("create, get, list, delete, and the deleted config is gone (PUSH-CREATE/GET/LIST/DEL-001)", async () => {
    const taskId = await newTask();
    const config = { id: `push-${uid()}`, url: HOOK, token: "tok-1", authentication: { scheme: "Bearer", credentials: "secret" } };
    const created = await call(binding, "CreateTaskPushNotificationConfig", { taskId, ...config });
    expect(created).toMatchObject({ ok: true, status: binding === "rest" ? 201 : 200 });
    expect(created.ok && created.value).toEqual({ ...config, taskId });
    expectWire("Task Push Notification Config", created.ok && created.value);

    const got = await call(binding, "GetTaskPushNotificationConfig", { taskId, id: config.id });
    expect(got.ok && got.value).toEqual({ ...config, taskId });

    const listed = await call(binding, "ListTaskPushNotificationConfigs", { taskId });
    expect(listed.ok && listed.value).toEqual({ configs: [{ ...config, taskId }], nextPageToken: "" });
    expectWire("List Task Push Notification Configs Response", listed.ok && listed.value);

    const deleted = await call(binding, "DeleteTaskPushNotificationConfig", { taskId, id: config.id });
    expect(deleted).toMatchObject({ ok: true, status: binding === "rest" ? 204 : 200 });
    if (binding === "jsonrpc") expect(deleted.ok && deleted.value).toEqual({});
    const gone = await call(binding, "GetTaskPushNotificationConfig", { taskId, id: config.id });
    expect(gone).toMatchObject({ ok: false, reason: "TASK_NOT_FOUND" });
    expect(gone.ok ? "" : JSON.stringify(gone.body)).toContain(`Push notification config ${config.id} not found`);
  });

  it("delete is idempotent (PUSH-DEL-002): an unknown config id is not an error", async () => {
    const taskId = await newTask();
    expect(await call(binding, "DeleteTaskPushNotificationConfig", { taskId, id: "never-created" })).toMatchObject({ ok: true });
  });

  it("assigns an id when the client gives none, and a config can be added to a completed task (the TCK does)", async () => {
    const taskId = await newTask("tck-complete-task");
    const created = await call(binding, "CreateTaskPushNotificationConfig", { taskId, url: HOOK });
    expect(created.ok && created.value.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.ok && created.value).toEqual({ id: created.ok && created.value.id, taskId, url: HOOK });
  });

  it("creating with an existing id replaces that config", async () => {
    const taskId = await newTask();
    await call(binding, "CreateTaskPushNotificationConfig", { taskId, id: "same", url: HOOK, token: "old" });
    await call(binding, "CreateTaskPushNotificationConfig", { taskId, id: "same", url: `${HOOK}/v2` });
    const listed = await call(binding, "ListTaskPushNotificationConfigs", { taskId });
    expect(listed.ok && listed.value.configs).toEqual([{ id: "same", taskId, url: `${HOOK}/v2` }]);
  });

  it("lists in registration order, a page at a time", async () => {
    const taskId = await newTask();
    for (const id of ["a", "b", "c"]) await call(binding, "CreateTaskPushNotificationConfig", { taskId, id, url: HOOK });
    const first = await call(binding, "ListTaskPushNotificationConfigs", { taskId, pageSize: "2" });
    expect(first.ok && first.value.configs.map((c: any) => c.id)).toEqual(["a", "b"]);
    const token = first.ok ? first.value.nextPageToken : "";
    expect(token).not.toBe("");
    const second = await call(binding, "ListTaskPushNotificationConfigs", { taskId, pageSize: "2", pageToken: token });
    expect(second.ok && second.value).toEqual({ configs: [{ id: "c", taskId, url: HOOK }], nextPageToken: "" });
    const bad = await call(binding, "ListTaskPushNotificationConfigs", { taskId, pageToken: "bm9wZQ" });
    expect(bad).toMatchObject({ ok: false, reason: "INVALID_PARAMS" });
  });

  it("an unknown task → TaskNotFound for all four methods", async () => {
    const taskId = uid();
    for (const [method, params] of [
      ["CreateTaskPushNotificationConfig", { taskId, url: HOOK }],
      ["GetTaskPushNotificationConfig", { taskId, id: "c" }],
      ["ListTaskPushNotificationConfigs", { taskId }],
      ["DeleteTaskPushNotificationConfig", { taskId, id: "c" }],
    ] as const) {
      const result = await call(binding, method, params);
      expect(result, method).toMatchObject({ ok: false, code: binding === "rest" ? 404 : -32001, reason: "TASK_NOT_FOUND" });
    }
  });

  it("configs are scoped like their task: another tenant sees TaskNotFound", async () => {
    const taskId = await newTask("tck-input-required", "acme");
    expect(await call(binding, "CreateTaskPushNotificationConfig", { taskId, id: "mine", url: HOOK }, "acme")).toMatchObject({ ok: true });
    const viaAcme = await call(binding, "GetTaskPushNotificationConfig", { taskId, id: "mine" }, "acme");
    expect(viaAcme.ok && viaAcme.value).toEqual({ tenant: "acme", id: "mine", taskId, url: HOOK });
    for (const tenant of [undefined, "globex"]) {
      expect(await call(binding, "GetTaskPushNotificationConfig", { taskId, id: "mine" }, tenant)).toMatchObject({ ok: false, reason: "TASK_NOT_FOUND" });
      expect(await call(binding, "ListTaskPushNotificationConfigs", { taskId }, tenant)).toMatchObject({ ok: false, reason: "TASK_NOT_FOUND" });
      expect(await call(binding, "DeleteTaskPushNotificationConfig", { taskId, id: "mine" }, tenant)).toMatchObject({ ok: false, reason: "TASK_NOT_FOUND" });
    }
  });

  it("a refused webhook URL → InvalidParams naming the field and the reason", async () => {
    const taskId = await newTask();
    const result = await call(binding, "CreateTaskPushNotificationConfig", { taskId, url: "https://169.254.169.254/latest/meta-data/" });
    expect(result).toMatchObject({ ok: false, reason: "INVALID_PARAMS" });
    const details = binding === "jsonrpc" ? result.body.error.data : result.body.error.details;
    const badRequest = details.find((d: any) => d["@type"] === "type.googleapis.com/google.rpc.BadRequest");
    expect(badRequest.fieldViolations).toEqual([{ field: "url", description: expect.stringMatching(/169\.254\.169\.254, a cloud metadata address/) }]);
  });
});

describe("configs belong to the task's owner", () => {
  it("any other owner gets TaskNotFound from the task object itself", async () => {
    const taskId = await newTask();
    const object = taskObject(env, taskId);
    const owner = { agent: "demo", tenant: "", owner: DEFAULT_OWNER };
    const mallory = { agent: "demo", tenant: "", owner: "mallory" };
    expect(await object.createPushConfig({ scope: owner, taskId, config: { id: "c1", url: HOOK } })).toMatchObject({ ok: true });
    for (const outcome of [
      await object.createPushConfig({ scope: mallory, taskId, config: { id: "c2", url: HOOK } }),
      await object.getPushConfig({ scope: mallory, taskId, id: "c1" }),
      await object.listPushConfigs({ scope: mallory, taskId }),
      await object.deletePushConfig({ scope: mallory, taskId, id: "c1" }),
    ]) {
      expect(outcome).toMatchObject({ ok: false, error: { type: "TaskNotFound" } });
    }
    expect(await object.listPushConfigs({ scope: owner, taskId })).toMatchObject({ ok: true, value: { configs: [{ id: "c1" }] } });
  });

  it("a task keeps at most 16 configs; replacing one is still allowed", async () => {
    const taskId = await newTask();
    for (let i = 0; i < 16; i++) expect((await rpc("CreateTaskPushNotificationConfig", { taskId, id: `c${i}`, url: HOOK })).body.result).toBeDefined();
    const full = await rpc("CreateTaskPushNotificationConfig", { taskId, id: "c16", url: HOOK });
    expect(full.body.error?.code).toBe(-32602);
    expect(full.body.error?.message).toContain("at most 16");
    expect((await rpc("CreateTaskPushNotificationConfig", { taskId, id: "c3", url: `${HOOK}/new` })).body.result).toBeDefined();
  });
});

describe("hostile webhook URLs are refused at registration, on every path in", () => {
  let taskId: string;
  beforeAll(async () => {
    taskId = await newTask();
  });

  it.each(HOSTILE_URLS)("CreateTaskPushNotificationConfig refuses %s", async (url, why) => {
    const { body } = await rpc("CreateTaskPushNotificationConfig", { taskId, url });
    expect(body.error?.code).toBe(-32602);
    expect(body.error?.message).toMatch(why);
    expect(jsonRpcErrorViolations(body)).toEqual([]);
  });

  it.each(HOSTILE_URLS.slice(0, 12))("inline configuration.taskPushNotificationConfig refuses %s", async (url, why) => {
    const { body } = await rpc("SendMessage", { message: makeMessage(), configuration: { taskPushNotificationConfig: { url } } });
    expect(body.error?.code).toBe(-32602);
    const badRequest = body.error!.data.find((d: any) => d["@type"] === "type.googleapis.com/google.rpc.BadRequest");
    expect(badRequest.fieldViolations[0].field).toBe("configuration.taskPushNotificationConfig.url");
    expect(badRequest.fieldViolations[0].description).toMatch(why);
  });

  it("REST refuses a token or credentials with CR/LF (header injection)", async () => {
    const result = await rest("POST", `/tasks/${taskId}/pushNotificationConfigs`, {
      url: HOOK,
      token: "t\r\nX-Injected: 1",
      authentication: { scheme: "Bearer", credentials: "c\nHost: evil" },
    });
    expect(result.status).toBe(400);
    expect(restErrorViolations(result.body, 400)).toEqual([]);
    const badRequest = result.body.error.details.find((d: any) => d["@type"] === "type.googleapis.com/google.rpc.BadRequest");
    expect(badRequest.fieldViolations.map((v: any) => v.field)).toEqual(["token", "authentication.credentials"]);
  });
});

describe("push notifications turned off (PUSH_NOTIFICATIONS=false)", () => {
  const offEnv = { ...env, PUSH_NOTIFICATIONS: "false" } as Env;
  const app = createApp();
  const OFF_ORIGIN = "https://push-off.test";
  const fetchOff = async (path: string, init: RequestInit = {}) =>
    app.fetch(new Request(`${OFF_ORIGIN}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), ...(await credentialHeaders()) } }), offEnv);
  const v1 = { "A2A-Version": "1.0", "Content-Type": "application/json" };

  it("the card says pushNotifications: false", async () => {
    const card: any = await (await fetchOff("/.well-known/agent-card.json")).json();
    expect(card.capabilities.pushNotifications).toBe(false);
  });

  it.each([
    ["CreateTaskPushNotificationConfig", { taskId: "t", url: HOOK }],
    ["GetTaskPushNotificationConfig", { taskId: "t", id: "c" }],
    ["ListTaskPushNotificationConfigs", { taskId: "t" }],
    ["DeleteTaskPushNotificationConfig", { taskId: "t", id: "c" }],
    ["SendMessage", { message: makeMessage(), configuration: { taskPushNotificationConfig: { url: HOOK } } }],
  ] as const)("JSON-RPC %s → PushNotificationNotSupported -32003", async (method, params) => {
    const response = await fetchOff(new URL(JSONRPC_URL).pathname, { method: "POST", headers: v1, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
    const body: any = await response.json();
    expect(jsonRpcErrorViolations(body)).toEqual([]);
    expect(body.error.code).toBe(-32003);
    expect(reasonOf(body.error.data)).toBe("PUSH_NOTIFICATION_NOT_SUPPORTED");
  });

  it.each([
    ["POST", "/tasks/t1/pushNotificationConfigs", { url: HOOK }],
    ["GET", "/tasks/t1/pushNotificationConfigs", undefined],
    ["GET", "/tasks/t1/pushNotificationConfigs/c1", undefined],
    ["DELETE", "/tasks/t1/pushNotificationConfigs/c1", undefined],
  ] as const)("REST %s %s → 400 PUSH_NOTIFICATION_NOT_SUPPORTED", async (verb, path, body) => {
    const response = await fetchOff(`/a2a/rest${path}`, { method: verb, headers: v1, ...(body ? { body: JSON.stringify(body) } : {}) });
    const json: any = await response.json();
    expect(response.status).toBe(400);
    expect(restErrorViolations(json, 400)).toEqual([]);
    expect(json.error.status).toBe("FAILED_PRECONDITION");
    expect(reasonOf(json.error.details)).toBe("PUSH_NOTIFICATION_NOT_SUPPORTED");
  });
});

describe("JWKS for signed notifications", () => {
  it("GET /.well-known/jwks.json lists the public half of every signing key, and no private part", async () => {
    const response = await createApp().fetch(new Request(`${ORIGIN}/.well-known/jwks.json`), env);
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toContain("max-age");
    const { keys }: any = await response.json();
    const configured = JSON.parse((env as Env & { SIGNING_KEYS: string }).SIGNING_KEYS) as Array<{ kid: string }>;
    expect(keys.map((k: any) => k.kid)).toEqual(configured.map((k) => k.kid));
    for (const key of keys) {
      expect(key).toEqual({ kty: "EC", crv: "P-256", x: expect.any(String), y: expect.any(String), kid: key.kid, alg: "ES256", use: "sig" });
    }
  });

  it("is an empty set when signing is off", async () => {
    const response = await createApp().fetch(new Request(`${ORIGIN}/.well-known/jwks.json`), { ...env, SIGNING_KEYS: "" } as Env);
    expect(await response.json()).toEqual({ keys: [] });
  });
});

import { describe, expect, it } from "vitest";
import { eventually, makeMessage, reasonOf, rest, rpc, worker, type Credential } from "../helpers/a2a";
import { AUTH, mintToken } from "../helpers/auth";

/**
 * Every task, its history, push configs and subscriptions belong to (tenant, owner): another caller gets what a
 * missing task gets (REFERENCE §8: never reveal that it exists), and ListTasks lists only the caller's own.
 */

const uid = () => crypto.randomUUID().slice(0, 8);
const as = async (claims: Record<string, unknown>): Promise<Credential> => ({ bearer: await mintToken(claims) });

/** A task left waiting for input, so that subscribing to it and cancelling it would both be possible. */
async function waitingTask(owner: Credential, tenant?: string) {
  const message = makeMessage({ messageId: `tck-input-required-${crypto.randomUUID()}` });
  const { body } = await rpc("SendMessage", { message, ...(tenant ? { tenant } : {}) }, {}, owner);
  expect(body.error, JSON.stringify(body.error)).toBeUndefined();
  expect(body.result.task.status.state).toBe("TASK_STATE_INPUT_REQUIRED");
  return body.result.task as { id: string; contextId: string };
}

/** The JSON-RPC error (reason) and the REST status + reason a caller gets for a call; `ok` when it succeeded. */
async function outcomeOf(method: string, params: Record<string, unknown>, restCall: [string, string, unknown?], who: Credential) {
  const viaRpc = await rpc(method, params, {}, who);
  const viaRest = await worker(
    `https://agent.test/a2a/rest${restCall[1]}`,
    {
      method: restCall[0],
      headers: { "A2A-Version": "1.0", ...(restCall[2] === undefined ? {} : { "Content-Type": "application/json" }) },
      ...(restCall[2] === undefined ? {} : { body: JSON.stringify(restCall[2]) }),
    },
    who,
  );
  const text = await viaRest.text();
  const restBody = text ? JSON.parse(text) : {};
  return {
    rpc: viaRpc.body.error ? reasonOf(viaRpc.body.error.data) : "ok",
    rest: `${viaRest.status} ${viaRest.status >= 400 ? reasonOf(restBody.error?.details) : "ok"}`,
  };
}

/** Each operation on a task, as JSON-RPC params and as a REST call. */
const OPERATIONS = (taskId: string) =>
  [
    ["GetTask", { id: taskId }, ["GET", `/tasks/${taskId}`]],
    ["CancelTask", { id: taskId }, ["POST", `/tasks/${taskId}:cancel`, {}]],
    ["SendMessage (a follow-up)", { message: makeMessage({ taskId }) }, ["POST", "/message:send", { message: makeMessage({ taskId }) }]],
    ["SubscribeToTask", { id: taskId }, ["POST", `/tasks/${taskId}:subscribe`, {}]],
    ["CreateTaskPushNotificationConfig", { taskId, url: "https://example.com/hook" }, ["POST", `/tasks/${taskId}/pushNotificationConfigs`, { url: "https://example.com/hook" }]],
    ["GetTaskPushNotificationConfig", { taskId, id: "c1" }, ["GET", `/tasks/${taskId}/pushNotificationConfigs/c1`]],
    ["ListTaskPushNotificationConfigs", { taskId }, ["GET", `/tasks/${taskId}/pushNotificationConfigs`]],
    ["DeleteTaskPushNotificationConfig", { taskId, id: "c1" }, ["DELETE", `/tasks/${taskId}/pushNotificationConfigs/c1`]],
  ] as const;

const methodOf = (name: string) => name.split(" ")[0]!;

describe("another owner cannot reach a task (§9)", () => {
  it.each(OPERATIONS("placeholder").map(([name]) => name))("%s on another owner's task answers exactly as for a missing task", async (name) => {
    const alice = await as({ sub: `alice-${uid()}` });
    const mallory = await as({ sub: `mallory-${uid()}` });
    const task = await waitingTask(alice);
    const [, params, restCall] = OPERATIONS(task.id).find(([n]) => n === name)!;
    const [, missingParams, missingRest] = OPERATIONS(crypto.randomUUID()).find(([n]) => n === name)!;
    const method = methodOf(name);
    const onTheirs = await outcomeOf(method, params as never, restCall as never, mallory);
    const onMissing = await outcomeOf(method, missingParams as never, missingRest as never, mallory);
    expect(onTheirs).toEqual(onMissing);
    expect(onTheirs.rpc).not.toBe("ok");
    // Where the operation is served, "missing" is TaskNotFound (streaming and push may still be switched off).
    if (["GetTask", "CancelTask", "SendMessage"].includes(method)) expect(onTheirs).toEqual({ rpc: "TASK_NOT_FOUND", rest: "404 TASK_NOT_FOUND" });
    const card: any = await (await worker("https://agent.test/.well-known/agent-card.json")).json();
    if (method === "SubscribeToTask" && card.capabilities.streaming) expect(onTheirs.rpc).toBe("TASK_NOT_FOUND");
    if (method.includes("PushNotificationConfig") && card.capabilities.pushNotifications) expect(onTheirs.rpc).toBe("TASK_NOT_FOUND");
    // And the task is untouched: its owner still finds it waiting for input.
    const mine = await rpc("GetTask", { id: task.id }, {}, alice);
    expect(mine.body.result.status.state).toBe("TASK_STATE_INPUT_REQUIRED");
  });

  it("an API key's owner and a JWT's owner are separate too", async () => {
    const task = await waitingTask({ apiKey: AUTH.apiKeys.plain });
    const { body } = await rpc("GetTask", { id: task.id }, {}, await as({ sub: `someone-${uid()}` }));
    expect(reasonOf(body.error?.data)).toBe("TASK_NOT_FOUND");
    expect((await rpc("GetTask", { id: task.id }, {}, { apiKey: AUTH.apiKeys.plain })).body.result.id).toBe(task.id);
  });

  it("ListTasks shows each owner only their own tasks, history included", async () => {
    const tenant = `iso-${uid()}`;
    const alice = await as({ sub: `alice-${uid()}` });
    const bob = await as({ sub: `bob-${uid()}` });
    const task = await waitingTask(alice, tenant);
    const listed = await eventually(async () => {
      const { body } = await rpc("ListTasks", { tenant }, {}, alice);
      return body.result.tasks.length === 1 ? body.result : undefined;
    }, 6_000, "alice's task in the index");
    expect(listed.tasks[0].id).toBe(task.id);
    expect(listed.tasks[0].history.length).toBeGreaterThan(0);
    const theirs = await rest("GET", `/${tenant}/tasks`, undefined, {}, bob);
    expect(theirs.status).toBe(200);
    expect(theirs.body).toMatchObject({ tasks: [], totalSize: 0 });
  });
});

describe("tenants from the credentials (§9)", () => {
  it("a tenant-bound token works in its tenant, named or not", async () => {
    const tenant = `acme-${uid()}`;
    const member = await as({ sub: `member-${uid()}`, tenant });
    const task = await waitingTask(member);
    expect((await rest("GET", `/${tenant}/tasks/${task.id}`, undefined, {}, member)).status).toBe(200);
    expect((await rpc("GetTask", { tenant, id: task.id }, {}, member)).body.result.id).toBe(task.id);
    expect((await rpc("GetTask", { id: task.id }, {}, member)).body.result.id).toBe(task.id);
  });

  it("naming another tenant than the token's → 403 PERMISSION_DENIED on both bindings", async () => {
    const member = await as({ sub: `member-${uid()}`, tenant: `acme-${uid()}` });
    const viaRest = await rest("GET", "/globex/tasks", undefined, {}, member);
    expect(viaRest.status).toBe(403);
    expect(viaRest.body.error).toMatchObject({ code: 403, status: "PERMISSION_DENIED" });
    const viaRpc = await rpc("ListTasks", { tenant: "globex" }, {}, member);
    expect(viaRpc.response.status).toBe(403);
    expect(viaRpc.body.error?.code).toBe(-32000);
    expect(reasonOf(viaRpc.body.error?.data)).toBe("PERMISSION_DENIED");
  });

  it("an API key bound to a tenant is held to it as well", async () => {
    const key = { apiKey: AUTH.apiKeys.operator };
    expect((await rest("GET", "/keyed-tenant/tasks", undefined, {}, key)).status).toBe(200);
    expect((await rest("GET", "/other-tenant/tasks", undefined, {}, key)).status).toBe(403);
  });

  it("the same subject in another tenant does not see the task, nor list it", async () => {
    const sub = `twin-${uid()}`;
    const [tenantA, tenantB] = [`a-${uid()}`, `b-${uid()}`];
    const inA = await as({ sub, tenant: tenantA });
    const inB = await as({ sub, tenant: tenantB });
    const task = await waitingTask(inA);
    expect(reasonOf((await rpc("GetTask", { id: task.id }, {}, inB)).body.error?.data)).toBe("TASK_NOT_FOUND");
    expect(reasonOf((await rpc("CancelTask", { id: task.id }, {}, inB)).body.error?.data)).toBe("TASK_NOT_FOUND");
    await eventually(async () => ((await rpc("ListTasks", {}, {}, inA)).body.result.tasks.length === 1 ? true : undefined), 6_000, "the task in A's list");
    expect((await rpc("ListTasks", {}, {}, inB)).body.result.tasks).toEqual([]);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { eventually, makeMessage, rest, rpc } from "../helpers/a2a";

/** A tenant of this file's own, so the index holds exactly the tasks created here. */
const tenant = `lt-${crypto.randomUUID().slice(0, 8)}`;
const contextA = `ctx-a-${crypto.randomUUID()}`;
const created: Array<{ id: string; state: string; contextId: string }> = [];

async function create(message = makeMessage()) {
  const result = await rest("POST", `/${tenant}/message:send`, { message });
  if (result.status !== 200) throw new Error(JSON.stringify(result.body));
  created.push({ id: result.body.task.id, state: result.body.task.status.state, contextId: result.body.task.contextId });
  return result.body.task;
}

beforeAll(async () => {
  for (let i = 0; i < 5; i++) await create(makeMessage({ contextId: contextA }, `a${i}`));
  await create(makeMessage({ messageId: `tck-artifact-text-${crypto.randomUUID()}` }));
  await create(makeMessage({ messageId: `tck-input-required-${crypto.randomUUID()}` }));
  // The index trails the task objects by one asynchronous write: wait for all of them.
  await eventually(async () => {
    const { body } = await rest("GET", `/${tenant}/tasks?pageSize=100`);
    return body?.totalSize === created.length && body.tasks.every((t: any) => t.status.state !== "TASK_STATE_SUBMITTED") ? true : undefined;
  }, 15_000, "every task in the index");
});

describe("ListTasks from Postgres (§3.1.4)", () => {
  it("pages newest first with an opaque cursor, no gaps and no repeats", async () => {
    const seen: any[] = [];
    let pageToken = "";
    const sizes: number[] = [];
    do {
      const { status, body } = await rest("GET", `/${tenant}/tasks?pageSize=3${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ""}`);
      expect(status).toBe(200);
      expect(body.pageSize).toBe(3);
      expect(body.totalSize).toBe(7);
      sizes.push(body.tasks.length);
      seen.push(...body.tasks);
      pageToken = body.nextPageToken;
    } while (pageToken !== "");
    expect(sizes).toEqual([3, 3, 1]);
    expect(new Set(seen.map((t) => t.id)).size).toBe(7);
    expect(seen.map((t) => t.id).sort()).toEqual(created.map((t) => t.id).sort());
    const stamps = seen.map((t) => Date.parse(t.status.timestamp));
    expect([...stamps].sort((a, b) => b - a)).toEqual(stamps);
  });

  it("filters by contextId and by status", async () => {
    const byContext = await rest("GET", `/${tenant}/tasks?contextId=${contextA}`);
    expect(byContext.body.totalSize).toBe(5);
    expect(byContext.body.tasks.every((t: any) => t.contextId === contextA)).toBe(true);
    const waiting = await rest("GET", `/${tenant}/tasks?status=TASK_STATE_INPUT_REQUIRED`);
    expect(waiting.body.tasks.map((t: any) => t.id)).toEqual([created[6]!.id]);
  });

  // proto3 cannot tell TASK_STATE_UNSPECIFIED (0) from an unset status; @a2a-js/sdk 1.3 sends "UNRECOGNIZED" for
  // listTasks({}). Each is the absence of a filter, not a bad one.
  it.each([["TASK_STATE_UNSPECIFIED"], [0], ["UNRECOGNIZED"]])("status %j is no filter", async (status) => {
    const { body } = await rpc("ListTasks", { tenant, status });
    expect(body.error).toBeUndefined();
    expect(body.result.totalSize).toBe(7);
  });

  it.each([["TASK_STATE_UNSPECIFIED"], ["UNRECOGNIZED"]])("status=%s in the query is no filter", async (status) => {
    const { status: http, body } = await rest("GET", `/${tenant}/tasks?status=${status}`);
    expect(http).toBe(200);
    expect(body.totalSize).toBe(7);
  });

  it("statusTimestampAfter keeps tasks whose status is at or after it", async () => {
    const all = (await rest("GET", `/${tenant}/tasks`)).body.tasks;
    const pivot = all[2].status.timestamp;
    const after = await rest("GET", `/${tenant}/tasks?statusTimestampAfter=${encodeURIComponent(pivot)}`);
    expect(after.body.tasks.length).toBeGreaterThanOrEqual(3);
    expect(after.body.tasks.every((t: any) => Date.parse(t.status.timestamp) >= Date.parse(pivot))).toBe(true);
  });

  it("omits artifacts unless includeArtifacts is true, and honours historyLength", async () => {
    const plain = await rest("GET", `/${tenant}/tasks?historyLength=0`);
    expect(plain.body.tasks.some((t: any) => "artifacts" in t)).toBe(false);
    expect(plain.body.tasks.some((t: any) => "history" in t)).toBe(false);
    const withArtifacts = await rest("GET", `/${tenant}/tasks?includeArtifacts=true&historyLength=1`);
    const artifactTask = withArtifacts.body.tasks.find((t: any) => t.id === created[5]!.id);
    expect(artifactTask.artifacts[0].parts).toEqual([{ text: "Generated text content" }]);
    expect(withArtifacts.body.tasks.every((t: any) => t.history.length === 1)).toBe(true);
  });

  it("is the same over JSON-RPC with params.tenant", async () => {
    const { body } = await rpc("ListTasks", { tenant, pageSize: 4 });
    expect(body.result.tasks).toHaveLength(4);
    expect(body.result.totalSize).toBe(7);
    const next = await rpc("ListTasks", { tenant, pageSize: 4, pageToken: body.result.nextPageToken });
    expect(next.body.result.tasks).toHaveLength(3);
    expect(next.body.result.nextPageToken).toBe("");
  });

  it("shows another tenant nothing", async () => {
    const { body } = await rest("GET", `/other-${tenant}/tasks`);
    expect(body).toEqual({ tasks: [], nextPageToken: "", pageSize: 50, totalSize: 0 });
  });

  it("refuses a page token it did not issue", async () => {
    const { status, body } = await rest("GET", `/${tenant}/tasks?pageToken=not-a-token`);
    expect(status).toBe(400);
    expect(body.error.details[0].reason).toBe("INVALID_PARAMS");
  });
});

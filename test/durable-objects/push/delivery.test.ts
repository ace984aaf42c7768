import { DEFAULT_OWNER } from "../../helpers/auth";
import { env } from "cloudflare:workers";
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { AlarmScheduler } from "../../../durable-objects/alarms";
import { createApp } from "../../../workers/app";
import { taskObject } from "../../../workers/tasks";
import { eventually, makeMessage, ORIGIN, rpc } from "../../helpers/a2a";
import { captureLogs, type LogLine } from "../../helpers/logs";
import { delivered, newHook, parsed, received, summary, type Received } from "../../helpers/webhook";
import { validateWire } from "../../helpers/wire-schema";

const stubOf = (taskId: string) => env.TASKS.get(env.TASKS.idFromName(taskId));
const uid = () => crypto.randomUUID();
const SLOW = { timeout: 40_000 };

async function send(messageId: string, options: { taskId?: string; webhook?: Record<string, unknown> } = {}) {
  const message = makeMessage({ messageId: `${messageId}-${uid()}`, ...(options.taskId ? { taskId: options.taskId } : {}) });
  const configuration = options.webhook ? { taskPushNotificationConfig: options.webhook } : undefined;
  const { body } = await rpc("SendMessage", { message, ...(configuration ? { configuration } : {}) });
  if (!body.result?.task) throw new Error(JSON.stringify(body));
  return body.result.task;
}

/** The task's delivery state for one config, read from its SQLite. */
async function deliveryState(taskId: string, configId: string) {
  return runInDurableObject(stubOf(taskId), async (instance, state) => ({
    alarm: await state.storage.getAlarm(),
    // When push wants the object's alarm next (durable-objects/alarms.ts keeps due times in memory).
    pushDue: (instance as unknown as { alarms: AlarmScheduler<"index" | "push"> }).alarms.due("push"),
    version: state.storage.sql.exec<{ version: number }>("SELECT body ->> '$.version' AS version FROM task_log WHERE kind = 0").one().version,
    row: state.storage.sql.exec<{ cursor: number; attempts: number; parked: string | null }>(
      "SELECT cursor, attempts, parked FROM push_configs WHERE id = ?",
      configId,
    ).toArray()[0],
  }));
}

const seqs = (requests: Received[]) => requests.map((r) => parsed(r).seq);
const sha256Hex = async (text: string) =>
  Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))), (b) => b.toString(16).padStart(2, "0")).join("");

// Each test has its own task and its own hook on the receiver, so they run side by side: most of their
// time is spent waiting for real backoff.
describe.concurrent("webhook delivery from the task object (§6)", () => {
  // Every failed attempt is a warning for the operator. The tests run side by side, so the warnings are
  // captured for the whole group and each test finds its own by task id.
  let warned: LogLine[] = [];
  const warningsFor = (taskId: string) => warned.filter((line) => line.taskId === taskId);
  beforeAll(() => void (warned = captureLogs("warn")));
  afterAll(() => void vi.restoreAllMocks());

  it("delivers every status change and artifact, in order, with the right headers and body", async () => {
    const hook = newHook();
    const webhook = { id: "cfg-1", url: hook.url, token: "tok-123", authentication: { scheme: "Bearer", credentials: "s3cret" } };
    const task = await send("tck-input-required", { webhook });
    const done = await send("tck-artifact-text", { taskId: task.id });
    expect(done.status.state).toBe("TASK_STATE_COMPLETED");

    const requests = await delivered(hook.path, 5);
    expect(requests.map(summary)).toEqual(["task", "TASK_STATE_INPUT_REQUIRED", "TASK_STATE_WORKING", "artifactUpdate", "TASK_STATE_COMPLETED"]);
    // seq 3 is the user's follow-up message, which is history, not a stream event.
    expect(seqs(requests)).toEqual([1, 2, 4, 5, 6]);
    for (const request of requests) {
      expect(request.method).toBe("POST");
      expect(request.headers["content-type"]).toBe("application/a2a+json");
      expect(request.headers.authorization).toBe("Bearer s3cret");
      expect(request.headers["x-a2a-notification-token"]).toBe("tok-123");
      expect(request.headers["x-a2a-notification-id"]).toBe(`${task.id}/${parsed(request).seq}`);
      expect(validateWire("Stream Response", JSON.parse(request.body))).toEqual([]);
    }
    const bodies = requests.map((r) => parsed(r).body);
    expect(bodies[0].task).toMatchObject({ id: task.id, contextId: task.contextId, status: { state: "TASK_STATE_SUBMITTED" } });
    expect(bodies[3].artifactUpdate).toEqual({ taskId: task.id, contextId: task.contextId, artifact: done.artifacts[0] });
    expect(bodies[4].statusUpdate).toEqual({ taskId: task.id, contextId: task.contextId, status: done.status });

    // Drained: the cursor is at the last commit and push no longer needs the alarm.
    const state = await eventually(async () => {
      const s = await deliveryState(task.id, "cfg-1");
      return s.pushDue === undefined ? s : undefined;
    }, 5000, "the push alarm to be released");
    expect(state.row).toEqual({ cursor: state.version, attempts: 0, parked: null });
  });

  it("signs each notification: ES256 JWT over the body digest, verifiable with /.well-known/jwks.json", async () => {
    const hook = newHook();
    const task = await send("tck-complete-task", { webhook: { url: hook.url } });
    const requests = await delivered(hook.path, 2);
    const jwks = await (await createApp().fetch(new Request(`${ORIGIN}/.well-known/jwks.json`), env)).json();
    const keySet = createLocalJWKSet(jwks as any);
    const jtis = new Set<string>();
    for (const request of requests) {
      const token = request.headers["x-a2a-notification-signature"]!;
      const [current] = JSON.parse((env as Env & { SIGNING_KEYS: string }).SIGNING_KEYS) as Array<{ kid: string }>;
      expect(decodeProtectedHeader(token)).toEqual({ alg: "ES256", kid: current!.kid, typ: "JWT" });
      const { payload } = await jwtVerify(token, keySet, { audience: hook.url, algorithms: ["ES256"], maxTokenAge: "5m" });
      expect(payload.request_body_sha256).toBe(await sha256Hex(request.body));
      expect(payload.exp! - payload.iat!).toBe(300);
      jtis.add(payload.jti!);
    }
    expect(jtis.size).toBe(requests.length);
    expect(parsed(requests[1]!).body.statusUpdate.taskId).toBe(task.id);
  });

  it("TCK push scenario: tck-input-required with an inline config, then tck-complete-task, delivers within 15 s", async () => {
    const hook = newHook();
    const credentials = `tck-test-token-${uid()}`;
    const task = await send("tck-input-required", { webhook: { id: `tck-push-${uid()}`, url: hook.url, authentication: { scheme: "Bearer", credentials } } });
    const started = Date.now();
    await send("tck-complete-task", { taskId: task.id });
    const completed = await eventually(async () => {
      const done = (await received(hook.path)).find((r) => r.answered < 300 && summary(r) === "TASK_STATE_COMPLETED");
      return done;
    }, 15_000, "the COMPLETED notification");
    expect(completed.at - started).toBeLessThan(15_000);
    expect(completed.headers.authorization).toBe(`Bearer ${credentials}`);
    expect(validateWire("Stream Response", JSON.parse(completed.body))).toEqual([]);
  });

  it("receiver answering 503 for a while, then 200: nothing lost, nothing out of order", SLOW, async () => {
    const hook = newHook({ failFirst: 3, status: 503 });
    await hook.ready;
    const task = await send("tck-input-required", { webhook: { id: "flaky", url: hook.url } });
    // More events arrive while the first one is still being retried: they wait behind it.
    await eventually(async () => ((await received(hook.path)).length >= 1 ? true : undefined), 5000, "a first attempt");
    await send("tck-artifact-text", { taskId: task.id });

    const acknowledged = await delivered(hook.path, 5, 30_000);
    expect(acknowledged.map(summary)).toEqual(["task", "TASK_STATE_INPUT_REQUIRED", "TASK_STATE_WORKING", "artifactUpdate", "TASK_STATE_COMPLETED"]);
    expect(seqs(acknowledged)).toEqual([1, 2, 4, 5, 6]);

    const all = await received(hook.path);
    const refused = all.filter((r) => r.answered === 503);
    expect(refused).toHaveLength(3);
    // Head of line: every failed attempt was the first event, with the same event id as its final delivery.
    expect(refused.map((r) => r.headers["x-a2a-notification-id"])).toEqual(Array(3).fill(`${task.id}/1`));
    expect(all.slice(0, 4).every((r) => parsed(r).seq === 1)).toBe(true);
    // Exponential backoff with ±20% jitter: about 1 s, 2 s, 4 s between the attempts.
    const gaps = all.slice(1, 4).map((r, i) => r.at - all[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(700);
    expect(gaps[1]).toBeGreaterThanOrEqual(1500);
    expect(gaps[2]).toBeGreaterThanOrEqual(3100);
    expect(warningsFor(task.id)).toEqual(
      [1, 2, 3].map((attempt) => ({ at: "push", taskId: task.id, configId: "flaky", seq: 1, error: "HTTP 503", attempt, retryInMs: expect.any(Number) })),
    );
  });

  it("429 with Retry-After waits as long as the receiver asked", SLOW, async () => {
    const hook = newHook({ failFirst: 1, status: 429, retryAfter: 2 });
    await hook.ready;
    const task = await send("tck-complete-task", { webhook: { url: hook.url } });
    await delivered(hook.path, 2, 15_000);
    const [first, second] = await received(hook.path);
    expect(first!.answered).toBe(429);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1900);
    expect(parsed(second!).seq).toBe(1);
    expect(warningsFor(task.id)).toEqual([{ at: "push", taskId: task.id, configId: expect.any(String), seq: 1, error: "HTTP 429", attempt: 1, retryInMs: 2000 }]);
  });

  it("the task object evicted mid-retry: the alarm survives and delivery resumes where it stopped", SLOW, async () => {
    const hook = newHook({ failFirst: 2, status: 503 });
    await hook.ready;
    const task = await send("tck-input-required", { webhook: { id: "evicted", url: hook.url } });
    await eventually(async () => ((await received(hook.path)).length >= 1 ? true : undefined), 5000, "a first, refused attempt");

    await evictDurableObject(stubOf(task.id));
    const pending = await deliveryState(task.id, "evicted");
    expect(pending.alarm).not.toBeNull();
    expect(pending.row).toMatchObject({ cursor: 0, parked: null });
    expect(pending.row!.attempts).toBeGreaterThanOrEqual(1);

    const resumed = await delivered(hook.path, 2, 15_000);
    expect(resumed.map(summary)).toEqual(["task", "TASK_STATE_INPUT_REQUIRED"]);
    // And the revived object keeps delivering new events in order.
    await send("tck-complete-task", { taskId: task.id });
    const all = await delivered(hook.path, 4, 10_000);
    expect(seqs(all)).toEqual([1, 2, 4, 5]);
    expect(warningsFor(task.id).map((line) => [line.configId, line.error, line.attempt])).toEqual([
      ["evicted", "HTTP 503", 1],
      ["evicted", "HTTP 503", 2],
    ]);
  });

  it("a deleted config gets nothing more, while another config of the task keeps receiving", async () => {
    const kept = newHook();
    const dropped = newHook();
    const task = await send("tck-input-required");
    for (const [id, hook] of [["kept", kept], ["dropped", dropped]] as const) {
      expect((await rpc("CreateTaskPushNotificationConfig", { taskId: task.id, id, url: hook.url })).body.result).toBeDefined();
    }
    expect((await rpc("DeleteTaskPushNotificationConfig", { taskId: task.id, id: "dropped" })).body.result).toEqual({});
    await send("tck-complete-task", { taskId: task.id });
    expect((await delivered(kept.path, 2)).map(summary)).toEqual(["TASK_STATE_WORKING", "TASK_STATE_COMPLETED"]);
    expect(await received(dropped.path)).toEqual([]);
  });

  it("a config added to a finished task sends nothing: the task will have no more events", async () => {
    const hook = newHook();
    const task = await send("tck-complete-task");
    expect((await rpc("CreateTaskPushNotificationConfig", { taskId: task.id, id: "late", url: hook.url })).body.result).toBeDefined();
    const state = await deliveryState(task.id, "late");
    expect(state.row).toEqual({ cursor: state.version, attempts: 0, parked: null });
    expect(state.pushDue).toBeUndefined();
    expect(await received(hook.path)).toEqual([]);
  });

  it("a redirect is never followed: the config is parked, and registering it again resumes from the refused event", async () => {
    const elsewhere = newHook();
    const hook = newHook({ failFirst: 1, status: 302, location: elsewhere.url });
    await hook.ready;
    const task = await send("tck-input-required", { webhook: { id: "moved", url: hook.url } });
    const parked = await eventually(async () => {
      const s = await deliveryState(task.id, "moved");
      return s.row?.parked ? s : undefined;
    }, 5000, "the config to be parked");
    expect(parked.row!.parked).toContain("HTTP 302");
    expect(await received(hook.path)).toHaveLength(1);
    expect(await received(elsewhere.path)).toEqual([]);

    expect((await rpc("CreateTaskPushNotificationConfig", { taskId: task.id, id: "moved", url: hook.url })).body.result).toBeDefined();
    expect(seqs(await delivered(hook.path, 2))).toEqual([1, 2]);
    expect(warningsFor(task.id)).toEqual([{ at: "push", taskId: task.id, configId: "moved", seq: 1, error: "HTTP 302: redirects are not followed", parked: true }]);
  });

  it("the SSRF guard runs again at delivery: a URL that skipped the edge check is parked, never called", async () => {
    // The receiver's own origin, outside the allow-listed /hooks/ prefix: only a missing check would reach it.
    const sneaky = `${new URL(newHook().url).origin}/elsewhere/${uid()}`;
    const task = await send("tck-input-required");
    const scope = { agent: "demo", tenant: "", owner: DEFAULT_OWNER };
    expect(await taskObject(env, task.id).createPushConfig({ scope, taskId: task.id, config: { id: "sneaky", url: sneaky } })).toMatchObject({ ok: true });
    await send("tck-complete-task", { taskId: task.id });
    const parked = await eventually(async () => {
      const s = await deliveryState(task.id, "sneaky");
      return s.row?.parked ? s : undefined;
    }, 5000, "the config to be parked");
    expect(parked.row!.parked).toMatch(/refused: the URL uses http: but webhooks must use https/);
    expect(await received(new URL(sneaky).pathname)).toEqual([]);
    expect(warningsFor(task.id)).toEqual([
      { at: "push", taskId: task.id, configId: "sneaky", seq: expect.any(Number), error: expect.stringMatching(/^refused: the URL uses http:/), parked: true },
    ]);
  });

  it("tasks without webhooks carry no push storage", async () => {
    const task = await send("tck-complete-task");
    const tables = await runInDurableObject(stubOf(task.id), (_, state) =>
      state.storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").toArray().map((t) => t.name),
    );
    expect(tables).not.toContain("push_configs");
  });
});

import { env } from "cloudflare:workers";
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { and, asc, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { database } from "../../durable-objects/db";
import { INDEX_BATCH } from "../../durable-objects/sql";
import { writeIndexBatch } from "../../durable-objects/index-writer";
import { indexRows, SAFETY_NET_MS } from "../../durable-objects/task-index";
import { messages, tasks } from "../../schema/db/tables";
import { eventually, makeMessage, rpc } from "../helpers/a2a";
import { DEFAULT_OWNER } from "../helpers/auth";
import { captureLogs } from "../helpers/logs";

const testEnv = env as Env & { FAULT_CONTROL_URL: string };

afterEach(() => vi.restoreAllMocks());
const stubOf = (taskId: string) => env.TASKS.get(env.TASKS.idFromName(taskId));
const db = () => database(env)!;

async function send(message = makeMessage(), configuration?: Record<string, unknown>) {
  const { body } = await rpc("SendMessage", { message, ...(configuration ? { configuration } : {}) });
  if (!body.result) throw new Error(JSON.stringify(body.error));
  return body.result;
}

/** Makes every Postgres request that mentions `marker` fail with 503 (see test/setup/fault-proxy.mjs). */
async function outage(marker: string, on: boolean): Promise<{ refused: number | null }> {
  const response = await fetch(testEnv.FAULT_CONTROL_URL, { method: "POST", body: JSON.stringify({ marker, fail: on }) });
  return response.json();
}

async function refusedSoFar(marker: string): Promise<number> {
  return (await outage(marker, true)).refused ?? 0;
}

async function indexedTask(taskId: string) {
  const rows = await db().select().from(tasks).where(eq(tasks.id, taskId));
  return rows[0];
}

describe("task object durability", () => {
  it("state survives eviction of the object (§ one Durable Object per task)", async () => {
    const first = await send(makeMessage({ messageId: `tck-input-required-${crypto.randomUUID()}` }));
    const taskId = first.task.id;
    await evictDurableObject(stubOf(taskId));
    const got = await rpc("GetTask", { id: taskId });
    expect(got.body.result).toEqual(first.task);
    const resumed = await send(makeMessage({ messageId: `tck-complete-task-${crypto.randomUUID()}`, taskId }));
    expect(resumed.task.status.state).toBe("TASK_STATE_COMPLETED");
    expect(resumed.task.history).toHaveLength(4);
  });

  it("text that is awkward for SQLite and JSON (NUL, U+2028, quotes, astral) survives eviction exactly", async () => {
    const text = 'nul\u0000 line\u2028sep "quoted" back\\slash 😀';
    const first = await send(makeMessage({}, text));
    expect(first.task.status.message.parts[0].text).toBe(`You said: ${text}`);
    await evictDurableObject(stubOf(first.task.id));
    const got = await rpc("GetTask", { id: first.task.id });
    expect(got.body.result).toEqual(first.task);
    expect(got.body.result.history[0].parts[0].text).toBe(text);
  });

  it("a run cut short by a restart fails its task instead of leaving it working", async () => {
    // Eviction in tests drains in-flight work, so simulate a host that died mid-run: a WORKING task on disk
    // and no run in memory.
    const created = await send(makeMessage({ messageId: `tck-input-required-${crypto.randomUUID()}` }));
    await runInDurableObject(stubOf(created.task.id), (_, state) => {
      const row = state.storage.sql.exec<{ body: string }>("SELECT body FROM task_log WHERE kind = 0").one();
      const meta = JSON.parse(row.body);
      meta.task.status = { state: "TASK_STATE_WORKING", timestamp: new Date().toISOString() };
      state.storage.sql.exec("UPDATE task_log SET body = ? WHERE kind = 0", JSON.stringify(meta));
    });
    await evictDurableObject(stubOf(created.task.id));
    const got = await rpc("GetTask", { id: created.task.id });
    expect(got.body.result.status.state).toBe("TASK_STATE_FAILED");
    expect(got.body.result.status.message.parts[0].text).toContain("interrupted");
  });

  it("a guessed task id leaves no storage behind", async () => {
    const taskId = crypto.randomUUID();
    const { body } = await rpc("GetTask", { id: taskId });
    expect(body.error?.code).toBe(-32001);
    const tables = await runInDurableObject(stubOf(taskId), (_, state) => state.storage.sql.exec("SELECT name FROM sqlite_master").toArray());
    expect(tables).toEqual([]);
  });

  it("an object stored in the four tables of schema version 1 moves to task_log when next loaded, losing nothing", async () => {
    const first = await send(makeMessage({ messageId: `tck-input-required-${crypto.randomUUID()}` }));
    const taskId = first.task.id;
    const artifact = { artifactId: "a-1", parts: [{ text: "kept" }] };
    // Once the index write is done nothing else touches the storage while the test rewrites it.
    await eventually(async () => ((await indexedTask(taskId))?.state === "TASK_STATE_INPUT_REQUIRED" ? true : undefined), 10_000, "the task indexed");
    // Rewrite the object's storage as version 1 laid it out (meta rows of strings, one table per kind).
    await runInDurableObject(stubOf(taskId), (_, state) => {
      const sql = state.storage.sql;
      const rows = sql.exec<{ kind: number; seq: number; body: string; at: number }>("SELECT * FROM task_log").toArray();
      const meta = JSON.parse(rows.find((r) => r.kind === 0)!.body);
      sql.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      sql.exec("CREATE TABLE history (seq INTEGER PRIMARY KEY, message_id TEXT NOT NULL UNIQUE, body TEXT NOT NULL, committed_at INTEGER NOT NULL)");
      sql.exec("CREATE TABLE events (seq INTEGER PRIMARY KEY, body TEXT NOT NULL, committed_at INTEGER NOT NULL)");
      sql.exec("CREATE TABLE artifacts (artifact_id TEXT PRIMARY KEY, position INTEGER NOT NULL, body TEXT NOT NULL)");
      const v1Meta = { kind: "task", tenant: meta.tenant, owner: meta.owner, created_at: meta.createdAt, schema_version: "1", task: JSON.stringify(meta.task), version: String(meta.version), indexed_seq: String(meta.indexedSeq ?? 0) };
      for (const [key, value] of Object.entries(v1Meta)) sql.exec("INSERT INTO meta (key, value) VALUES (?, ?)", key, value);
      for (const r of rows.filter((r) => r.kind === 1)) sql.exec("INSERT INTO history VALUES (?, ?, ?, ?)", r.seq, JSON.parse(r.body).messageId, r.body, r.at);
      for (const r of rows.filter((r) => r.kind === 2)) sql.exec("INSERT INTO events VALUES (?, ?, ?)", r.seq, r.body, r.at);
      sql.exec("INSERT INTO artifacts VALUES (?, ?, ?)", artifact.artifactId, 0, JSON.stringify(artifact));
      sql.exec("DROP TABLE task_log");
    });
    await evictDurableObject(stubOf(taskId));

    const got = await rpc("GetTask", { id: taskId });
    expect(got.body.result).toEqual({ ...first.task, artifacts: [artifact] });
    const tables = await runInDurableObject(stubOf(taskId), (_, state) =>
      state.storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'").toArray().map((t) => t.name),
    );
    expect(tables).toEqual(["task_log"]);
    // The migrated object goes on: a follow-up appends to the same history, after the migrated messages.
    const resumed = await send(makeMessage({ messageId: `tck-complete-task-${crypto.randomUUID()}`, taskId }));
    expect(resumed.task.status.state).toBe("TASK_STATE_COMPLETED");
    expect(resumed.task.history!.slice(0, first.task.history!.length)).toEqual(first.task.history);
    expect(resumed.task.history).toHaveLength(4);
  });
});

describe("Postgres index and conversation history", () => {
  it("after a restart the history goes on in Postgres in order, each message once", async () => {
    const contextId = `restart-${crypto.randomUUID()}`;
    const first = await send(makeMessage({ contextId, messageId: `tck-input-required-${crypto.randomUUID()}` }));
    const taskId = first.task.id;
    const inHistory = async () => db().select().from(messages).where(eq(messages.contextId, contextId)).orderBy(asc(messages.seq));
    await eventually(async () => ((await inHistory()).length === 2 ? true : undefined), 10_000, "the first exchange in history");
    // What Postgres acknowledged last is in memory only until the next commit: the restarted object sends it again.
    await evictDurableObject(stubOf(taskId));
    const done = await send(makeMessage({ contextId, taskId, messageId: `tck-complete-task-${crypto.randomUUID()}` }));
    const rows = await eventually(async () => {
      const r = await inHistory();
      return r.length === 4 ? r : undefined;
    }, 10_000, "all four messages in history");
    expect(rows.map((r) => r.messageId)).toEqual(done.task.history!.map((m: { messageId: string }) => m.messageId));
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect((await indexedTask(taskId))!.state).toBe("TASK_STATE_COMPLETED");
  });

  it("each task lands in the task index and every message of its context in history, in order", async () => {
    const contextId = `ctx-${crypto.randomUUID()}`;
    const first = await send(makeMessage({ contextId, messageId: `tck-input-required-${crypto.randomUUID()}` }));
    await send(makeMessage({ contextId, taskId: first.task.id, messageId: `tck-complete-task-${crypto.randomUUID()}` }));
    const second = await send(makeMessage({ contextId }, "second task, same context"));

    const row = await eventually(async () => {
      const r = await indexedTask(first.task.id);
      return r?.state === "TASK_STATE_COMPLETED" ? r : undefined;
    }, 10_000, "the first task to be indexed as completed");
    expect(row).toMatchObject({ tenant: "", owner: DEFAULT_OWNER, contextId });
    expect((row.snapshot as any).history).toHaveLength(4);

    const history = await eventually(async () => {
      const rows = await db()
        .select()
        .from(messages)
        .where(and(eq(messages.contextId, contextId), eq(messages.owner, DEFAULT_OWNER)))
        .orderBy(asc(messages.committedAt), asc(messages.seq));
      return rows.length === 6 ? rows : undefined;
    }, 10_000, "six messages in the context's history");
    expect(history.map((m) => m.role)).toEqual(["ROLE_USER", "ROLE_AGENT", "ROLE_USER", "ROLE_AGENT", "ROLE_USER", "ROLE_AGENT"]);
    expect(history.slice(0, 4).every((m) => m.taskId === first.task.id)).toBe(true);
    expect(history[4]!.taskId).toBe(second.task.id);
    expect((history[4]!.message as any).parts).toEqual([{ text: "second task, same context" }]);
  });

  it("a task indexed at once leaves no alarm behind: the safety net set with the commit is cleared", async () => {
    const created = await send(makeMessage({ messageId: `tck-input-required-${crypto.randomUUID()}` }));
    const taskId = created.task.id;
    await eventually(async () => (await indexedTask(taskId))?.state === "TASK_STATE_INPUT_REQUIRED" || undefined, 10_000, "the task indexed");
    const alarm = await eventually(
      () => runInDurableObject(stubOf(taskId), async (_, state) => ((await state.storage.getAlarm()) === null ? "none" : undefined)),
      SAFETY_NET_MS / 2,
      "the alarm cleared before the safety net would fire",
    );
    expect(alarm).toBe("none");
  });

  it("a taskless reply is kept in the context's history too", async () => {
    const contextId = `ctx-${crypto.randomUUID()}`;
    await send(makeMessage({ contextId, messageId: `tck-message-response-${crypto.randomUUID()}` }));
    const rows = await eventually(async () => {
      const r = await db().select().from(messages).where(eq(messages.contextId, contextId));
      return r.length === 2 ? r : undefined;
    }, 10_000, "the exchange in history");
    expect(rows.every((r) => r.taskId === null)).toBe(true);
  });

  it("a Postgres outage loses nothing: the object keeps serving, retries, and the write lands after recovery", async () => {
    const warned = captureLogs("warn");
    const contextId = `outage-${crypto.randomUUID()}`;
    await outage(contextId, true);
    const created = await send(makeMessage({ contextId, messageId: `tck-input-required-${crypto.randomUUID()}` }));
    const taskId = created.task.id;
    await eventually(async () => ((await refusedSoFar(contextId)) >= 1 ? true : undefined), 10_000, "a refused index write");

    // Task operations keep working from the object while Postgres is down.
    const done = await send(makeMessage({ contextId, taskId, messageId: `tck-complete-task-${crypto.randomUUID()}` }));
    expect(done.task.status.state).toBe("TASK_STATE_COMPLETED");
    expect(await indexedTask(taskId)).toBeUndefined();

    // The pending write survives eviction; the retry alarm is still set.
    await evictDurableObject(stubOf(taskId));
    const pending = await runInDurableObject(stubOf(taskId), async (_, state) => ({
      alarm: await state.storage.getAlarm(),
      unindexed: state.storage.sql
        .exec("SELECT count(*) AS n FROM task_log WHERE kind = 1 AND seq > (SELECT coalesce(body ->> '$.indexedSeq', 0) FROM task_log WHERE kind = 0)")
        .one().n,
    }));
    expect(pending.alarm).not.toBeNull();
    expect(pending.unindexed).toBe(4);

    await outage(contextId, false);
    await runDurableObjectAlarm(stubOf(taskId));
    const row = await eventually(async () => indexedTask(taskId), 10_000, "the task in the index after recovery");
    expect(row.state).toBe("TASK_STATE_COMPLETED");
    const stored = await db().select().from(messages).where(eq(messages.contextId, contextId));
    expect(stored).toHaveLength(4);
    // The operator sees each refused write and when it is tried again.
    expect(warned).toContainEqual({ at: "task-index", attempt: 1, retryInMs: expect.any(Number), error: expect.stringContaining("injected outage") });
  });

  it(`a backlog longer than one write (${INDEX_BATCH} messages) lands in full after an outage`, async () => {
    const contextId = `backlog-${crypto.randomUUID()}`;
    await outage(contextId, true);
    const created = await send(makeMessage({ contextId, messageId: `tck-input-required-${crypto.randomUUID()}` }));
    const taskId = created.task.id;
    // Each follow-up adds the user's message and the agent's question: 2 + 2 × 260 messages in all.
    for (let i = 0; i < 260; i++) await send(makeMessage({ contextId, taskId, messageId: `tck-input-required-${crypto.randomUUID()}` }));
    await outage(contextId, false);
    await runDurableObjectAlarm(stubOf(taskId));
    const count = async () => (await db().select({ seq: messages.seq }).from(messages).where(eq(messages.contextId, contextId))).length;
    expect(await eventually(async () => ((await count()) === 522 ? 522 : undefined), 15_000, "all 522 messages in history")).toBe(522);
  });

  it("a retried, older write never overwrites a newer snapshot", async () => {
    const created = await send();
    const row = await eventually(async () => indexedTask(created.task.id), 10_000, "the task in the index");
    const stale = { ...created.task, status: { state: "TASK_STATE_SUBMITTED" as const, timestamp: new Date(0).toISOString() } };
    await writeIndexBatch(db(), [indexRows({ scope: { agent: "demo", tenant: "", owner: DEFAULT_OWNER }, task: { task: stale, version: 1, createdAt: row.createdAt }, messages: [] })]);
    const after = await indexedTask(created.task.id);
    expect(after!.state).toBe("TASK_STATE_COMPLETED");
    expect(after!.version).toBe(row.version);
  });
});

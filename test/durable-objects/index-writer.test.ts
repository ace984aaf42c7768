import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { database } from "../../durable-objects/db";
import { writeIndexBatch, type IndexRows } from "../../durable-objects/index-writer";
import { messages, tasks } from "../../schema/db/tables";

const testEnv = env as Env & { FAULT_CONTROL_URL: string };
const db = () => database(env)!;
/** One writer, addressed as the task objects address theirs. */
const writer = () => env.INDEX_WRITER.get(env.INDEX_WRITER.idFromName(`index-writer-test-${crypto.randomUUID()}`));

async function faults(rule: { marker: string; fail?: boolean; watch?: boolean; hang?: boolean }): Promise<{ refused: number | null; seen: number | null }> {
  const response = await fetch(testEnv.FAULT_CONTROL_URL, { method: "POST", body: JSON.stringify(rule) });
  return response.json();
}

/** A task's rows as a task object sends them: the task and its first message, in context `contextId`. */
function rowsFor(contextId: string, version = 1): IndexRows {
  const id = crypto.randomUUID();
  const timestamp = new Date().toISOString();
  const message = { messageId: `m-${id}`, role: "ROLE_USER", parts: [{ text: "hi" }], taskId: id, contextId };
  const task = { id, contextId, status: { state: "TASK_STATE_COMPLETED", timestamp }, history: [message] };
  return {
    task: { id, agent: "demo", tenant: "", owner: "writer-test", context_id: contextId, state: "TASK_STATE_COMPLETED", status_timestamp: timestamp, version, snapshot: JSON.stringify(task), created_at: timestamp },
    messages: [{ message_id: message.messageId, task_id: id, agent: "demo", tenant: "", owner: "writer-test", context_id: contextId, role: "ROLE_USER", seq: 1, committed_at: Date.now(), message: JSON.stringify(message) }],
  };
}

describe("index writer (Postgres writes of many tasks in batches)", () => {
  it("writes arriving together go to Postgres in fewer statements than writes, and every one lands", async () => {
    const contextId = `batch-${crypto.randomUUID()}`;
    await faults({ marker: contextId, watch: true });
    const target = writer();
    const writes = Array.from({ length: 12 }, () => rowsFor(contextId));
    expect(await Promise.all(writes.map((rows) => target.write(rows)))).toEqual(writes.map(() => ({ ok: true })));
    const indexed = await db().select().from(tasks).where(eq(tasks.contextId, contextId));
    expect(indexed.map((t) => t.id).sort()).toEqual(writes.map((w) => w.task!.id).sort());
    expect((await db().select().from(messages).where(eq(messages.contextId, contextId))).length).toBe(12);
    const { seen } = await faults({ marker: contextId, watch: true });
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(12);
  });

  it("a write Postgres refuses fails alone: the rest of its batch lands, and it is rejected for its task to retry", async () => {
    const good = `good-${crypto.randomUUID()}`;
    const bad = `bad-${crypto.randomUUID()}`;
    await faults({ marker: bad, fail: true });
    const target = writer();
    const writes = [rowsFor(good), rowsFor(good), rowsFor(bad), rowsFor(good), rowsFor(good)];
    const results = await Promise.all(writes.map((rows) => target.write(rows)));
    expect(results.map((r) => r.ok)).toEqual([true, true, false, true, true]);
    expect(results[2]).toMatchObject({ ok: false, error: expect.stringContaining("injected outage") });
    await faults({ marker: bad, fail: false });
    expect((await db().select().from(tasks).where(eq(tasks.contextId, good))).length).toBe(4);
    expect((await db().select().from(tasks).where(eq(tasks.contextId, bad))).length).toBe(0);
  });

  it("two writes of one task in one batch leave its newest version", async () => {
    const contextId = `versions-${crypto.randomUUID()}`;
    const older = rowsFor(contextId, 2);
    const newer: IndexRows = { ...older, task: { ...older.task!, version: 3, state: "TASK_STATE_FAILED" } };
    const target = writer();
    await Promise.all([target.write(rowsFor(contextId)), target.write(newer), target.write(older)]);
    const [row] = await db().select().from(tasks).where(eq(tasks.id, older.task!.id));
    expect(row).toMatchObject({ version: 3, state: "TASK_STATE_FAILED" });
  });

  it("a statement Postgres never answers fails at its timeout instead of holding the writer's queue", async () => {
    const contextId = `hung-${crypto.randomUUID()}`;
    await faults({ marker: contextId, hang: true });
    const started = Date.now();
    await expect(writeIndexBatch(db(), [rowsFor(contextId)], 300)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5_000);
    await faults({ marker: contextId, hang: false });
    await writeIndexBatch(db(), [rowsFor(contextId)], 300);
    expect((await db().select().from(tasks).where(eq(tasks.contextId, contextId))).length).toBe(1);
  });
});

import { DurableObject } from "cloudflare:workers";
import { getTableName } from "drizzle-orm";
import { messages, tasks } from "../schema/db/tables";
import { database, type Database } from "./db";

/** One task's rows for Postgres, as the task object sends them: plain JSON, in the columns' own names. */
export interface IndexRows {
  task?: {
    id: string;
    agent: string;
    tenant: string;
    owner: string;
    context_id: string;
    state: string;
    status_timestamp: string;
    version: number;
    /** The task snapshot as JSON text. */
    snapshot: string;
    created_at: string;
  };
  messages: Array<{
    message_id: string;
    task_id: string | null;
    agent: string;
    tenant: string;
    owner: string;
    context_id: string;
    role: string;
    seq: number;
    committed_at: number;
    /** The message as stored (JSON text): not parsed and serialized again on the way. */
    message: string;
  }>;
}

/*
 * The one statement every index write is: any number of tasks and messages, each as a JSON array parameter
 * read by json_to_recordset. Written by hand rather than by drizzle's query builder (which cost more CPU
 * than the rest of the write); names still come from the drizzle tables in schema/db, so the two cannot
 * drift apart. A task row only moves forward: `version` makes a stale retry a no-op. A message already
 * stored is skipped by its key. JSON text travels as text and is cast to json inside (a `\u0000` stays an
 * escape, which Postgres could not decode into a text column while reading the records).
 */
const name = (column: { name: string }) => `"${column.name}"`;
const TASKS = `"${getTableName(tasks)}"`;
const TASK_COLUMNS = [tasks.id, tasks.agent, tasks.tenant, tasks.owner, tasks.contextId, tasks.state, tasks.statusTimestamp, tasks.version, tasks.snapshot, tasks.createdAt];
const TASK_UPDATED = [tasks.state, tasks.statusTimestamp, tasks.version, tasks.snapshot, tasks.contextId];
const MESSAGE_COLUMNS = [
  messages.messageId,
  messages.taskId,
  messages.agent,
  messages.tenant,
  messages.owner,
  messages.contextId,
  messages.role,
  messages.seq,
  messages.committedAt,
  messages.message,
];
const UPSERT_TASKS = `INSERT INTO ${TASKS} (${TASK_COLUMNS.map(name).join(", ")})
SELECT t.id, t.agent, t.tenant, t.owner, t.context_id, t.state, t.status_timestamp, t.version, t.snapshot::json, t.created_at
FROM json_to_recordset($1::json) AS t(id text, agent text, tenant text, owner text, context_id text, state text, status_timestamp timestamptz, version integer, snapshot text, created_at timestamptz)
ON CONFLICT (${name(tasks.id)}) DO UPDATE SET ${TASK_UPDATED.map((c) => `${name(c)} = EXCLUDED.${name(c)}`).join(", ")}
WHERE ${TASKS}.${name(tasks.version)} < EXCLUDED.${name(tasks.version)}`;
const INSERT_MESSAGES = `INSERT INTO "${getTableName(messages)}" (${MESSAGE_COLUMNS.map(name).join(", ")})
SELECT m.message_id, m.task_id, m.agent, m.tenant, m.owner, m.context_id, m.role, m.seq, m.committed_at, m.message::json
FROM json_to_recordset($2::json) AS m(message_id text, task_id text, agent text, tenant text, owner text, context_id text, role text, seq integer, committed_at bigint, message text)
ON CONFLICT DO NOTHING`;
const WRITE_INDEX = `WITH written AS (${UPSERT_TASKS})\n${INSERT_MESSAGES}`;

/** A statement that has not landed by then fails, and its writes are retried: a hung request never holds the queue. */
const WRITE_TIMEOUT_MS = 15_000;

/**
 * Writes the rows of several tasks in one statement (so one transaction). Idempotent. Of two rows for the
 * same task only the newest goes in: Postgres refuses to update one row twice in a statement.
 */
export async function writeIndexBatch(db: Database, batch: IndexRows[], timeoutMs = WRITE_TIMEOUT_MS): Promise<void> {
  const newest = new Map<string, NonNullable<IndexRows["task"]>>();
  for (const { task } of batch) {
    if (task && (newest.get(task.id)?.version ?? -1) < task.version) newest.set(task.id, task);
  }
  const rows = batch.flatMap((write) => write.messages);
  if (newest.size === 0 && rows.length === 0) return;
  await db.$client.query(WRITE_INDEX, [JSON.stringify([...newest.values()]), JSON.stringify(rows)], {
    fetchOptions: { signal: AbortSignal.timeout(timeoutMs) },
  });
}

/** How many writers share the index writes; each sends one statement at a time. */
const DEFAULT_WRITERS = 4;
/** A batch stops growing at this many messages or this much JSON, whichever comes first. */
const MAX_BATCH_MESSAGES = 1000;
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/**
 * Sends a task's rows through its writer, always the same one (so two writes of a task in one batch collapse
 * into the newer); rejects when Postgres refused them.
 */
export async function sendToIndex(env: Env, taskId: string, rows: IndexRows): Promise<void> {
  const writers = Math.max(1, Number(env.INDEX_WRITERS) || DEFAULT_WRITERS);
  let hash = 0;
  for (let i = 0; i < taskId.length; i++) hash = (hash * 31 + taskId.charCodeAt(i)) >>> 0;
  const writer = env.INDEX_WRITER.get(env.INDEX_WRITER.idFromName(`index-writer-${hash % writers}`));
  const outcome = await writer.write(rows);
  if (!outcome.ok) throw new Error(outcome.error);
}

/** A write's answer, as a value: a refused write is the task object's to retry, not an exception to log here. */
export type WriteOutcome = { ok: true } | { ok: false; error: string };

interface Queued {
  rows: IndexRows;
  size: number;
  done: (outcome: WriteOutcome) => void;
}

/**
 * Sends task objects' index writes to Postgres in batches: one statement at a time, holding whatever
 * arrived while the previous one ran. Each task object's own write is a cheap call here instead of an
 * outbound request of its own (a new object's first fetch is its costliest I/O), and Postgres gets one
 * statement for many tasks. A writer stores nothing: a write is acknowledged only once Postgres has it,
 * and the task object keeps it, and retries it with backoff, until then.
 */
export class IndexWriter extends DurableObject<Env> {
  private readonly queue: Queued[] = [];
  private sending = false;

  async write(rows: IndexRows): Promise<WriteOutcome> {
    const db = database(this.env);
    if (!db) return { ok: true };
    const size = rows.messages.reduce((bytes, m) => bytes + m.message.length, rows.task?.snapshot.length ?? 0);
    const outcome = new Promise<WriteOutcome>((done) => this.queue.push({ rows, size, done }));
    if (!this.sending) void this.send(db);
    return outcome;
  }

  private async send(db: Database): Promise<void> {
    this.sending = true;
    try {
      while (this.queue.length > 0) await this.sendBatch(db, this.takeBatch());
    } finally {
      this.sending = false;
    }
  }

  private takeBatch(): Queued[] {
    let messages = 0;
    let bytes = 0;
    let count = 0;
    for (const queued of this.queue) {
      messages += queued.rows.messages.length;
      bytes += queued.size;
      if (count > 0 && (messages > MAX_BATCH_MESSAGES || bytes > MAX_BATCH_BYTES)) break;
      count++;
    }
    return this.queue.splice(0, count);
  }

  /** A failed batch is retried write by write, so one write Postgres refuses fails only its own task. */
  private async sendBatch(db: Database, batch: Queued[]): Promise<void> {
    try {
      await writeIndexBatch(db, batch.map((q) => q.rows));
      for (const q of batch) q.done({ ok: true });
      return;
    } catch (error) {
      if (batch.length === 1) return batch[0]!.done({ ok: false, error: describe(error) });
    }
    for (const q of batch) {
      try {
        await writeIndexBatch(db, [q.rows]);
        q.done({ ok: true });
      } catch (error) {
        q.done({ ok: false, error: describe(error) });
      }
    }
  }
}

/** drizzle's message repeats every parameter (user data); the cause says what went wrong. */
function describe(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return String(cause).slice(0, 300);
}

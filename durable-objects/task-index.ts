import { getTableName } from "drizzle-orm";
import { messages, tasks } from "../schema/db/tables";
import { database, type DatabaseEnv, type Database } from "./db";
import { retryDelayMs } from "./retry";
import { INDEX_BATCH, type PendingIndexWrite, type Stored, type TaskStorage } from "./sql";

/*
 * The index write is the one query every task makes, so its SQL is written once here rather than built by
 * drizzle's query builder on every call (which cost more CPU than the rest of the write). Names still come
 * from the drizzle tables in schema/db, so the two cannot drift apart.
 */
const name = (column: { name: string }) => `"${column.name}"`;
const TASKS = `"${getTableName(tasks)}"`;
const MESSAGES = `"${getTableName(messages)}"`;
const TASK_COLUMNS = [tasks.id, tasks.tenant, tasks.owner, tasks.contextId, tasks.state, tasks.statusTimestamp, tasks.version, tasks.snapshot, tasks.createdAt];
const TASK_UPDATED = [tasks.state, tasks.statusTimestamp, tasks.version, tasks.snapshot, tasks.contextId];
const MESSAGE_COLUMNS = [
  messages.messageId,
  messages.taskId,
  messages.tenant,
  messages.owner,
  messages.contextId,
  messages.role,
  messages.seq,
  messages.committedAt,
  messages.message,
];

/** $1–$9: the task row. A row only moves forward: `version` makes a stale retry a no-op. */
const UPSERT_TASK = `INSERT INTO ${TASKS} (${TASK_COLUMNS.map(name).join(", ")})
VALUES ($1, $2, $3, $4, $5, $6, $7, $8::json, $9)
ON CONFLICT (${name(tasks.id)}) DO UPDATE SET ${TASK_UPDATED.map((c) => `${name(c)} = EXCLUDED.${name(c)}`).join(", ")}
WHERE ${TASKS}.${name(tasks.version)} < EXCLUDED.${name(tasks.version)}`;

/** The messages as one JSON array parameter (`rows`, see messageRows); one already stored is skipped by its key. */
const insertMessages = (tenant: string, owner: string, rows: string) => `INSERT INTO ${MESSAGES} (${MESSAGE_COLUMNS.map(name).join(", ")})
SELECT m.message_id, m.task_id, ${tenant}, ${owner}, m.context_id, m.role, m.seq, m.committed_at, m.message::json
FROM json_to_recordset(${rows}::json) AS m(message_id text, task_id text, context_id text, role text, seq integer, committed_at bigint, message text)
ON CONFLICT DO NOTHING`;

const TASK_AND_MESSAGES = `WITH task AS (${UPSERT_TASK})\n${insertMessages("$2", "$3", "$10")}`;
const MESSAGES_ONLY = insertMessages("$1", "$2", "$3");

/**
 * Each stored message body goes in as it is, a JSON string holding the JSON text: not parsed and serialized
 * again, and a `\u0000` in it stays an escape (Postgres cannot decode one into text while reading records).
 */
function messageRows(write: PendingIndexWrite): string {
  return JSON.stringify(
    write.messages.map(({ seq, message, body, committedAt }) => ({
      message_id: message.messageId,
      task_id: message.taskId ?? null,
      context_id: message.contextId ?? "",
      role: message.role,
      seq,
      committed_at: committedAt,
      message: body,
    })),
  );
}

/**
 * Writes a task object's unacknowledged changes to Postgres in one statement (so one transaction).
 * Idempotent: a retried message is ignored by its key, and a task row only moves forward.
 */
export async function writeTaskIndex(db: Database, write: PendingIndexWrite): Promise<void> {
  const { scope, task } = write;
  const taskParams = task && [
    task.task.id,
    scope.tenant,
    scope.owner,
    task.task.contextId,
    task.task.status.state,
    task.task.status.timestamp ?? task.createdAt,
    task.version,
    JSON.stringify(task.task),
    task.createdAt,
  ];
  const hasMessages = write.messages.length > 0;
  if (taskParams && hasMessages) await db.$client.query(TASK_AND_MESSAGES, [...taskParams, messageRows(write)]);
  else if (taskParams) await db.$client.query(UPSERT_TASK, taskParams);
  else if (hasMessages) await db.$client.query(MESSAGES_ONLY, [scope.tenant, scope.owner, messageRows(write)]);
}

export interface IndexerDeps {
  env: DatabaseEnv;
  storage: TaskStorage;
  current: () => Stored;
  /** The task object's alarm for this purpose: when to write next (undefined: no need), and whether one is set. */
  schedule: (at: number | undefined) => void;
  scheduled: () => boolean;
}

/**
 * How far ahead the alarm is set while a write runs at once. It only fires if this instance dies before the
 * write lands (a deploy, an eviction mid-write): the commit and the alarm are stored together.
 */
export const SAFETY_NET_MS = 10_000;

/**
 * Keeps Postgres in step with one task object. Every commit starts a write at once, after the commits of the
 * same turn (so a run that goes SUBMITTED → WORKING → COMPLETED in one turn is one write); one write runs at a
 * time, and commits made meanwhile go in the next. The alarm is set with the commit and cleared when Postgres
 * has everything, so a task that indexes at once costs no alarm invocation. A failed write is retried with
 * backoff, forever, from the durable alarm (an outage never loses a write).
 */
export class TaskIndexer {
  private attempts = 0;
  /** A write is running, or starts after this turn. */
  private busy = false;
  /** Commits arrived while a write was running. */
  private again = false;

  constructor(private readonly deps: IndexerDeps) {}

  request(): void {
    if (!this.deps.env.DATABASE_URL) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    // Backing off after a failure: the alarm's retry picks this commit up.
    if (this.attempts > 0) return;
    this.busy = true;
    if (!this.deps.scheduled()) this.deps.schedule(Date.now() + SAFETY_NET_MS);
    setTimeout(() => void this.drain(), 0);
  }

  /** The alarm's turn: writes what is pending, unless a write is already running (it will take this too). */
  async write(): Promise<void> {
    if (this.busy) {
      // A write slower than the safety net: keep the alarm set until it lands.
      this.again = true;
      this.deps.schedule(Date.now() + SAFETY_NET_MS);
      return;
    }
    this.busy = true;
    await this.drain();
  }

  /** Writes until Postgres has every commit, then clears the alarm; on failure leaves a retry on the alarm. */
  private async drain(): Promise<void> {
    try {
      let outcome: "done" | "more" | "failed";
      do {
        this.again = false;
        outcome = await this.writeOnce();
        if (outcome === "failed") return;
      } while (this.again || outcome === "more");
      this.deps.schedule(undefined);
    } finally {
      this.busy = false;
    }
  }

  /**
   * One statement with what Postgres lacks: "more" when that was a full batch of messages, "failed" when it
   * failed (a retry is then on the alarm). Commits made while it ran are flagged by `request`, not re-read.
   */
  private async writeOnce(): Promise<"done" | "more" | "failed"> {
    const { env, storage, current } = this.deps;
    const db = database(env);
    if (!db) return "done";
    const write = storage.pendingIndexWrite(current());
    if (!write.task && write.messages.length === 0) return "done";
    try {
      await writeTaskIndex(db, write);
      storage.markIndexed(write);
      this.attempts = 0;
      return write.messages.length >= INDEX_BATCH ? "more" : "done";
    } catch (error) {
      this.attempts += 1;
      const delay = retryDelayMs(this.attempts);
      // drizzle's message repeats every parameter (user data); the cause says what went wrong.
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      console.warn(JSON.stringify({ at: "task-index", attempt: this.attempts, retryInMs: delay, error: String(cause).slice(0, 300) }));
      this.deps.schedule(Date.now() + delay);
      return "failed";
    }
  }
}

import { sql } from "drizzle-orm";
import { messages, tasks } from "../schema/db/tables";
import { database, type DatabaseEnv, type Database } from "./db";
import { retryDelayMs } from "./retry";
import type { PendingIndexWrite, Stored, TaskStorage } from "./sql";

/**
 * Writes a task object's unacknowledged changes to Postgres in one transaction. Idempotent: a retried message
 * is ignored by its key, and a task row only moves forward (`version` guards against a stale retry).
 */
export async function writeTaskIndex(db: Database, write: PendingIndexWrite): Promise<void> {
  const { scope } = write;
  const queries = [];
  if (write.task) {
    const { task, version, createdAt } = write.task;
    const row = {
      id: task.id,
      tenant: scope.tenant,
      owner: scope.owner,
      contextId: task.contextId,
      state: task.status.state,
      statusTimestamp: task.status.timestamp ?? createdAt,
      version,
      snapshot: task,
      createdAt,
    };
    queries.push(
      db
        .insert(tasks)
        .values(row)
        .onConflictDoUpdate({
          target: tasks.id,
          set: {
            state: row.state,
            statusTimestamp: row.statusTimestamp,
            version: row.version,
            snapshot: row.snapshot,
            contextId: row.contextId,
          },
          setWhere: sql`${tasks.version} < ${row.version}`,
        }),
    );
  }
  if (write.messages.length > 0) {
    queries.push(
      db
        .insert(messages)
        .values(
          write.messages.map(({ seq, message, committedAt }) => ({
            messageId: message.messageId,
            taskId: message.taskId ?? null,
            tenant: scope.tenant,
            owner: scope.owner,
            contextId: message.contextId ?? "",
            role: message.role,
            seq,
            committedAt,
            message,
          })),
        )
        .onConflictDoNothing(),
    );
  }
  const [first, ...rest] = queries;
  if (first) await db.batch([first, ...rest]);
}

export interface IndexerDeps {
  env: DatabaseEnv;
  storage: TaskStorage;
  current: () => Stored;
  /** The task object's alarm for this purpose: when to write next, and whether a write is already due. */
  schedule: (at: number) => void;
  scheduled: () => boolean;
}

/**
 * Keeps Postgres in step with one task object: every commit asks for a write on the alarm's next turn, and
 * a failed write is retried with backoff, forever, from the durable alarm (an outage never loses a write).
 */
export class TaskIndexer {
  private attempts = 0;

  constructor(private readonly deps: IndexerDeps) {}

  request(): void {
    if (!this.deps.env.DATABASE_URL || this.deps.scheduled()) return;
    this.deps.schedule(Date.now());
  }

  async write(): Promise<void> {
    const { env, storage, current } = this.deps;
    const db = database(env);
    if (!db) return;
    const write = storage.pendingIndexWrite(current());
    if (!write.task && write.messages.length === 0) return;
    try {
      await writeTaskIndex(db, write);
      storage.markIndexed(write);
      this.attempts = 0;
      const rest = storage.pendingIndexWrite(current());
      if (rest.task || rest.messages.length > 0) this.request();
    } catch (error) {
      this.attempts += 1;
      const delay = retryDelayMs(this.attempts);
      // drizzle's message repeats every parameter (user data); the cause says what went wrong.
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      console.warn(JSON.stringify({ at: "task-index", attempt: this.attempts, retryInMs: delay, error: String(cause).slice(0, 300) }));
      this.deps.schedule(Date.now() + delay);
    }
  }
}

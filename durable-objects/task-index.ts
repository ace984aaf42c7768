import { sql } from "drizzle-orm";
import { messages, tasks } from "../schema/db/tables";
import type { Database } from "./db";
import type { PendingIndexWrite } from "./sql";

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

import type { TaskPushNotificationConfig } from "../../schema/a2a";

/**
 * One row per webhook of this task: the registration, and its delivery state. `cursor` is the seq of the
 * last event the receiver acknowledged (events are the task's `events` table, durable-objects/sql.ts), so
 * the outbox of a config is simply every event after its cursor, in seq order. Created on the first
 * registration only: tasks without webhooks carry no push storage.
 */
const DDL = `CREATE TABLE IF NOT EXISTS push_configs (
  position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, body TEXT NOT NULL, cursor INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL DEFAULT 0, failing_since INTEGER,
  last_error TEXT, parked TEXT
)`;

/** What is kept of a registration: task id and tenant are the object's own, never stored twice. */
/** `protocolVersion` "0.3": registered by a v0.3 client, so its notifications go out in the v0.3 shape. */
export type StoredConfig = Pick<TaskPushNotificationConfig, "url" | "token" | "authentication"> & { id: string; protocolVersion?: "0.3" };

export interface PushConfigRow {
  position: number;
  config: StoredConfig;
  cursor: number;
  /** Failed attempts at the event after `cursor`. */
  attempts: number;
  /** Not before this time (epoch ms); 0 = now. */
  nextAt: number;
  failingSince: number | null;
  lastError: string | null;
  /** Why delivery stopped for good (refused by the receiver, retry window over), or null while active. */
  parked: string | null;
}

interface Row extends Record<string, SqlStorageValue> {
  position: number;
  body: string;
  cursor: number;
  attempts: number;
  next_at: number;
  failing_since: number | null;
  last_error: string | null;
  parked: string | null;
}

const SELECT = "SELECT position, body, cursor, attempts, next_at, failing_since, last_error, parked FROM push_configs";

export class PushConfigStore {
  private count: number | undefined;

  /** `exists`: whether the object's storage already has the table (read once with the task's tables). */
  constructor(
    private readonly sql: SqlStorage,
    private exists: boolean,
  ) {}

  /** Cheap after the first call: every commit asks. */
  isEmpty(): boolean {
    this.count ??= this.exists ? this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM push_configs").one().n : 0;
    return this.count === 0;
  }

  /** The lowest cursor of any config, parked ones included: the event log must keep everything after it. */
  lowestCursor(): number | undefined {
    if (this.isEmpty()) return undefined;
    return this.sql.exec<{ cursor: number | null }>("SELECT min(cursor) AS cursor FROM push_configs").one().cursor ?? undefined;
  }

  size(): number {
    this.isEmpty();
    return this.count!;
  }

  /** Adds a config, or replaces one with the same id: new target, fresh retry state, same cursor. */
  upsert(config: StoredConfig, cursor: number): void {
    if (!this.exists) {
      this.sql.exec(DDL);
      this.exists = true;
    }
    this.sql.exec(
      `INSERT INTO push_configs (id, body, cursor) VALUES (?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET body = excluded.body, attempts = 0, next_at = 0, failing_since = NULL, last_error = NULL, parked = NULL`,
      config.id,
      JSON.stringify(config),
      cursor,
    );
    this.count = undefined;
  }

  get(id: string): PushConfigRow | undefined {
    if (!this.exists) return undefined;
    const row = this.sql.exec<Row>(`${SELECT} WHERE id = ?`, id).toArray()[0];
    return row && toRow(row);
  }

  /** In registration order, after `position`. */
  page(afterPosition: number, limit: number): PushConfigRow[] {
    if (!this.exists) return [];
    return this.sql.exec<Row>(`${SELECT} WHERE position > ? ORDER BY position LIMIT ?`, afterPosition, limit).toArray().map(toRow);
  }

  all(): PushConfigRow[] {
    return this.isEmpty() ? [] : this.page(0, 1000);
  }

  delete(id: string): void {
    if (!this.exists) return;
    this.sql.exec("DELETE FROM push_configs WHERE id = ?", id);
    this.count = undefined;
  }

  /** The receiver acknowledged everything up to `seq`. */
  delivered(id: string, seq: number): void {
    this.sql.exec(
      "UPDATE push_configs SET cursor = max(cursor, ?), attempts = 0, next_at = 0, failing_since = NULL, last_error = NULL WHERE id = ?",
      seq,
      id,
    );
  }

  failed(id: string, state: { attempts: number; nextAt: number; failingSince: number; error: string }): void {
    this.sql.exec(
      "UPDATE push_configs SET attempts = ?, next_at = ?, failing_since = ?, last_error = ? WHERE id = ?",
      state.attempts,
      state.nextAt,
      state.failingSince,
      state.error.slice(0, 500),
      id,
    );
  }

  park(id: string, reason: string): void {
    this.sql.exec("UPDATE push_configs SET parked = ?, last_error = ? WHERE id = ?", reason.slice(0, 500), reason.slice(0, 500), id);
  }
}

function toRow(row: Row): PushConfigRow {
  return {
    position: row.position,
    config: JSON.parse(row.body) as StoredConfig,
    cursor: row.cursor,
    attempts: row.attempts,
    nextAt: row.next_at,
    failingSince: row.failing_since,
    lastError: row.last_error,
    parked: row.parked,
  };
}

import type { Artifact, Message, StreamResponse, Task } from "../schema/a2a";

const SCHEMA_VERSION = 1;

/**
 * The task object's SQLite layout, created on the first write only: an object that only ever answered
 * "not found" (a guessed id) leaves no storage behind. Kept to three tables (the task itself is a `meta`
 * row, artifacts get theirs on the first artifact) because each table costs a new object measurably.
 */
const DDL = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS history (
  seq INTEGER PRIMARY KEY, message_id TEXT NOT NULL UNIQUE, body TEXT NOT NULL, committed_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, body TEXT NOT NULL, committed_at INTEGER NOT NULL);
`;

export interface Scope {
  tenant: string;
  owner: string;
}

/** What a task object holds: a task, or (for an agent that answered with a Message) the exchange. */
export type Stored =
  | { kind: "empty" }
  | { kind: "task"; scope: Scope; task: Task; version: number }
  | { kind: "reply"; scope: Scope; request: Message; reply: Message };

/**
 * Every write of meta keys, whatever their number, is this one statement (a JSON object of string values):
 * each distinct statement is compiled once per object, and most objects live for a single task.
 */
const SET_METAS = "INSERT OR REPLACE INTO meta (key, value) SELECT key, value FROM json_each(?)";

const ARTIFACTS_DDL = "CREATE TABLE IF NOT EXISTS artifacts (artifact_id TEXT PRIMARY KEY, position INTEGER NOT NULL, body TEXT NOT NULL)";

/** The most history messages one index write carries; a longer backlog goes in several. */
export const INDEX_BATCH = 500;

export interface PendingIndexWrite {
  scope: Scope;
  task: { task: Task; version: number; createdAt: string } | undefined;
  /** `body` is `message` as stored (JSON), so the write can pass it on without serializing it again. */
  messages: Array<{ seq: number; message: Message; body: string; committedAt: number }>;
}

/** Synchronous storage for one task; every method runs inside the object's implicit transaction. */
export class TaskStorage {
  private ready: boolean;
  private artifactsReady: boolean;
  /** The tables this object had when it was loaded (one read of the schema serves every store). */
  private readonly tables: ReadonlySet<string>;
  /**
   * The small meta keys (owner, creation time, index and alarm bookkeeping), read once: this object is their
   * only writer. The task itself (`task`, `version`) is read from SQL by `load` alone and is not kept here.
   */
  private metaCache: Map<string, string> | undefined;

  constructor(private readonly sql: SqlStorage) {
    const tables = new Set(sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").toArray().map((t) => t.name));
    this.tables = tables;
    this.ready = tables.has("meta");
    this.artifactsReady = tables.has("artifacts");
  }

  /** Whether the object had table `name` when it was loaded. */
  hadTable(name: string): boolean {
    return this.tables.has(name);
  }

  load(): Stored {
    if (!this.ready) return { kind: "empty" };
    const meta = this.meta();
    const scope: Scope = { tenant: meta.get("tenant") ?? "", owner: meta.get("owner") ?? "" };
    if (meta.get("kind") === "reply") {
      return { kind: "reply", scope, request: JSON.parse(meta.get("request")!), reply: JSON.parse(meta.get("reply")!) };
    }
    const head = meta.get("task");
    if (head === undefined) return { kind: "empty" };
    const task: Task = JSON.parse(head);
    const history = this.sql.exec<{ body: string }>("SELECT body FROM history ORDER BY seq").toArray();
    if (history.length > 0) task.history = history.map((h) => JSON.parse(h.body) as Message);
    if (this.artifactsReady) {
      const artifacts = this.sql.exec<{ body: string }>("SELECT body FROM artifacts ORDER BY position").toArray();
      if (artifacts.length > 0) task.artifacts = artifacts.map((a) => JSON.parse(a.body) as Artifact);
    }
    return { kind: "task", scope, task, version: Number(meta.get("version")) };
  }

  /** Records the owner and kind once, at creation. */
  init(kind: "task" | "reply", scope: Scope, extra: Record<string, string> = {}): void {
    this.setMetas({ kind, tenant: scope.tenant, owner: scope.owner, created_at: new Date().toISOString(), ...extra });
  }

  /** Writes what one committed event changed: the task row, new history messages, touched artifacts, the event. */
  write(task: Task, version: number, change: { messages: Message[]; artifact?: Artifact; event: unknown }, now: number): void {
    const head: Task = { ...task };
    delete head.history;
    delete head.artifacts;
    this.sql.exec(SET_METAS, JSON.stringify({ task: JSON.stringify(head), version: String(version) }));
    for (const message of change.messages) this.insertMessage(message, now);
    const artifactId = change.artifact?.artifactId;
    const position = task.artifacts?.findIndex((a) => a.artifactId === artifactId) ?? -1;
    if (position >= 0) {
      if (!this.artifactsReady) {
        this.sql.exec(ARTIFACTS_DDL);
        this.artifactsReady = true;
      }
      this.sql.exec(
        "INSERT OR REPLACE INTO artifacts (artifact_id, position, body) VALUES (?, ?, ?)",
        artifactId!,
        position,
        JSON.stringify(task.artifacts![position]),
      );
    }
    if (change.event !== undefined) {
      this.sql.exec("INSERT INTO events (seq, body, committed_at) VALUES (?, ?, ?)", version, JSON.stringify(change.event), now);
    }
  }

  /** Messages of a taskless exchange are history too; they go to Postgres like a task's. */
  writeExchange(messages: Message[], now: number): void {
    for (const message of messages) this.insertMessage(message, now);
  }

  private insertMessage(message: Message, now: number): void {
    this.sql.exec(
      "INSERT OR IGNORE INTO history (message_id, body, committed_at) VALUES (?, ?, ?)",
      message.messageId,
      JSON.stringify(message),
      now,
    );
  }

  /** The event log after `seq`, oldest first: what a resuming subscriber missed. */
  eventsAfter(seq: number): Array<{ seq: number; event: StreamResponse }> {
    if (!this.ready) return [];
    return this.sql
      .exec<{ seq: number; body: string }>("SELECT seq, body FROM events WHERE seq > ? ORDER BY seq", seq)
      .toArray()
      .map((row) => ({ seq: row.seq, event: JSON.parse(row.body) as StreamResponse }));
  }

  /** The oldest event still kept, or undefined when the log is empty. */
  oldestEventSeq(): number | undefined {
    if (!this.ready) return undefined;
    return this.sql.exec<{ seq: number | null }>("SELECT min(seq) AS seq FROM events").one().seq ?? undefined;
  }

  /** Drops events committed before `before` (ms), the log's retention window, but none after `keepAfter`. */
  pruneEvents(before: number, keepAfter = Number.MAX_SAFE_INTEGER): void {
    if (this.ready) this.sql.exec("DELETE FROM events WHERE committed_at < ? AND seq <= ?", before, keepAfter);
  }

  /**
   * What Postgres has not yet acknowledged: the task if its version moved past `indexed_version`, and the
   * history after `indexed_seq`. (Objects from before `indexed_seq` send their history once more; the
   * write ignores messages it already has.)
   */
  pendingIndexWrite(current: Stored): PendingIndexWrite {
    if (!this.ready || current.kind === "empty") return { scope: { tenant: "", owner: "" }, task: undefined, messages: [] };
    const meta = this.cachedMeta();
    const indexedVersion = Number(meta.get("indexed_version") ?? 0);
    const indexedSeq = Number(meta.get("indexed_seq") ?? 0);
    const rows = this.sql
      .exec<{ seq: number; body: string; committed_at: number }>(
        "SELECT seq, body, committed_at FROM history WHERE seq > ? ORDER BY seq LIMIT ?",
        indexedSeq,
        INDEX_BATCH,
      )
      .toArray();
    const task =
      current.kind === "task" && current.version > indexedVersion
        ? { task: current.task, version: current.version, createdAt: meta.get("created_at")! }
        : undefined;
    const messages = rows.map((r) => ({ seq: r.seq, message: JSON.parse(r.body) as Message, body: r.body, committedAt: r.committed_at }));
    return { scope: current.scope, task, messages };
  }

  markIndexed(write: PendingIndexWrite): void {
    const acknowledged: Record<string, string> = {};
    const lastSeq = write.messages.at(-1)?.seq;
    if (lastSeq !== undefined) acknowledged.indexed_seq = String(lastSeq);
    if (write.task) acknowledged.indexed_version = String(write.task.version);
    if (Object.keys(acknowledged).length > 0) this.setMetas(acknowledged);
  }

  /** One statement for several keys; creates the schema on the object's first write. */
  private setMetas(entries: Record<string, string>): void {
    const cache = this.cachedMeta();
    const all = this.ready ? entries : { ...entries, schema_version: String(SCHEMA_VERSION) };
    this.ensureSchema();
    this.sql.exec(SET_METAS, JSON.stringify(all));
    for (const [key, value] of Object.entries(all)) cache.set(key, value);
  }

  private cachedMeta(): Map<string, string> {
    if (this.metaCache) return this.metaCache;
    const meta = this.ready ? this.meta() : new Map<string, string>();
    meta.delete("task");
    meta.delete("version");
    return (this.metaCache = meta);
  }

  private meta(): Map<string, string> {
    const rows = this.sql.exec<{ key: string; value: string }>("SELECT key, value FROM meta").toArray();
    return new Map(rows.map((r) => [r.key, r.value]));
  }

  private ensureSchema(): void {
    if (this.ready) return;
    this.sql.exec(DDL);
    this.ready = true;
  }
}

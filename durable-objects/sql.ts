import type { Artifact, Message, StreamResponse, Task } from "../schema/a2a";

/**
 * The task object's SQLite layout: one table, created on the first write only (an object that only ever
 * answered "not found", a guessed id, leaves no storage behind). Every kind of row lives in it, so a new task
 * creates one b-tree instead of one per kind: creating tables and indexes was the largest storage cost of a
 * new object. A commit is one statement, whatever it touched.
 */
const SCHEMA_VERSION = 2;
const DDL = `CREATE TABLE IF NOT EXISTS task_log (
  kind INTEGER NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL, at INTEGER NOT NULL,
  PRIMARY KEY (kind, seq)
) WITHOUT ROWID`;

/** What a `task_log` row holds, by `kind`; `seq` orders rows of one kind. */
const Kind = {
  /** The object's one meta row (seq 0): owner, kind, the task head and the index bookkeeping, as JSON. */
  meta: 0,
  /** A history message; seq = its position (1-based). */
  history: 1,
  /** A StreamResponse of the event log; seq = the task version it was committed at. */
  event: 2,
  /** An artifact as it stands; seq = its position. */
  artifact: 3,
} as const;

/** Rows go in as one JSON array of [kind, seq, body, at]: one statement for any number of rows. */
const PUT_ROWS =
  "INSERT OR REPLACE INTO task_log (kind, seq, body, at) SELECT value->>0, value->>1, value->>2, value->>3 FROM json_each(?)";
type Row = [kind: number, seq: number, body: string, at: number];

/** Whose task it is: the hosted agent that runs it, and the (tenant, owner) it belongs to. */
export interface Scope {
  agent: string;
  tenant: string;
  owner: string;
}

/** Objects stored before agents were hosted side by side belong to the only agent there was. */
export const LEGACY_AGENT = "demo";

/**
 * A run that a resumable agent has in progress, kept in the meta row so that a restarted object can resume it:
 * which user message started it, and who sent it (the role decides what the run may use).
 */
export interface RunRecord {
  messageId: string;
  caller: Caller;
  startedAt: number;
}

/** The caller of a run as its credentials said: never the credentials themselves. */
export interface Caller {
  role?: string;
  authenticated: boolean;
  /**
   * The extensions the client activated for this request (`A2A-Extensions`, v0.3 `X-A2A-Extensions`) among those
   * the agent's card declares: an agent answers A2UI only to a client that renders it (tools/ui-client.ts).
   */
  extensions?: string[];
}

/** What a task object holds: a task, or (for an agent that answered with a Message) the exchange. */
export type Stored =
  | { kind: "empty" }
  | { kind: "task"; scope: Scope; task: Task; version: number }
  | { kind: "reply"; scope: Scope; request: Message; reply: Message };

/** The meta row. `task` is the task without history and artifacts (those are rows of their own). */
interface Meta {
  schemaVersion: number;
  kind: "task" | "reply";
  /** Absent in objects written before agents were hosted side by side (LEGACY_AGENT). */
  agent?: string;
  tenant: string;
  owner: string;
  createdAt: string;
  task?: Task;
  version?: number;
  request?: Message;
  reply?: Message;
  /** The last history seq and task version Postgres acknowledged. */
  indexedSeq?: number;
  indexedVersion?: number;
  /** The run in progress, for agents that resume after a restart. */
  run?: RunRecord;
}

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
  /** The meta row as last written; undefined while the object has no storage. */
  private meta: Meta | undefined;
  /** The highest history seq stored: the next message gets `historyCount + 1`. */
  private historyCount = 0;
  /** The tables this object had when it was loaded (one read of the schema serves every store). */
  private readonly tables: ReadonlySet<string>;
  /** Whether `task_log` exists: until the first write, every read answers "nothing" without a query. */
  private created: boolean;
  /**
   * The history messages this instance wrote and Postgres has not acknowledged, so the index write needs no
   * read back; `undefined` once they are not all here (written before a restart, or too many in a long outage).
   */
  private unindexed: PendingIndexWrite["messages"] | undefined = [];

  constructor(private readonly sql: SqlStorage) {
    const tables = new Set(sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").toArray().map((t) => t.name));
    if (tables.has("meta") && !tables.has("task_log")) migrateFromV1(sql, tables);
    this.tables = tables;
    this.created = tables.has("task_log");
    if (this.created) {
      const row = sql.exec<{ body: string }>("SELECT body FROM task_log WHERE kind = ? AND seq = 0", Kind.meta).toArray()[0];
      this.meta = row ? (JSON.parse(row.body) as Meta) : undefined;
    }
  }

  /** Whether the object had table `name` when it was loaded. */
  hadTable(name: string): boolean {
    return this.tables.has(name);
  }

  /** The run in progress as last recorded (resumable agents only). */
  run(): RunRecord | undefined {
    return this.meta?.run;
  }

  /** Records (or clears) the run in progress; written at once, since a restart must find it. */
  setRun(run: RunRecord | undefined, now = Date.now()): void {
    const meta = { ...this.requireMeta() };
    if (run) meta.run = run;
    else delete meta.run;
    if (this.created || run) this.put([this.metaRow(meta, now)]);
    this.meta = meta;
  }

  load(): Stored {
    const meta = this.meta;
    if (!meta) return { kind: "empty" };
    const scope: Scope = { agent: meta.agent ?? LEGACY_AGENT, tenant: meta.tenant, owner: meta.owner };
    const history = this.sql.exec<{ seq: number; body: string }>("SELECT seq, body FROM task_log WHERE kind = ? ORDER BY seq", Kind.history).toArray();
    this.historyCount = history.at(-1)?.seq ?? 0;
    if ((meta.indexedSeq ?? 0) < this.historyCount) this.unindexed = undefined;
    if (meta.kind === "reply") return { kind: "reply", scope, request: meta.request!, reply: meta.reply! };
    if (!meta.task) return { kind: "empty" };
    const task: Task = { ...meta.task };
    if (history.length > 0) task.history = history.map((row) => JSON.parse(row.body) as Message);
    const artifacts = this.sql.exec<{ body: string }>("SELECT body FROM task_log WHERE kind = ? ORDER BY seq", Kind.artifact).toArray();
    if (artifacts.length > 0) task.artifacts = artifacts.map((row) => JSON.parse(row.body) as Artifact);
    return { kind: "task", scope, task, version: meta.version ?? 0 };
  }

  /** Records the owner and kind once, at creation; nothing is written until the first commit. */
  init(kind: "task" | "reply", scope: Scope): void {
    this.meta = { schemaVersion: SCHEMA_VERSION, kind, agent: scope.agent, tenant: scope.tenant, owner: scope.owner, createdAt: new Date().toISOString() };
  }

  /**
   * Writes what one committed event changed, in one statement: the task head (in the meta row), new history
   * messages, the touched artifact, the event.
   */
  write(task: Task, version: number, change: { messages: Message[]; artifact?: Artifact; event: unknown }, now: number): void {
    const head: Task = { ...task };
    delete head.history;
    delete head.artifacts;
    const meta = { ...this.requireMeta(), task: head, version };
    const history = this.historyRows(change.messages, now);
    const rows: Row[] = [this.metaRow(meta, now), ...history];
    const artifactId = change.artifact?.artifactId;
    const position = task.artifacts?.findIndex((a) => a.artifactId === artifactId) ?? -1;
    if (position >= 0) rows.push([Kind.artifact, position, JSON.stringify(task.artifacts![position]), now]);
    if (change.event !== undefined) rows.push([Kind.event, version, JSON.stringify(change.event), now]);
    this.put(rows);
    this.meta = meta;
    this.remember(change.messages, history);
    this.historyCount += change.messages.length;
  }

  /** A taskless exchange: the request and the agent's reply, which are history too (they go to Postgres). */
  writeExchange(request: Message, reply: Message, now: number): void {
    const meta = { ...this.requireMeta(), request, reply };
    const history = this.historyRows([request, reply], now);
    this.put([this.metaRow(meta, now), ...history]);
    this.meta = meta;
    this.remember([request, reply], history);
    this.historyCount += 2;
  }

  /** The event log after `seq`, oldest first: what a resuming subscriber missed. */
  eventsAfter(seq: number): Array<{ seq: number; event: StreamResponse }> {
    if (!this.created) return [];
    return this.sql
      .exec<{ seq: number; body: string }>("SELECT seq, body FROM task_log WHERE kind = ? AND seq > ? ORDER BY seq", Kind.event, seq)
      .toArray()
      .map((row) => ({ seq: row.seq, event: JSON.parse(row.body) as StreamResponse }));
  }

  /** The first logged event after `seq`, as stored (webhooks deliver them one at a time). */
  nextEvent(seq: number): { seq: number; body: string } | undefined {
    if (!this.created) return undefined;
    return this.sql
      .exec<{ seq: number; body: string }>("SELECT seq, body FROM task_log WHERE kind = ? AND seq > ? ORDER BY seq LIMIT 1", Kind.event, seq)
      .toArray()[0];
  }

  /** The oldest event still kept, or undefined when the log is empty. */
  oldestEventSeq(): number | undefined {
    if (!this.created) return undefined;
    return this.sql.exec<{ seq: number | null }>("SELECT min(seq) AS seq FROM task_log WHERE kind = ?", Kind.event).one().seq ?? undefined;
  }

  /** Drops events committed before `before` (ms), the log's retention window, but none after `keepAfter`. */
  pruneEvents(before: number, keepAfter = Number.MAX_SAFE_INTEGER): void {
    if (this.created) this.sql.exec("DELETE FROM task_log WHERE kind = ? AND at < ? AND seq <= ?", Kind.event, before, keepAfter);
  }

  /**
   * What Postgres has not yet acknowledged: the task if its version moved past the indexed one, and the
   * history after the indexed seq (at most INDEX_BATCH messages).
   */
  pendingIndexWrite(current: Stored): PendingIndexWrite {
    const meta = this.meta;
    if (!meta || current.kind === "empty") return { scope: { agent: "", tenant: "", owner: "" }, task: undefined, messages: [] };
    const task =
      current.kind === "task" && current.version > (meta.indexedVersion ?? 0)
        ? { task: current.task, version: current.version, createdAt: meta.createdAt }
        : undefined;
    return { scope: current.scope, task, messages: this.unindexed?.slice(0, INDEX_BATCH) ?? this.unindexedFromSql(meta.indexedSeq ?? 0) };
  }

  /**
   * Postgres has `write`. The marks are kept in memory and reach SQLite with the next commit's meta row: after
   * a restart, at worst the writes since the last commit are sent again, and Postgres ignores repeats.
   */
  markIndexed(write: PendingIndexWrite): void {
    const lastSeq = write.messages.at(-1)?.seq;
    const meta = { ...this.requireMeta() };
    if (lastSeq !== undefined) meta.indexedSeq = lastSeq;
    if (write.task) meta.indexedVersion = write.task.version;
    this.meta = meta;
    if (lastSeq === undefined) return;
    if (this.unindexed) this.unindexed = this.unindexed.filter((m) => m.seq > lastSeq);
    else if (lastSeq >= this.historyCount) this.unindexed = [];
  }

  private unindexedFromSql(indexedSeq: number): PendingIndexWrite["messages"] {
    return this.sql
      .exec<{ seq: number; body: string; at: number }>(
        "SELECT seq, body, at FROM task_log WHERE kind = ? AND seq > ? ORDER BY seq LIMIT ?",
        Kind.history,
        indexedSeq,
        INDEX_BATCH,
      )
      .toArray()
      .map((r) => ({ seq: r.seq, message: JSON.parse(r.body) as Message, body: r.body, committedAt: r.at }));
  }

  /** `history`: the rows just written for `messages`, in the same order. */
  private remember(messages: Message[], history: Row[]): void {
    if (!this.unindexed) return;
    history.forEach(([, seq, body, at], i) => this.unindexed!.push({ seq, message: messages[i]!, body, committedAt: at }));
    // A long outage: past this many, the backlog is read back from SQLite batch by batch instead.
    if (this.unindexed.length > 2 * INDEX_BATCH) this.unindexed = undefined;
  }

  private requireMeta(): Meta {
    if (!this.meta) throw new Error("task storage written before init()");
    return this.meta;
  }

  private metaRow(meta: Meta, now: number): Row {
    return [Kind.meta, 0, JSON.stringify(meta), now];
  }

  private historyRows(messages: Message[], now: number): Row[] {
    return messages.map((message, i) => [Kind.history, this.historyCount + i + 1, JSON.stringify(message), now]);
  }

  /** Creates the table on the object's first write. */
  private put(rows: Row[]): void {
    if (!this.created) {
      this.sql.exec(DDL);
      this.created = true;
    }
    this.sql.exec(PUT_ROWS, JSON.stringify(rows));
  }
}

/**
 * Objects written by schema version 1 kept meta, history, events and artifacts in four tables. Their rows
 * move into `task_log` once, when such an object is next loaded; `tables` is updated to the new layout.
 */
function migrateFromV1(sql: SqlStorage, tables: Set<string>): void {
  const entries = new Map(sql.exec<{ key: string; value: string }>("SELECT key, value FROM meta").toArray().map((r) => [r.key, r.value]));
  const number = (key: string) => (entries.has(key) ? Number(entries.get(key)) : undefined);
  const json = (key: string) => (entries.has(key) ? JSON.parse(entries.get(key)!) : undefined);
  const meta: Meta = {
    schemaVersion: SCHEMA_VERSION,
    kind: entries.get("kind") === "reply" ? "reply" : "task",
    tenant: entries.get("tenant") ?? "",
    owner: entries.get("owner") ?? "",
    createdAt: entries.get("created_at") ?? new Date(0).toISOString(),
    ...(entries.has("task") ? { task: json("task") as Task, version: number("version") ?? 0 } : {}),
    ...(entries.has("request") ? { request: json("request") as Message, reply: json("reply") as Message } : {}),
    ...(entries.has("indexed_seq") ? { indexedSeq: number("indexed_seq") } : {}),
    ...(entries.has("indexed_version") ? { indexedVersion: number("indexed_version") } : {}),
  };
  const now = Date.now();
  const rows: Row[] = [[Kind.meta, 0, JSON.stringify(meta), now]];
  if (tables.has("history")) {
    for (const h of sql.exec<{ seq: number; body: string; committed_at: number }>("SELECT * FROM history").toArray()) {
      rows.push([Kind.history, h.seq, h.body, h.committed_at]);
    }
  }
  if (tables.has("events")) {
    for (const e of sql.exec<{ seq: number; body: string; committed_at: number }>("SELECT * FROM events").toArray()) {
      rows.push([Kind.event, e.seq, e.body, e.committed_at]);
    }
  }
  if (tables.has("artifacts")) {
    for (const a of sql.exec<{ position: number; body: string }>("SELECT * FROM artifacts").toArray()) {
      rows.push([Kind.artifact, a.position, a.body, now]);
    }
  }
  sql.exec(DDL);
  sql.exec(PUT_ROWS, JSON.stringify(rows));
  for (const table of ["meta", "history", "events", "artifacts"]) {
    if (tables.has(table)) {
      sql.exec(`DROP TABLE ${table}`);
      tables.delete(table);
    }
  }
  tables.add("task_log");
}

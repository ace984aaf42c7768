import { bigint, index, integer, json, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The task index behind ListTasks. The task's Durable Object is the source of truth and the only writer;
 * `version` (the object's event sequence) lets a retried, older write lose to a newer one.
 */
export const tasks = pgTable(
  "tasks",
  {
    id: text("id").primaryKey(),
    /** The hosted agent that runs the task; rows from before agents were hosted side by side are the demo's. */
    agent: text("agent").notNull().default("demo"),
    tenant: text("tenant").notNull(),
    owner: text("owner").notNull(),
    contextId: text("context_id").notNull(),
    state: text("state").notNull(),
    statusTimestamp: timestamp("status_timestamp", { precision: 3, withTimezone: true, mode: "string" }).notNull(),
    version: integer("version").notNull(),
    // json, not jsonb: stored and returned whole, never queried inside, and json keeps a \u0000 that jsonb refuses.
    snapshot: json("snapshot").notNull(),
    createdAt: timestamp("created_at", { precision: 3, withTimezone: true, mode: "string" }).notNull(),
  },
  (t) => [
    index("tasks_scope_recent").on(t.agent, t.tenant, t.owner, t.statusTimestamp.desc(), t.id.desc()),
    index("tasks_scope_context").on(t.agent, t.tenant, t.owner, t.contextId, t.statusTimestamp.desc()),
  ],
);

/**
 * Conversation history: every message of a context, user and agent, in the order the task objects committed
 * them (`committedAt`, then the task's own `seq`). Written at least once; the key makes retries idempotent.
 */
export const messages = pgTable(
  "messages",
  {
    messageId: text("message_id").notNull(),
    /** Null for a message exchange the agent answered without creating a task. */
    taskId: text("task_id"),
    agent: text("agent").notNull().default("demo"),
    tenant: text("tenant").notNull(),
    owner: text("owner").notNull(),
    contextId: text("context_id").notNull(),
    role: text("role").notNull(),
    seq: integer("seq").notNull(),
    committedAt: bigint("committed_at", { mode: "number" }).notNull(),
    message: json("message").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.agent, t.tenant, t.owner, t.contextId, t.messageId] }),
    index("messages_context_order").on(t.agent, t.tenant, t.owner, t.contextId, t.committedAt, t.seq),
    index("messages_task").on(t.taskId),
  ],
);

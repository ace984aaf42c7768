import { bigint, boolean, index, integer, json, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The agent registry (workers/registry): every A2A agent the platform may call or front, hosted here or remote.
 * Entries come from three sources: the `AGENTS` config variable, the admin API, and the hosted agents themselves.
 */
export const registryAgents = pgTable("registry_agents", {
  /** The agent's id: its name in `send_to_agent`, its path `/agents/{id}/` through the gateway. */
  id: text("id").primaryKey(),
  /** "config" (AGENTS), "admin" (the admin API) or "hosted" (an agent this deployment serves itself). */
  source: text("source").notNull(),
  /** Roles allowed to use it; `["*"]` is every role. */
  roles: json("roles").$type<string[]>().notNull(),
  /** How calls authenticate downstream (workers/registry/credentials.ts); never a secret itself, only a secret's name. */
  credentials: json("credentials").notNull(),
  /** Per-call timeout, retries, gateway rate limit (workers/registry/entry.ts). */
  limits: json("limits").notNull(),
  /** Whether the caller's own bearer token may be forwarded to it. */
  trusted: boolean("trusted").notNull().default(false),
  /** Whether it is reachable through the platform at `/agents/{id}/…` (remote agents only). */
  gateway: boolean("gateway").notNull().default(false),
  /** Whether an unsigned card is refused. */
  requireSignature: boolean("require_signature").notNull().default(false),
  /** Card-signing public keys pinned in configuration (a JWKS); otherwise the signature's `jku` is fetched. */
  keys: json("keys"),
  updatedAt: timestamp("updated_at", { precision: 3, withTimezone: true, mode: "string" }).notNull(),
});

/**
 * One replica of an agent (a card URL): the card as last fetched, with what it says, and the replica's health.
 * `consecutive_failures` and `state` move in one UPDATE per signal, so probes and calls never race.
 */
export const registryReplicas = pgTable(
  "registry_replicas",
  {
    agentId: text("agent_id").notNull(),
    cardUrl: text("card_url").notNull(),
    /** The card as served (JSON), the last one that passed verification; null until one has. */
    card: json("card"),
    etag: text("etag"),
    /** When the cached card goes stale (Cache-Control max-age, bounded). */
    expiresAt: timestamp("expires_at", { precision: 3, withTimezone: true, mode: "string" }),
    fetchedAt: timestamp("fetched_at", { precision: 3, withTimezone: true, mode: "string" }),
    /** Protocol versions its interfaces speak ("1.0", "0.3"), and its card's own shape. */
    protocolVersions: json("protocol_versions").$type<string[]>(),
    cardShape: text("card_shape"),
    /** `[{ url, binding, version }]` from v1.0 supportedInterfaces or v0.3 url/additionalInterfaces. */
    bindings: json("bindings"),
    /** `[{ id, name, description, tags, examples }]`. */
    skills: json("skills"),
    streaming: boolean("streaming"),
    /** "unsigned", "verified" or "refused"; with the key id that verified it. */
    signature: text("signature"),
    signatureKid: text("signature_kid"),
    /** Why the last card fetch was refused or failed. */
    cardError: text("card_error"),
    /** "unknown" until probed, then "healthy" or "unhealthy". */
    state: text("state").notNull().default("unknown"),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    latencyMs: integer("latency_ms"),
    lastProbeAt: timestamp("last_probe_at", { precision: 3, withTimezone: true, mode: "string" }),
    lastError: text("last_error"),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.cardUrl] })],
);

/**
 * Child tasks the delegation tool started, by the parent call's idempotency key: a run resumed after a restart
 * finds its child here and follows it instead of creating it again (a downstream agent need not dedupe by
 * messageId), and a cancelled parent knows which children to cancel.
 */
export const registryDelegations = pgTable(
  "registry_delegations",
  {
    idempotencyKey: text("idempotency_key").primaryKey(),
    parentTaskId: text("parent_task_id").notNull(),
    agentId: text("agent_id").notNull(),
    cardUrl: text("card_url").notNull(),
    childTaskId: text("child_task_id"),
    childContextId: text("child_context_id"),
    /** Who the child was created for (never a credential): a cascade cancel acts for the same user. */
    callerOwner: text("caller_owner").notNull(),
    callerTenant: text("caller_tenant").notNull(),
    callerRole: text("caller_role").notNull(),
    /** "started", "working", "input-required", "completed", "failed", "canceled", … */
    state: text("state").notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [index("registry_delegations_parent").on(t.parentTaskId)],
);

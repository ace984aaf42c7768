import { and, eq, inArray, notInArray, sql } from "drizzle-orm";
import { database, type Database } from "../../durable-objects/db";
import { registryAgents, registryDelegations, registryReplicas } from "../../schema/db/registry";
import { A2AError } from "../../schema/a2a";
import { CredentialsSchema, LimitsSchema, type AgentEntry, type RegisteredAgent, type ReplicaState, type Source } from "./entry";

/** The registry lives in Postgres; without a database there is none. */
export function registryDb(env: Env): Database {
  const db = database(env);
  if (!db) throw new A2AError("Unavailable", "The agent registry needs a database (DATABASE_URL)");
  return db;
}

type AgentRow = typeof registryAgents.$inferSelect;
type ReplicaRow = typeof registryReplicas.$inferSelect;

function replicaState(row: ReplicaRow): ReplicaState {
  return {
    cardUrl: row.cardUrl,
    card: (row.card as Record<string, unknown> | null) ?? null,
    etag: row.etag,
    expiresAt: row.expiresAt,
    fetchedAt: row.fetchedAt,
    protocolVersions: row.protocolVersions ?? [],
    cardShape: (row.cardShape as ReplicaState["cardShape"]) ?? null,
    bindings: (row.bindings as ReplicaState["bindings"]) ?? [],
    skills: (row.skills as ReplicaState["skills"]) ?? [],
    streaming: row.streaming ?? false,
    signature: (row.signature as ReplicaState["signature"]) ?? null,
    signatureKid: row.signatureKid,
    cardError: row.cardError,
    state: row.state as ReplicaState["state"],
    consecutiveFailures: row.consecutiveFailures,
    latencyMs: row.latencyMs,
    lastProbeAt: row.lastProbeAt,
    lastError: row.lastError,
  };
}

function registered(agent: AgentRow, replicas: ReplicaRow[]): RegisteredAgent {
  const mine = replicas.filter((r) => r.agentId === agent.id);
  return {
    id: agent.id,
    source: agent.source as Source,
    replicas: mine.map((r) => r.cardUrl),
    roles: agent.roles,
    // Stored through the schemas, read back through them: a row edited by hand cannot widen what a call does.
    credentials: CredentialsSchema.parse(agent.credentials),
    limits: LimitsSchema.parse(agent.limits),
    trusted: agent.trusted,
    gateway: agent.gateway,
    requireSignature: agent.requireSignature,
    ...(agent.keys ? { keys: agent.keys as AgentEntry["keys"] } : {}),
    updatedAt: agent.updatedAt,
    replicaStates: mine.map(replicaState),
  };
}

/**
 * Counts the writes of entries and cards made in this isolate, so that a list cached for a few seconds
 * (delegableAgents) is dropped as soon as this isolate changes the registry.
 */
let writes = 0;
export const registryWrites = () => writes;

/** Every agent with its replicas: two queries in one round trip. */
export async function listAgents(db: Database): Promise<RegisteredAgent[]> {
  const [agents, replicas] = await db.batch([
    db.select().from(registryAgents).orderBy(registryAgents.id),
    db.select().from(registryReplicas).orderBy(registryReplicas.agentId, registryReplicas.cardUrl),
  ]);
  return agents.map((agent) => registered(agent, replicas));
}

export async function getAgent(db: Database, id: string): Promise<RegisteredAgent | undefined> {
  const [agents, replicas] = await db.batch([
    db.select().from(registryAgents).where(eq(registryAgents.id, id)),
    db.select().from(registryReplicas).where(eq(registryReplicas.agentId, id)).orderBy(registryReplicas.cardUrl),
  ]);
  return agents[0] ? registered(agents[0], replicas) : undefined;
}

/** The card columns of a replica; health columns are left as they are. */
export type CardColumns = Pick<
  ReplicaRow,
  "card" | "etag" | "expiresAt" | "fetchedAt" | "protocolVersions" | "cardShape" | "bindings" | "skills" | "streaming" | "signature" | "signatureKid" | "cardError"
>;

export interface ReplicaWrite {
  cardUrl: string;
  /** Absent when the card could not be fetched: the replica is stored without one, to be probed again. */
  card?: CardColumns;
  /** The health signal of the fetch that registration made. */
  health?: HealthSignal;
}

/**
 * Creates or replaces an entry in one transaction: the agent row, its replicas (a replica no longer listed goes,
 * a kept one keeps its health), and each replica's card as just fetched.
 */
export async function saveAgent(db: Database, entry: AgentEntry, source: Source, replicas: ReplicaWrite[]): Promise<void> {
  const now = new Date().toISOString();
  const row = {
    id: entry.id,
    source,
    roles: entry.roles,
    credentials: entry.credentials,
    limits: entry.limits,
    trusted: entry.trusted,
    gateway: entry.gateway,
    requireSignature: entry.requireSignature,
    keys: entry.keys ?? null,
    updatedAt: now,
  };
  const urls = replicas.map((r) => r.cardUrl);
  await db.batch([
    db.insert(registryAgents).values(row).onConflictDoUpdate({ target: registryAgents.id, set: row }),
    db.delete(registryReplicas).where(and(eq(registryReplicas.agentId, entry.id), notInArray(registryReplicas.cardUrl, urls))),
    ...replicas.map((replica) =>
      db
        .insert(registryReplicas)
        .values({ agentId: entry.id, cardUrl: replica.cardUrl, ...(replica.card ?? {}) })
        .onConflictDoUpdate({ target: [registryReplicas.agentId, registryReplicas.cardUrl], set: replica.card ?? { cardUrl: replica.cardUrl } }),
    ),
  ]);
  writes++;
  await Promise.all(replicas.flatMap((r) => (r.health ? [recordHealth(db, entry.id, r.cardUrl, r.health)] : [])));
}

export async function deleteAgent(db: Database, id: string): Promise<boolean> {
  const [deleted] = await db.batch([
    db.delete(registryAgents).where(eq(registryAgents.id, id)).returning({ id: registryAgents.id }),
    db.delete(registryReplicas).where(eq(registryReplicas.agentId, id)),
  ]);
  writes++;
  return deleted.length > 0;
}

/** Deletes the entries of `source` whose ids are not in `keep` (entries dropped from `AGENTS`, hosted agents gone). */
export async function deleteStale(db: Database, source: Source, keep: string[]): Promise<void> {
  const stale = await db
    .select({ id: registryAgents.id })
    .from(registryAgents)
    .where(and(eq(registryAgents.source, source), keep.length > 0 ? notInArray(registryAgents.id, keep) : sql`true`));
  if (stale.length === 0) return;
  const ids = stale.map((s) => s.id);
  await db.batch([db.delete(registryAgents).where(inArray(registryAgents.id, ids)), db.delete(registryReplicas).where(inArray(registryReplicas.agentId, ids))]);
  writes++;
}

export async function saveCard(db: Database, agentId: string, cardUrl: string, columns: Partial<CardColumns>): Promise<void> {
  await db
    .update(registryReplicas)
    .set(columns)
    .where(and(eq(registryReplicas.agentId, agentId), eq(registryReplicas.cardUrl, cardUrl)));
  writes++;
}

export interface HealthSignal {
  ok: boolean;
  latencyMs?: number;
  error?: string;
  /** Failures in a row after which the replica is unhealthy. */
  threshold: number;
}

/**
 * One health signal (a probe or a call), applied in a single UPDATE so concurrent signals from the cron and from
 * calls never lose a count: a success makes the replica healthy and clears the count; a failure counts, and
 * at `threshold` failures in a row the replica is unhealthy. Returns the new state.
 */
export async function recordHealth(db: Database, agentId: string, cardUrl: string, signal: HealthSignal): Promise<string | undefined> {
  const now = new Date().toISOString();
  const rows = await db
    .update(registryReplicas)
    .set(
      signal.ok
        ? { state: "healthy", consecutiveFailures: 0, lastProbeAt: now, lastError: null, ...(signal.latencyMs !== undefined ? { latencyMs: signal.latencyMs } : {}) }
        : {
            consecutiveFailures: sql`${registryReplicas.consecutiveFailures} + 1`,
            state: sql`CASE WHEN ${registryReplicas.consecutiveFailures} + 1 >= ${signal.threshold} THEN 'unhealthy' ELSE ${registryReplicas.state} END`,
            lastProbeAt: now,
            lastError: (signal.error ?? "failed").slice(0, 500),
          },
    )
    .where(and(eq(registryReplicas.agentId, agentId), eq(registryReplicas.cardUrl, cardUrl)))
    .returning({ state: registryReplicas.state });
  return rows[0]?.state;
}

export type Delegation = typeof registryDelegations.$inferSelect;

export async function findDelegation(db: Database, idempotencyKey: string): Promise<Delegation | undefined> {
  return (await db.select().from(registryDelegations).where(eq(registryDelegations.idempotencyKey, idempotencyKey)))[0];
}

/** Records (or moves on) one delegation; the first child task id seen is kept. */
export async function saveDelegation(db: Database, row: Omit<Delegation, "updatedAt">): Promise<void> {
  const values = { ...row, updatedAt: Date.now() };
  await db
    .insert(registryDelegations)
    .values(values)
    .onConflictDoUpdate({
      target: registryDelegations.idempotencyKey,
      set: {
        state: values.state,
        cardUrl: values.cardUrl,
        childTaskId: sql`COALESCE(${registryDelegations.childTaskId}, ${values.childTaskId})`,
        childContextId: sql`COALESCE(${registryDelegations.childContextId}, ${values.childContextId})`,
        updatedAt: values.updatedAt,
      },
    });
}

/** Children of a parent task still running (for a cascade cancel). */
export async function runningChildren(db: Database, parentTaskId: string): Promise<Delegation[]> {
  return db
    .select()
    .from(registryDelegations)
    .where(and(eq(registryDelegations.parentTaskId, parentTaskId), inArray(registryDelegations.state, ["started", "working", "input-required"])));
}


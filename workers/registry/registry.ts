import { A2AError } from "../../schema/a2a";
import { hostedAgent } from "../../durable-objects/agents";
import { admitReplica, replicaWrite, unhealthyAfter } from "./cards";
import type { AgentEntry, RegisteredAgent, Source } from "./entry";
import { getAgent, recordHealth, registryDb, saveAgent, saveCard } from "./store";

/** Hosted and remote agents share one namespace, `/agents/{id}/`: a remote entry cannot take a hosted agent's id. */
export function assertNotHosted(id: string): void {
  if (hostedAgent(id)) throw new A2AError("AlreadyExists", `${id} is an agent hosted by this deployment; remote agents need another id`, { agentId: id });
}

/**
 * Registers (or replaces) an agent: every replica's card is fetched and judged first. A card that is refused (a
 * bad signature, not a card, a URL the guard refuses) refuses the whole entry with the reason, and nothing is
 * stored; a replica that does not answer is stored without a card, unhealthy-bound, for the cron to retry.
 * `strict: false` (the AGENTS sync) stores refused replicas with their error instead of refusing.
 */
export async function registerAgent(env: Env, entry: AgentEntry, source: Source, options: { strict: boolean }): Promise<RegisteredAgent> {
  if (source !== "hosted") assertNotHosted(entry.id);
  const db = registryDb(env);
  const admissions = await Promise.all(entry.replicas.map((url) => admitReplica(env, entry, url, null)));
  const refused = admissions.flatMap((a, i) => (a.kind === "refused" ? [{ field: `replicas.${i}`, description: a.reason }] : []));
  if (options.strict && refused.length > 0) {
    throw new A2AError("InvalidParams", `Refused: ${refused.map((r) => `${r.field}: ${r.description}`).join("; ")}`.slice(0, 1000), { agentId: entry.id }, refused);
  }
  await saveAgent(
    db,
    entry,
    source,
    entry.replicas.map((url, i) => replicaWrite(url, admissions[i]!)),
  );
  // A refused card keeps no card but says why.
  await Promise.all(admissions.map((a, i) => (a.kind === "refused" ? saveCard(db, entry.id, entry.replicas[i]!, { cardError: a.reason }) : undefined)));
  return (await getAgent(db, entry.id))!;
}

/**
 * Probes one replica (a conditional card fetch, timed) and records the outcome: a new card that passes replaces
 * the cached one; a 304 only extends it; a refused card keeps the old one and counts as a failure, as does no
 * answer. Returns the replica's health state afterwards.
 */
export async function probeReplica(env: Env, agent: RegisteredAgent, cardUrl: string): Promise<string | undefined> {
  const db = registryDb(env);
  const replica = agent.replicaStates.find((r) => r.cardUrl === cardUrl);
  const admission = await admitReplica(env, agent, cardUrl, replica?.card ? replica.etag : null);
  if (admission.kind === "card") await saveCard(db, agent.id, cardUrl, admission.card);
  else if (admission.kind === "not-modified") {
    await saveCard(db, agent.id, cardUrl, { expiresAt: new Date(Date.now() + admission.ttlSeconds * 1000).toISOString(), fetchedAt: new Date().toISOString() });
  } else if (admission.kind === "refused") await saveCard(db, agent.id, cardUrl, { cardError: admission.reason });
  return recordHealth(db, agent.id, cardUrl, admission.health);
}

/** A call's outcome as a passive health signal for the replica that served it. */
export async function reportCall(env: Env, agentId: string, cardUrl: string, outcome: { ok: boolean; latencyMs?: number; error?: string }): Promise<void> {
  try {
    await recordHealth(registryDb(env), agentId, cardUrl, { ...outcome, threshold: unhealthyAfter(env) });
  } catch (error) {
    // Health bookkeeping must never fail the call it describes.
    console.warn(JSON.stringify({ at: "registry-health", agentId, error: String(error).slice(0, 200) }));
  }
}

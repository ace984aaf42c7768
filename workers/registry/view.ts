import { defaultRole } from "../../durable-objects/agents/orchestrator";
import type { RegisteredAgent, ReplicaState } from "./entry";

/** The role a caller acts in: its credentials', else the deployment's default (`DEFAULT_ROLE`), as in the orchestrator. */
export const roleOf = (env: Env, identity: { role?: string }) => identity.role ?? defaultRole(env);

const cardText = (card: Record<string, unknown> | null, key: "name" | "description") => (typeof card?.[key] === "string" ? (card[key] as string) : undefined);

function replicaView(r: ReplicaState) {
  return {
    cardUrl: r.cardUrl,
    health: { state: r.state, consecutiveFailures: r.consecutiveFailures, latencyMs: r.latencyMs, lastProbeAt: r.lastProbeAt, lastError: r.lastError },
    card: {
      name: cardText(r.card, "name") ?? null,
      protocolVersions: r.protocolVersions,
      shape: r.cardShape,
      bindings: r.bindings,
      streaming: r.streaming,
      skills: r.skills,
      signature: r.signature,
      signatureKid: r.signatureKid,
      etag: r.etag,
      fetchedAt: r.fetchedAt,
      expiresAt: r.expiresAt,
      error: r.cardError,
    },
  };
}

/** An entry as the admin API shows it: configuration (secret names, never values), cards and health per replica. */
export function adminView(agent: RegisteredAgent) {
  return {
    id: agent.id,
    source: agent.source,
    roles: agent.roles,
    credentials: agent.credentials,
    limits: agent.limits,
    trusted: agent.trusted,
    gateway: agent.gateway,
    requireSignature: agent.requireSignature,
    ...(agent.keys ? { keys: agent.keys } : {}),
    updatedAt: agent.updatedAt,
    replicas: agent.replicaStates.map(replicaView),
  };
}

/** The replica whose card describes the agent: the first with a card, preferring healthy ones. */
export function describingReplica(agent: RegisteredAgent): ReplicaState | undefined {
  const withCard = agent.replicaStates.filter((r) => r.card);
  return withCard.find((r) => r.state !== "unhealthy") ?? withCard[0];
}

/** What a caller learns through discovery: name, description, skills, versions and where to reach it here. */
export function discoveryView(agent: RegisteredAgent, origin: string) {
  const replica = describingReplica(agent);
  const reachable = agent.source === "hosted" || agent.gateway;
  return {
    id: agent.id,
    name: cardText(replica?.card ?? null, "name") ?? agent.id,
    description: cardText(replica?.card ?? null, "description") ?? "",
    skills: replica?.skills ?? [],
    protocolVersions: replica?.protocolVersions ?? [],
    streaming: replica?.streaming ?? false,
    hosted: agent.source === "hosted",
    healthy: agent.replicaStates.some((r) => r.state !== "unhealthy" && r.card),
    // Only the platform's own URLs: a remote replica's address is not the caller's business.
    ...(reachable ? { agentCard: `${origin}/agents/${agent.id}/.well-known/agent-card.json` } : {}),
  };
}

/** Whether an agent matches a free-text query: every word in its id, name, description or a skill's text. */
export function matchesQuery(view: ReturnType<typeof discoveryView>, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [view.id, view.name, view.description, ...view.skills.flatMap((s) => [s.id, s.name, s.description, ...s.tags, ...s.examples])]
    .join("\n")
    .toLowerCase();
  return words.every((word) => haystack.includes(word));
}

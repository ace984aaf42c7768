import { z } from "zod";
import { hostedAgentIds } from "../../durable-objects/agents";
import { AGENTS_PATH } from "../card";
import { AgentEntrySchema, HostedOverrideSchema, type AgentEntry } from "./entry";
import { selfOrigin } from "./outbound";
import { registerAgent } from "./registry";
import { deleteStale, listAgents, registryDb } from "./store";

export interface RegistryConfig {
  /** Remote agents from AGENTS. */
  remote: AgentEntry[];
  /** What AGENTS says about hosted agents (roles, credentials, limits), by id. */
  hosted: Map<string, z.infer<typeof HostedOverrideSchema>>;
  /** Entries that did not parse, with why (logged; the rest still apply). */
  problems: string[];
}

/**
 * `AGENTS`: a JSON array of entries (workers/registry/entry.ts). An entry naming a hosted agent carries no
 * replicas and only sets who may use it and how calls to it authenticate.
 */
export function parseAgentsConfig(raw: string | undefined): RegistryConfig {
  const config: RegistryConfig = { remote: [], hosted: new Map(), problems: [] };
  if (!raw?.trim()) return config;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    config.problems.push("AGENTS is not JSON: expected an array of agent entries");
    return config;
  }
  if (!Array.isArray(json)) {
    config.problems.push("AGENTS must be a JSON array of agent entries");
    return config;
  }
  const hosted = new Set(hostedAgentIds());
  for (const [i, item] of json.entries()) {
    const isHosted = typeof item === "object" && item !== null && hosted.has((item as { id?: unknown }).id as string);
    const parsed = (isHosted ? HostedOverrideSchema : AgentEntrySchema).safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      config.problems.push(`AGENTS[${i}].${issue.path.join(".")}: ${issue.message}`);
    } else if (isHosted) config.hosted.set(parsed.data.id, parsed.data);
    else config.remote.push(parsed.data as AgentEntry);
  }
  return config;
}

/** A hosted agent as a registry entry: reached at its own path on this platform (through the loopback). */
export function hostedEntry(env: Env, id: string, override: z.infer<typeof HostedOverrideSchema> | undefined): AgentEntry {
  return AgentEntrySchema.parse({
    id,
    replicas: [`${selfOrigin(env)}${AGENTS_PATH}/${id}/.well-known/agent-card.json`],
    roles: override?.roles ?? ["*"],
    // The platform's own JWT names the caller, so the hosted agent scopes the child task to the real user. It
    // needs SIGNING_KEYS; without them (npm run dev) only an anonymous-friendly deployment can be called.
    credentials: override?.credentials ?? (env.SIGNING_KEYS?.trim() ? { mode: "jwt" } : { mode: "none" }),
    ...(override?.limits ? { limits: override.limits } : {}),
    // The platform trusts itself: forwarding a caller's token to its own agents leaks nothing.
    trusted: true,
  });
}

let synced: { key: string; at: number } | undefined;
const RESYNC_MS = 10 * 60_000;

/**
 * Brings the registry in line with the deployment: every hosted agent, and every AGENTS entry (entries dropped
 * from AGENTS go; entries made with the admin API are never touched). Cards are fetched for entries that are new
 * or changed. Runs on the first registry use in an isolate, then at most every 10 minutes, and on every cron.
 */
export async function syncRegistry(env: Env, options: { force?: boolean } = {}): Promise<void> {
  const key = `${env.AGENTS ?? ""}\u0000${selfOrigin(env)}\u0000${env.SIGNING_KEYS ? 1 : 0}`;
  if (!options.force && synced?.key === key && Date.now() - synced.at < RESYNC_MS) return;
  const config = parseAgentsConfig(env.AGENTS);
  for (const problem of config.problems) console.warn(JSON.stringify({ at: "registry-config", problem }));
  const db = registryDb(env);
  const existing = new Map((await listAgents(db)).map((a) => [a.id, a]));
  const wanted: Array<{ entry: AgentEntry; source: "hosted" | "config" }> = [
    ...hostedAgentIds().map((id) => ({ entry: hostedEntry(env, id, config.hosted.get(id)), source: "hosted" as const })),
    ...config.remote.map((entry) => ({ entry, source: "config" as const })),
  ];
  await Promise.all(
    wanted.map(async ({ entry, source }) => {
      const current = existing.get(entry.id);
      if (current?.source === "admin" && source === "config") {
        console.warn(JSON.stringify({ at: "registry-config", problem: `AGENTS names ${entry.id}, which the admin API registered; AGENTS wins` }));
      }
      if (current && current.source === source && sameEntry(current, entry) && current.replicaStates.every((r) => r.card)) return;
      try {
        await registerAgent(env, entry, source, { strict: false });
      } catch (error) {
        console.warn(JSON.stringify({ at: "registry-config", agentId: entry.id, problem: String(error).slice(0, 300) }));
      }
    }),
  );
  await deleteStale(db, "config", config.remote.map((e) => e.id));
  await deleteStale(db, "hosted", hostedAgentIds());
  synced = { key, at: Date.now() };
}

function sameEntry(current: AgentEntry, wanted: AgentEntry): boolean {
  const pick = (e: AgentEntry) =>
    JSON.stringify([[...e.replicas].sort(), e.roles, e.credentials, e.limits, e.trusted, e.gateway, e.requireSignature, e.keys ?? null]);
  return pick(current) === pick(wanted);
}

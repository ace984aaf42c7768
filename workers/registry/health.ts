import { probeReplica } from "./registry";
import { listAgents, registryDb } from "./store";
import { syncRegistry } from "./sync";

/** Probes in flight at once: a cron invocation has a few minutes and six simultaneous connections per request. */
const PROBE_CONCURRENCY = 6;

export interface ProbeReport {
  agentId: string;
  cardUrl: string;
  state: string | undefined;
}

/**
 * The Cron Trigger's work (`[triggers] crons` in wrangler.toml): sync AGENTS and the hosted agents, then probe
 * every replica of every agent with a conditional card fetch, recording state and latency. A replica goes
 * unhealthy after REGISTRY_UNHEALTHY_AFTER failures in a row and healthy again at its first success.
 */
export async function runRegistryCron(env: Env): Promise<ProbeReport[]> {
  await syncRegistry(env, { force: true });
  const agents = await listAgents(registryDb(env));
  const jobs = agents.flatMap((agent) => agent.replicas.map((cardUrl) => ({ agent, cardUrl })));
  const reports: ProbeReport[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const { agent, cardUrl } = jobs[next++]!;
      try {
        reports.push({ agentId: agent.id, cardUrl, state: await probeReplica(env, agent, cardUrl) });
      } catch (error) {
        console.warn(JSON.stringify({ at: "registry-probe", agentId: agent.id, error: String(error).slice(0, 300) }));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PROBE_CONCURRENCY, jobs.length) }, worker));
  return reports;
}

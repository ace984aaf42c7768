import { z } from "zod";
import type { Part } from "../../../../schema/a2a";
import { roleAllowed, type RegisteredAgent } from "../../../../workers/registry/entry";
import { listAgents, registryDb, registryWrites } from "../../../../workers/registry/store";
import { syncRegistry } from "../../../../workers/registry/sync";
import { describingReplica } from "../../../../workers/registry/view";
import { RECRUITING_CRM_ID } from "../../recruiting/crm-wire";
import { delegate, derivedId } from "./delegate-call";
import type { ToolSource } from "./index";
import { toolError, type Tool, type ToolCaller } from "./tool";

export const DELEGATE_TOOL = "send_to_agent";
/** Per agent in the description: its card's description and skills, cut to keep the prompt small. */
const AGENT_DESCRIPTION_LIMIT = 600;

const WaitingSchema = z.object({ agentId: z.string(), cardUrl: z.string(), taskId: z.string(), contextId: z.string() });

export interface DelegateArgs {
  agent: string;
  message: string;
  data?: Record<string, unknown>;
}

/** One line per agent for the model: id, name, what it does, its skills (name: description, tags). */
function describe(agent: RegisteredAgent): string {
  const replica = describingReplica(agent);
  const card = replica?.card as { name?: string; description?: string } | null | undefined;
  const skills = (replica?.skills ?? []).map((s) => `${s.name}${s.description ? `: ${s.description}` : ""}${s.tags.length ? ` [${s.tags.join(", ")}]` : ""}`);
  const line = `- ${agent.id}${card?.name && card.name !== agent.id ? ` (${card.name})` : ""}: ${card?.description ?? ""}${skills.length ? ` Skills: ${skills.join("; ")}.` : ""}`;
  return line.length > AGENT_DESCRIPTION_LIMIT ? `${line.slice(0, AGENT_DESCRIPTION_LIMIT)}…` : line;
}

/**
 * How long a run may use the registry's list as another run of this isolate read it. Every run builds its tools,
 * and the list changes rarely: without this, each turn paid a Postgres round trip for it (npm run bench: a first
 * turn read once, a follow-up twice). Writes made in this isolate (the admin API, sync, card refreshes) drop it at
 * once; another isolate's show within this time.
 */
const LIST_TTL_MS = 5_000;
let listed: { at: number; writes: number; database: string | undefined; agents: Promise<RegisteredAgent[]> } | undefined;

function recentAgents(env: Env): Promise<RegisteredAgent[]> {
  const now = Date.now();
  if (!listed || listed.writes !== registryWrites() || listed.database !== env.DATABASE_URL || now - listed.at > LIST_TTL_MS) {
    const agents = listAgents(registryDb(env));
    const entry = { at: now, writes: registryWrites(), database: env.DATABASE_URL, agents };
    listed = entry;
    agents.catch(() => {
      if (listed === entry) listed = undefined;
    });
  }
  return listed.agents;
}

/**
 * The agents `caller` may delegate to: registered, allowed to its role, with a verified card on at least one
 * replica, other than those `exclude`d (the agent running the loop itself, agents reached through tools of their own).
 */
export async function delegableAgents(env: Env, caller: Pick<ToolCaller, "role">, exclude: readonly string[] = []): Promise<RegisteredAgent[]> {
  await syncRegistry(env);
  return (await recentAgents(env)).filter(
    (agent) => !exclude.includes(agent.id) && roleAllowed(agent.roles, caller.role) && agent.replicaStates.some((r) => r.card),
  );
}

/**
 * `send_to_agent`: delegation as a tool of the loop. One tool whose `agent` argument is an enum of the agents the
 * caller's role may use, described from their cards' skills. A call is an A2A child task (delegate-call.ts); a
 * child that asks for input suspends the run, and the user's answer goes back to that child through `resume`.
 * Undefined when no agent can be delegated to (no registry, or none allowed), so the loop offers no such tool.
 */
export async function delegationTool(env: Env, caller: Pick<ToolCaller, "role">, options: { exclude?: readonly string[] } = {}): Promise<Tool<DelegateArgs> | undefined> {
  let agents: RegisteredAgent[];
  try {
    agents = await delegableAgents(env, caller, options.exclude);
  } catch (error) {
    console.warn(JSON.stringify({ at: "delegate-tool", problem: String(error).slice(0, 200) }));
    return undefined;
  }
  if (agents.length === 0) return undefined;
  const ids = agents.map((a) => a.id) as [string, ...string[]];
  return {
    name: DELEGATE_TOOL,
    description: [
      "Send a request to another agent and wait for its answer. It runs as a task of that agent; its progress",
      "shows to the user as it happens. Put the request in `message`; put structured input (a record, filters)",
      "in `data`. Agents:",
      ...agents.map(describe),
    ].join("\n"),
    input: z.strictObject({
      agent: z.enum(ids).describe("Which agent to ask."),
      message: z.string().min(1).max(20_000).describe("What to ask the agent, in plain words."),
      data: z.record(z.string(), z.unknown()).optional().describe("Structured input for the agent, sent as a JSON data part."),
    }),
    sideEffects: true,
    idempotent: true,
    // The per-agent limit (entry.limits.timeoutMs) applies inside the call; this only keeps the run's default
    // tool timeout from cutting a long child task short.
    timeoutMs: Math.max(...agents.map((a) => a.limits.timeoutMs)) + 10_000,
    async execute(args, ctx) {
      const parts: Part[] = [{ text: args.message }, ...(args.data ? [{ data: args.data as Part["data"], mediaType: "application/json" }] : [])];
      return delegate(ctx, { agentId: args.agent, parts, messageId: await derivedId(ctx.idempotencyKey), key: ctx.idempotencyKey });
    },
    async resume(state, answer, ctx) {
      const waiting = WaitingSchema.safeParse(state);
      if (!waiting.success) return toolError("The agent's question can no longer be answered: its state was lost.");
      const key = `${ctx.idempotencyKey}/answer/${answer.messageId}`;
      return delegate(ctx, {
        agentId: waiting.data.agentId,
        parts: answer.parts,
        messageId: await derivedId(key),
        key,
        follow: { cardUrl: waiting.data.cardUrl, taskId: waiting.data.taskId, contextId: waiting.data.contextId },
      });
    },
  };
}

/**
 * Not in the orchestrator's `send_to_agent`: itself, and the recruiting CRM, which its recruiting tools call with
 * structured requests (tools/recruiting-crm.ts); the model asking it in words would only get refusals.
 */
const NOT_DELEGATED = ["orchestrator", RECRUITING_CRM_ID];

/** The loop's source of the delegation tool (tools/index.ts): `send_to_agent` when some agent may be asked. */
export const delegationTools: ToolSource = async (env, caller) => {
  const tool = await delegationTool(env, caller, { exclude: NOT_DELEGATED });
  return tool ? [tool] : [];
};

import type { AgentCapabilities } from "../../schema/a2a";
import { A2UI_CARD } from "../../schema/a2ui/extension";
import type { AgentExecutor } from "../executor";
import { demoAgent } from "./demo-agent";
import { offlineCardNote } from "./models";
import { orchestratorAgent } from "./orchestrator";
import { ORCHESTRATOR_SKILLS } from "./orchestrator/prompt/skills";
import { recruitingCrmAgent } from "./recruiting/crm-agent";
import { RECRUITING_CRM_ID } from "./recruiting/crm-wire";

export interface CardAdditions {
  extensions?: NonNullable<AgentCapabilities["extensions"]>;
  inputModes?: readonly string[];
  outputModes?: readonly string[];
}

/**
 * An agent this deployment hosts. Each is served under `/agents/{id}/` with its own card, skills and tasks;
 * the one named by the `AGENT` variable is also served at the root.
 */
export interface HostedAgent {
  id: string;
  name: string;
  /** The card's description; may depend on the deployment (which model it runs, say). */
  description: (env: Env) => string;
  /** The skills (`skills/<name>/SKILL.md`) its card lists. */
  skills: readonly string[];
  executor: AgentExecutor;
  /**
   * What the agent adds to its card: the extensions it implements, which a client may then activate, and the
   * media types they bring to `defaultInputModes`/`defaultOutputModes` (e.g. `A2UI_CARD` for A2UI).
   */
  card?: CardAdditions;
}

const demo: HostedAgent = {
  id: "demo",
  name: "A2A conformance demo",
  description: () =>
    "Echoes messages and follows the official A2A conformance kit's conventions (messageId prefixes tck-*), for checking clients and running the TCK.",
  skills: ["echo", "a2a-conformance"],
  executor: demoAgent,
};

const orchestrator: HostedAgent = {
  id: "orchestrator",
  name: "Recruiting assistant",
  description: (env) =>
    "Answers recruiters, hiring managers and admins about candidates, pipeline stages and job postings, and acts on them: it picks the skill a message needs, calls tools and other agents, and streams its answer." +
    offlineCardNote(env),
  // The card lists the recruiting skills (job-postings only in an admin's extended card: a2a-roles).
  skills: ORCHESTRATOR_SKILLS,
  executor: orchestratorAgent,
  // UI tools answer in A2UI (tools/ui*.ts): the card says so, and A2UI parts are accepted back.
  card: A2UI_CARD,
};

const recruitingCrm: HostedAgent = {
  id: RECRUITING_CRM_ID,
  name: "Recruiting CRM",
  description: () =>
    "The recruiting system of record for other agents: candidates, jobs, applications and their stages. Deterministic, no model: one JSON data part {action, input} per message, answered with a data artifact {result} or a failed task with {error: {code, message}}. Acts for the caller its credentials name, with that role's rights.",
  skills: ["recruiting-crm"],
  // The orchestrator reaches it through its recruiting tools (tools/recruiting-crm.ts), never send_to_agent.
  executor: recruitingCrmAgent,
};

const HOSTED: ReadonlyMap<string, HostedAgent> = new Map([orchestrator, demo, recruitingCrm].map((agent) => [agent.id, agent]));

/** The agent served at the root when `AGENT` is unset: what a newcomer meets. */
export const DEFAULT_AGENT = "orchestrator";

export const hostedAgentIds = (): string[] => [...HOSTED.keys()];

export function hostedAgent(id: string): HostedAgent | undefined {
  return HOSTED.get(id);
}

/** The root's agent: `AGENT`, or the default. A name that is not hosted is a deployment error, said at once. */
export function rootAgent(env: { AGENT?: string }): HostedAgent {
  const id = env.AGENT || DEFAULT_AGENT;
  const agent = HOSTED.get(id);
  if (!agent) throw new Error(`AGENT=${id} is not a hosted agent (known: ${hostedAgentIds().join(", ")})`);
  return agent;
}

/** The executor for a task of hosted agent `id`; objects stored before hosting exist belong to the demo. */
export function executorFor(id: string): AgentExecutor {
  const agent = HOSTED.get(id);
  if (!agent) throw new Error(`no hosted agent ${id}`);
  return agent.executor;
}

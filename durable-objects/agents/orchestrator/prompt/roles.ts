import { z } from "zod";
import type { Tool } from "../tools/tool";
import { ORCHESTRATOR_SKILLS, skillAdmits, skillNamed } from "./skills";

/**
 * Roles, declared once. A role fixes what exists in a conversation: its skills, tools, MCP servers and
 * downstream agents. The same policy filters the prompt (prompt/shape.ts) and guards execution (`canUse`), so
 * the prompt is never the only line of defence. Lists hold names or prefix patterns (`ui_*`); `"*"` is all.
 * A deployment may add or replace roles with the `ROLES` variable (JSON: role → spec).
 */
const Names = z.union([z.literal("*"), z.array(z.string().min(1).max(128)).max(256)]);
export const RoleSpecSchema = z.strictObject({
  description: z.string().max(300).default(""),
  skills: Names.default([]),
  tools: Names.default([]),
  mcpServers: Names.default([]),
  agents: Names.default([]),
});
export type RoleSpec = z.infer<typeof RoleSpecSchema>;
export const RolesSchema = z.record(z.string().min(1).max(128), RoleSpecSchema);
export type RolesConfig = z.infer<typeof RolesSchema>;

/** Tools of the conversation itself, which every role needs: asking the user, the skill tools, UI surfaces. */
const CONVERSATION_TOOLS = ["ask_user", "activate_skill", "read_skill_resource", "ui_*"];

/** A tool that serves the conversation rather than a request (asking, skills, UI): it makes nothing in scope. */
export const isConversationTool = (name: string) => CONVERSATION_TOOLS.some((p) => (p.endsWith("*") ? name.startsWith(p.slice(0, -1)) : p === name));
const READ_TOOLS = ["search_candidates", "get_candidate", "list_jobs", "pipeline_stats"];

export const BUILT_IN_ROLES: RolesConfig = {
  viewer: {
    description: "Read-only: looks at candidates, stages and pipeline numbers; changes nothing.",
    skills: ["candidate-search", "pipeline-analytics", "recruiting-workflow"],
    tools: [...CONVERSATION_TOOLS, ...READ_TOOLS],
    mcpServers: [],
    agents: [],
  },
  recruiter: {
    description: "Runs the pipeline: sources, screens, schedules interviews, makes offers, moves and closes applications.",
    skills: ["candidate-search", "screening", "interview-scheduling", "offer", "pipeline-analytics", "recruiting-workflow"],
    tools: [...CONVERSATION_TOOLS, ...READ_TOOLS, "source_candidate", "screen_candidate", "schedule_interview", "make_offer", "move_stage", "reject_candidate"],
    mcpServers: "*",
    agents: "*",
  },
  "hiring-manager": {
    description: "Owns the hire decision for their jobs: interviews, offers, moves and rejections; does not source or screen.",
    skills: ["candidate-search", "interview-scheduling", "offer", "pipeline-analytics", "recruiting-workflow"],
    tools: [...CONVERSATION_TOOLS, ...READ_TOOLS, "schedule_interview", "make_offer", "move_stage", "reject_candidate"],
    mcpServers: "*",
    agents: "*",
  },
  admin: {
    description: "Everything, including job postings and offers outside a job's salary band.",
    skills: "*",
    tools: "*",
    mcpServers: "*",
    agents: "*",
  },
};

/** The role of a caller whose credentials name none (the anonymous caller of `npm run dev` included). */
export const DEFAULT_ROLE = "viewer";

export interface RoleEnv {
  /** JSON object of role → { description?, skills?, tools?, mcpServers?, agents? }; merged over the built-in roles. */
  ROLES?: string;
  /** The role of callers whose credentials carry none; default `viewer`. */
  DEFAULT_ROLE?: string;
}

let parsed: { text: string; roles: RolesConfig } | undefined;

/** The deployment's roles: the built-in ones, with `ROLES` adding or replacing whole roles. A bad `ROLES` is a deployment error, said at once. */
export function rolesConfig(env: RoleEnv): RolesConfig {
  const text = env.ROLES?.trim();
  if (!text) return BUILT_IN_ROLES;
  if (parsed?.text === text) return parsed.roles;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error("ROLES is not valid JSON");
  }
  const result = RolesSchema.safeParse(json);
  if (!result.success) throw new Error(`ROLES is invalid: ${z.prettifyError(result.error)}`);
  const roles = { ...BUILT_IN_ROLES, ...result.data };
  parsed = { text, roles };
  return roles;
}

/** Who the run acts as: the credentials' role, else `DEFAULT_ROLE`. */
export function roleOf(caller: { role?: string | undefined }, env: RoleEnv = {}): string {
  return caller.role || env.DEFAULT_ROLE || DEFAULT_ROLE;
}

export type CapabilityKind = "skill" | "tool" | "mcp" | "agent";

/** What one role may use in one agent, resolved: skills are concrete names, the rest are patterns. */
export interface RolePolicy {
  role: string;
  /** False for a role no configuration declares: it may use nothing. */
  known: boolean;
  description: string;
  /** Allowed skills, in the agent's order: the role's list ∩ the agent's skills ∩ each skill's `a2a-roles`. */
  skills: readonly string[];
  tools: "*" | readonly string[];
  mcpServers: "*" | readonly string[];
  agents: "*" | readonly string[];
}

/**
 * The policy of `role`. Pure: the roles come from `rolesConfig(env)` (default: the built-in ones) and the
 * skills from the agent (default: the orchestrator's). An undeclared role gets an empty policy, never a default.
 */
export function policyFor(role: string, options: { roles?: RolesConfig; agentSkills?: readonly string[] } = {}): RolePolicy {
  const spec = Object.hasOwn(options.roles ?? BUILT_IN_ROLES, role) ? (options.roles ?? BUILT_IN_ROLES)[role] : undefined;
  if (!spec) return { role, known: false, description: "", skills: [], tools: [], mcpServers: [], agents: [] };
  const skills = (options.agentSkills ?? ORCHESTRATOR_SKILLS).filter((name) => {
    const skill = skillNamed(name);
    return skill !== undefined && matches(spec.skills, name) && skillAdmits(skill, role);
  });
  return { role, known: true, description: spec.description, skills, tools: spec.tools, mcpServers: spec.mcpServers, agents: spec.agents };
}

function matches(list: "*" | readonly string[], name: string): boolean {
  if (list === "*") return true;
  return list.some((pattern) => (pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : pattern === name));
}

/**
 * The guard at execution: may this policy's role use the skill, tool, MCP server or agent `name`? The loop
 * calls it before running any call (a refusal goes back to the model as a tool error), with the same policy
 * that shaped the prompt. A skill's `a2a-roles` is checked again here, so no role list can override it.
 */
export function canUse(policy: RolePolicy, kind: CapabilityKind, name: string): boolean {
  if (!policy.known) return false;
  switch (kind) {
    case "skill": {
      const skill = skillNamed(name);
      return skill !== undefined && policy.skills.includes(name) && skillAdmits(skill, policy.role);
    }
    case "tool":
      return matches(policy.tools, name);
    case "mcp":
      return matches(policy.mcpServers, name);
    case "agent":
      return matches(policy.agents, name);
  }
}

/**
 * Where a tool comes from, for tools that stand for something the role governs as a whole: every tool of an
 * MCP server is allowed by the server's name, a delegation tool by the agent's. Set it as `origin` on the
 * tool object; a tool without one is governed by its own name.
 */
export type ToolOrigin = { kind: "mcp"; server: string } | { kind: "agent"; agent: string };
export type OriginTool = Tool & { origin?: ToolOrigin };

export function canUseTool(policy: RolePolicy, tool: OriginTool): boolean {
  const origin = tool.origin;
  if (origin?.kind === "mcp") return canUse(policy, "mcp", origin.server);
  if (origin?.kind === "agent") return canUse(policy, "agent", origin.agent);
  return canUse(policy, "tool", tool.name);
}

import { catalog, type SkillRecord } from "../../../../skills";
import { rolesOf } from "../../../../skills/skill";

/** The skills the orchestrator is built with (its card lists them): the bundled recruiting domain. */
export const ORCHESTRATOR_SKILLS = [
  "candidate-search",
  "screening",
  "interview-scheduling",
  "offer",
  "pipeline-analytics",
  "job-postings",
  "recruiting-workflow",
] as const;

const byName = new Map(catalog.map((skill) => [skill.name, skill]));

export function skillNamed(name: string): SkillRecord | undefined {
  return byName.get(name);
}

/** `a2a-roles` of a skill: when present, only those roles may see or run it, whatever a role's list says. */
export function skillAdmits(skill: SkillRecord, role: string): boolean {
  const roles = rolesOf(skill);
  return roles.length === 0 || roles.includes(role);
}

/**
 * Tools that belong to skills: named in some bundled skill's `allowed-tools`. Such a tool is offered only while
 * a skill naming it is active; every other tool the role allows (ask_user, UI, MCP, delegation) is always offered.
 */
export const SKILL_SCOPED_TOOLS: ReadonlySet<string> = new Set(catalog.flatMap((skill) => skill.allowedTools));

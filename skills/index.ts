import { builtAt, catalog } from "./catalog.gen";
import type { AgentSkill } from "../schema/a2a";
import { rolesOf, toAgentSkill } from "./skill";

export { catalog, builtAt };
export type { SkillRecord } from "./skill";

const entries = catalog.map((skill) => ({ skill: toAgentSkill(skill), roles: rolesOf(skill) }));

/** The public card's skills: those not reserved for some roles. */
export const agentSkills: AgentSkill[] = entries.filter((entry) => entry.roles.length === 0).map((entry) => entry.skill);

/** The extended card's skills for a caller: the public ones, plus those whose `a2a-roles` name the caller's role. */
export function skillsForRole(role: string | undefined): AgentSkill[] {
  return entries.filter((entry) => entry.roles.length === 0 || (role !== undefined && entry.roles.includes(role))).map((entry) => entry.skill);
}

import { builtAt, catalog } from "./catalog.gen";
import type { AgentSkill } from "../schema/a2a";
import { rolesOf, toAgentSkill } from "./skill";

export { catalog, builtAt };
export type { SkillRecord, SkillResource } from "./skill";

const entries = new Map(catalog.map((skill) => [skill.name, { skill: toAgentSkill(skill), roles: rolesOf(skill) }]));

/**
 * A card's skills from an agent's skill names: without a role (the public card) those not reserved for some
 * roles; with one (the extended card), also those whose `a2a-roles` name it.
 */
export function cardSkills(names: readonly string[], role: string | undefined): AgentSkill[] {
  return names.flatMap((name) => {
    const entry = entries.get(name);
    if (!entry) throw new Error(`skill ${name} has no skills/${name}/SKILL.md`);
    return entry.roles.length === 0 || (role !== undefined && entry.roles.includes(role)) ? [entry.skill] : [];
  });
}

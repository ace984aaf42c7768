import type { AgentSkill } from "../schema/a2a";

/** One validated SKILL.md: frontmatter (tier 1), body (tier 2) and the names of its resource files (tier 3). */
export interface SkillRecord {
  name: string;
  description: string;
  license?: string;
  metadata: Record<string, string>;
  body: string;
  resources: string[];
}

const list = (value: string | undefined, separator: string | RegExp) =>
  value
    ?.split(separator)
    .map((item) => item.trim())
    .filter(Boolean) ?? [];

const titleCase = (name: string) => name.replace(/(^|-)(\w)/g, (_, dash: string, c: string) => (dash ? " " : "") + c.toUpperCase());

/** Roles a skill is shown to (`a2a-roles`, comma-separated): such a skill is listed in the extended card only. */
export const rolesOf = (skill: SkillRecord): string[] => list(skill.metadata["a2a-roles"], ",");

/** The card's view of a skill: `a2a-*` metadata keys fill what the SKILL.md format has no field for. */
export function toAgentSkill(skill: SkillRecord): AgentSkill {
  const { metadata } = skill;
  const examples = list(metadata["a2a-examples"], "|");
  const inputModes = list(metadata["a2a-input-modes"], ",");
  const outputModes = list(metadata["a2a-output-modes"], ",");
  return {
    id: skill.name,
    name: metadata["a2a-title"] ?? titleCase(skill.name),
    description: skill.description,
    tags: list(metadata["a2a-tags"], ","),
    ...(examples.length ? { examples } : {}),
    ...(inputModes.length ? { inputModes } : {}),
    ...(outputModes.length ? { outputModes } : {}),
  };
}

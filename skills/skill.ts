import type { AgentSkill } from "../schema/a2a";

/** A bundled tier-3 file (`references/…`, `assets/…`): text only, size-limited at build time. */
export interface SkillResource {
  /** Relative to the skill's folder, `/`-separated, e.g. `references/STAGES.md`. */
  path: string;
  text: string;
  bytes: number;
}

/** One validated SKILL.md: frontmatter (tier 1), body (tier 2) and its resource files (tier 3). */
export interface SkillRecord {
  name: string;
  description: string;
  license?: string;
  metadata: Record<string, string>;
  /** `allowed-tools`, split: the tools this skill may use (the caller's role still has the last word). */
  allowedTools: string[];
  body: string;
  resources: SkillResource[];
}

const list = (value: string | undefined, separator: string | RegExp) =>
  value
    ?.split(separator)
    .map((item) => item.trim())
    .filter(Boolean) ?? [];

const titleCase = (name: string) => name.replace(/(^|-)(\w)/g, (_, dash: string, c: string) => (dash ? " " : "") + c.toUpperCase());

/** Roles a skill is shown to (`a2a-roles`, comma-separated): such a skill is listed in the extended card only. */
export const rolesOf = (skill: SkillRecord): string[] => list(skill.metadata["a2a-roles"], ",");

/** Example requests (`a2a-examples`, `|`-separated): the card shows them, the offline intent classifier reads them. */
export const examplesOf = (skill: SkillRecord): string[] => list(skill.metadata["a2a-examples"], "|");
export const tagsOf = (skill: SkillRecord): string[] => list(skill.metadata["a2a-tags"], ",");
/** Whether a skill takes requests in words: no `a2a-input-modes` (the agent's defaults), or text/plain among them. */
export const takesText = (skill: SkillRecord): boolean => {
  const modes = list(skill.metadata["a2a-input-modes"], ",");
  return modes.length === 0 || modes.includes("text/plain");
};
export const titleOf = (skill: SkillRecord): string => skill.metadata["a2a-title"] ?? titleCase(skill.name);

/** The card's view of a skill: `a2a-*` metadata keys fill what the SKILL.md format has no field for. */
export function toAgentSkill(skill: SkillRecord): AgentSkill {
  const { metadata } = skill;
  const examples = examplesOf(skill);
  const inputModes = list(metadata["a2a-input-modes"], ",");
  const outputModes = list(metadata["a2a-output-modes"], ",");
  return {
    id: skill.name,
    name: titleOf(skill),
    description: skill.description,
    tags: tagsOf(skill),
    ...(examples.length ? { examples } : {}),
    ...(inputModes.length ? { inputModes } : {}),
    ...(outputModes.length ? { outputModes } : {}),
  };
}

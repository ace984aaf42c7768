import { z } from "zod";
import { titleOf } from "../../../../skills/skill";
import { canUse, type RolePolicy } from "../prompt/roles";
import { skillNamed } from "../prompt/skills";
import { result, toolError, type Tool } from "./tool";

/** A tier-3 file the model has read: its text is in the system prompt while its skill is active. */
export interface ResourceRef {
  skill: string;
  path: string;
}

/**
 * The skill side of a run's state: which skill is active (its body is in the system prompt) and which of the
 * skills' files the model has read. The skill tools change it; the loop passes it to `shapePrompt` before each
 * step. It can always be rebuilt from the tools' results in the history (`skillStateFrom`).
 */
export interface SkillState {
  activeSkill: string | null;
  resourcesRead: ResourceRef[];
}

export const ACTIVATE_SKILL = "activate_skill";
export const READ_SKILL_RESOURCE = "read_skill_resource";

/** Paths as the model might write them; anything else is refused before a lookup. */
const SAFE_PATH = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

function checkPath(path: string): string | undefined {
  if (path.startsWith("/") || path.includes("\\") || /%[0-9a-f]{2}/i.test(path) || path.includes("\0")) return "absolute, escaped or backslashed paths are refused";
  const segments = path.split("/");
  if (segments.some((s) => s === ".." || s === "." || s === "")) return "path traversal is refused: give a path inside the skill's folder, such as references/X.md";
  if (!SAFE_PATH.test(path)) return "the path has characters no skill file uses";
  return undefined;
}

function activateSkill(policy: RolePolicy, state: SkillState, names: [string, ...string[]]): Tool<{ name: string }> {
  return {
    name: ACTIVATE_SKILL,
    description:
      "Switch to one of your skills when the user's request matches its description: its full instructions then appear in the system prompt, and the tools it needs become available.",
    input: z.object({ name: z.enum(names).describe("The skill's name from <available_skills>") }),
    sideEffects: false,
    async execute({ name }) {
      // The enum already keeps other names out; the guard is the same one the prompt was shaped with.
      const skill = skillNamed(name);
      if (!skill || !canUse(policy, "skill", name)) return toolError(`The skill ${name} is not available to the ${policy.role} role`);
      state.activeSkill = name;
      return result({
        activated: name,
        title: titleOf(skill),
        resources: skill.resources.map((r) => r.path),
        note: `The instructions of ${name} are now in the system prompt (<skill_content name="${name}">).`,
      });
    },
  };
}

function readSkillResource(policy: RolePolicy, state: SkillState): Tool<{ path: string }> {
  return {
    name: READ_SKILL_RESOURCE,
    description:
      "Read a file of the active skill (a path its instructions mention, e.g. references/STAGES.md). Only the active skill's own files can be read; its text then appears in the system prompt.",
    input: z.object({ path: z.string().min(1).max(300).describe("Relative to the active skill's folder") }),
    sideEffects: false,
    async execute({ path }) {
      const active = state.activeSkill;
      if (!active || !canUse(policy, "skill", active)) return toolError("No skill is active: call activate_skill first");
      const skill = skillNamed(active)!;
      const problem = checkPath(path);
      if (problem) return toolError(problem, { path: path.slice(0, 300) });
      const file = skill.resources.find((r) => r.path === path);
      if (!file) {
        return toolError(`${path} is not a file of the active skill ${active}; only its own files can be read`, { files: skill.resources.map((r) => r.path) });
      }
      if (!state.resourcesRead.some((r) => r.skill === active && r.path === path)) state.resourcesRead.push({ skill: active, path });
      return result({ skill: active, path, bytes: file.bytes, loaded: true, note: `The text of ${path} is now in the system prompt (<skill_resource path="${path}">).` });
    },
  };
}

/**
 * `activate_skill` (its `name` an enum of the role's skills) and `read_skill_resource` (the active skill's own
 * files), bound to one run's state. A role without skills gets neither (the agentskills client guide).
 */
export function skillTools(policy: RolePolicy, state: SkillState): Tool[] {
  const names = policy.skills.filter((name) => canUse(policy, "skill", name));
  if (names.length === 0) return [];
  return [activateSkill(policy, state, names as [string, ...string[]]), readSkillResource(policy, state)];
}

/**
 * The skill state a conversation reached, from its skill tool results in order (history first, then this
 * run's): how the loop rebuilds it for a new turn or after a restart. Error results and forged values are
 * ignored: only names and paths that exist count.
 */
export function skillStateFrom(results: Iterable<{ name: string; value: unknown; isError?: boolean }>, start: SkillState = { activeSkill: null, resourcesRead: [] }): SkillState {
  const state: SkillState = { activeSkill: start.activeSkill, resourcesRead: [...start.resourcesRead] };
  for (const { name, value, isError } of results) {
    if (isError || typeof value !== "object" || value === null) continue;
    const v = value as Record<string, unknown>;
    if (name === ACTIVATE_SKILL && typeof v.activated === "string" && skillNamed(v.activated)) state.activeSkill = v.activated;
    if (name === READ_SKILL_RESOURCE && typeof v.skill === "string" && typeof v.path === "string") {
      const ref = { skill: v.skill, path: v.path };
      const exists = skillNamed(ref.skill)?.resources.some((r) => r.path === ref.path);
      if (exists && !state.resourcesRead.some((r) => r.skill === ref.skill && r.path === ref.path)) state.resourcesRead.push(ref);
    }
  }
  return state;
}

import { examplesOf, titleOf } from "../../../../skills/skill";
import type { RolePolicy } from "./roles";
import { skillNamed } from "./skills";

const firstSentence = (text: string) => (/^(.+?[.!?])(\s|$)/.exec(text)?.[1] ?? text).trim();

/**
 * What the agent says to a message outside every skill of the role (intent `none`): what it can do, from the
 * same catalog the model sees, instead of a guess. Deterministic, so the loop can answer without a model call.
 */
export function capabilityAnswer(policy: RolePolicy): string {
  if (policy.skills.length === 0) {
    return policy.known
      ? `That is outside what I can do, and the ${policy.role} role has no skills on this agent.`
      : `That is outside what I can do: the role "${policy.role}" is not one this agent knows, so it has no skills here. Ask an administrator for a role.`;
  }
  const lines = policy.skills.map((name) => {
    const skill = skillNamed(name)!;
    const example = examplesOf(skill)[0];
    return `- ${titleOf(skill)}: ${firstSentence(skill.description)}${example ? ` For example: "${example}".` : ""}`;
  });
  return [`That is outside what I can help with here. As ${policy.role}, you can ask me about:`, ...lines].join("\n");
}

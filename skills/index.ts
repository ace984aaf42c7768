import { builtAt, catalog } from "./catalog.gen";
import { toAgentSkill } from "./skill";

export { catalog, builtAt };
export type { SkillRecord } from "./skill";
export const agentSkills = catalog.map(toAgentSkill);

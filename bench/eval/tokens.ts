import { estimateTokenCount } from "tokenx";
import { ORCHESTRATOR_SKILLS, skillNamed } from "../../durable-objects/agents/orchestrator/prompt/skills";
import { shapePrompt } from "../../durable-objects/agents/orchestrator/prompt/shape";
import { policyFor } from "../../durable-objects/agents/orchestrator/prompt/roles";

/**
 * The baseline context: what the always-present catalog costs against loading every skill whole (bodies and
 * files: the monolithic system prompt that progressive disclosure replaces), for the orchestrator's skills.
 */
export function tokenBaseline() {
  const admin = policyFor("admin");
  const base = { role: admin, history: [], message: "", tools: [], resourcesRead: [], now: new Date("2026-12-04T00:00:00Z") } as const;
  const bare = shapePrompt({ ...base, activeSkill: null });
  const perSkill = ORCHESTRATOR_SKILLS.map((name) => {
    const skill = skillNamed(name)!;
    const all = shapePrompt({ ...base, activeSkill: name, resourcesRead: skill.resources.map((r) => ({ skill: name, path: r.path })) });
    return { name, body: all.accounting.byLevel.skill, resources: all.accounting.byLevel.resources, description: estimateTokenCount(skill.description) };
  });
  const catalog = bare.accounting.byLevel.catalog;
  const monolithic = perSkill.reduce((sum, s) => sum + s.body + s.resources, 0);
  const typicalTurn = catalog + Math.round(perSkill.reduce((sum, s) => sum + s.body, 0) / perSkill.length);
  return { skills: perSkill.length, catalog, monolithic, ratio: catalog / monolithic, typicalTurn, perSkill };
}

import { describe, expect, it } from "vitest";
import { z } from "zod";
import { policyFor } from "../../../../../durable-objects/agents/orchestrator/prompt/roles";
import { skillNamed } from "../../../../../durable-objects/agents/orchestrator/prompt/skills";
import { skillStateFrom, skillTools, type SkillState } from "../../../../../durable-objects/agents/orchestrator/tools/skills";
import { run, toolContext } from "../../../../helpers/tools";

const fresh = (activeSkill: string | null = null): SkillState => ({ activeSkill, resourcesRead: [] });

describe("skill tools: activate_skill and read_skill_resource", () => {
  it("activate_skill's name is an enum of the role's skills, and the guard refuses a forged call", async () => {
    const viewer = policyFor("viewer");
    const state = fresh();
    const [activate] = skillTools(viewer, state);
    const schema = z.toJSONSchema(activate!.input) as any;
    expect(schema.properties.name.enum).toEqual(viewer.skills);
    expect(activate!.input.safeParse({ name: "job-postings" }).success).toBe(false);
    // Past the schema (a loop bug, a replayed argument), execution still says no and changes nothing.
    expect(await activate!.execute({ name: "job-postings" }, toolContext({ role: "viewer" }))).toMatchObject({ kind: "result", isError: true });
    expect(await activate!.execute({ name: "screening" }, toolContext({ role: "viewer" }))).toMatchObject({ isError: true });
    expect(state.activeSkill).toBeNull();
    const ok = await run(activate!, { name: "pipeline-analytics" });
    expect(ok).toMatchObject({ kind: "result", value: { activated: "pipeline-analytics", resources: ["references/METRICS.md"] } });
    expect(state.activeSkill).toBe("pipeline-analytics");
    expect(activate!.sideEffects).toBe(false);
  });

  it("read_skill_resource reads only the active skill's own files: no traversal, no other skill's file", async () => {
    const state = fresh();
    const [activate, read] = skillTools(policyFor("recruiter"), state);
    expect(await run(read!, { path: "references/RUBRIC.md" })).toMatchObject({ isError: true, value: { error: expect.stringMatching(/activate_skill first/) } });
    await run(activate!, { name: "screening" });
    const refused = [
      "../offer/references/COMPENSATION.md",
      "references/../../offer/references/COMPENSATION.md",
      "/etc/passwd",
      "..\\offer\\SKILL.md",
      "references/%2e%2e/x",
      "references/COMPENSATION.md",
      "SKILL.md",
      "offer/references/COMPENSATION.md",
      "./references/RUBRIC.md",
    ];
    for (const path of refused) {
      const outcome = await run(read!, { path });
      expect({ path, outcome }).toMatchObject({ path, outcome: { kind: "result", isError: true } });
    }
    expect(state.resourcesRead).toEqual([]);
    // The errors say why, so the model can correct itself.
    expect(await run(read!, { path: "../offer/references/COMPENSATION.md" })).toMatchObject({ value: { error: expect.stringMatching(/path traversal is refused/) } });
    expect(await run(read!, { path: "references/COMPENSATION.md" })).toMatchObject({ value: { error: expect.stringMatching(/not a file of the active skill screening/), files: ["references/RUBRIC.md"] } });
    const ok = await run(read!, { path: "references/RUBRIC.md" });
    expect(ok).toMatchObject({ kind: "result", value: { skill: "screening", path: "references/RUBRIC.md", loaded: true } });
    expect(state.resourcesRead).toEqual([{ skill: "screening", path: "references/RUBRIC.md" }]);
    // The text itself goes to the system prompt (shapePrompt), not into the result a second time.
    expect(JSON.stringify((ok as any).value)).not.toContain(skillNamed("screening")!.resources[0]!.text.slice(0, 100));
  });

  it("a role without skills gets neither tool", () => {
    expect(skillTools(policyFor("nobody-knows-me"), fresh())).toEqual([]);
  });

  it("the state is rebuilt from the tools' results in history, ignoring errors and forged values", () => {
    const state = skillStateFrom([
      { name: "activate_skill", value: { activated: "screening" } },
      { name: "read_skill_resource", value: { skill: "screening", path: "references/RUBRIC.md", loaded: true } },
      { name: "read_skill_resource", value: { skill: "screening", path: "../../etc/passwd" } },
      { name: "activate_skill", value: { error: "nope" }, isError: true },
      { name: "activate_skill", value: { activated: "no-such-skill" } },
      { name: "read_skill_resource", value: { skill: "screening", path: "references/RUBRIC.md" } },
    ]);
    expect(state).toEqual({ activeSkill: "screening", resourcesRead: [{ skill: "screening", path: "references/RUBRIC.md" }] });
  });
});

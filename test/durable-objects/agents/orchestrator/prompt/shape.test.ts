import { describe, expect, it } from "vitest";
import { catalog } from "../../../../../skills";
import { classifyIntent, resolveActiveSkill } from "../../../../../durable-objects/agents/orchestrator/prompt/intent";
import { canUseTool, policyFor, type OriginTool } from "../../../../../durable-objects/agents/orchestrator/prompt/roles";
import { shapePrompt, type ShapeInput } from "../../../../../durable-objects/agents/orchestrator/prompt/shape";
import { skillNamed } from "../../../../../durable-objects/agents/orchestrator/prompt/skills";
import { recruitingTools, RECRUITING_WRITE_TOOLS } from "../../../../../durable-objects/agents/orchestrator/tools/recruiting";
import { skillTools, type SkillState } from "../../../../../durable-objects/agents/orchestrator/tools/skills";
import { fakeTool, run } from "../../../../helpers/tools";

/** Every tool a run could hold: the domain's, the skill tools, and stand-ins for ask_user, UI, MCP and delegation. */
function allTools(role: string, state: SkillState = { activeSkill: null, resourcesRead: [] }): OriginTool[] {
  return [
    ...recruitingTools(),
    ...skillTools(policyFor(role), state),
    fakeTool("ask_user"),
    fakeTool("ui_table"),
    fakeTool("calendar_book", { kind: "mcp", server: "calendar" }, true),
    fakeTool("delegate_crm", { kind: "agent", agent: "recruiting-crm" }, true),
  ];
}

const turn = (overrides: Partial<ShapeInput>): ShapeInput => ({
  role: "recruiter",
  activeSkill: null,
  history: [],
  message: "hello",
  tools: allTools("recruiter"),
  resourcesRead: [],
  now: new Date("2026-12-04T09:00:00Z"),
  ...overrides,
});

/** A line that only this skill's body has: its first heading. */
const bodyMarker = (name: string) => skillNamed(name)!.body.split("\n")[0]!;
const NAMES = catalog.map((s) => s.name);

describe("what the model sees (shapePrompt, pure)", () => {
  it("a viewer never has a privileged skill or a write tool in any prompt, whatever the intent or active skill", () => {
    const viewer = policyFor("viewer");
    const postings = skillNamed("job-postings")!;
    for (const activeSkill of [null, ...NAMES]) {
      for (const intent of [null, { skill: "none" }, ...NAMES.map((skill) => ({ skill }))]) {
        const shaped = shapePrompt(turn({ role: "viewer", activeSkill, intent, tools: allTools("viewer") }));
        expect(shaped.system).not.toContain("job-postings");
        expect(shaped.system).not.toContain(postings.description);
        expect(shaped.system).not.toContain(bodyMarker("job-postings"));
        expect(shaped.system).not.toContain("a2a-conformance");
        expect(JSON.stringify(shaped.toolSpecs)).not.toContain("job-postings");
        expect(shaped.toolSpecs.map((t) => t.name).filter((name) => RECRUITING_WRITE_TOOLS.includes(name) || name === "calendar_book" || name === "delegate_crm")).toEqual([]);
        for (const tool of shaped.tools) expect(canUseTool(viewer, tool)).toBe(true);
        expect(shaped.activeSkill === null || viewer.skills.includes(shaped.activeSkill)).toBe(true);
        if (activeSkill !== null && !viewer.skills.includes(activeSkill)) expect(shaped.accounting.byLevel.skill).toBe(0);
      }
    }
  });

  it("the catalog (tier 1) lists exactly the role's skills; the body (tier 2) is only the active skill's", () => {
    const shaped = shapePrompt(turn({ activeSkill: "screening" }));
    for (const name of policyFor("recruiter").skills) expect(shaped.system).toContain(`<name>${name}</name>`);
    expect(shaped.system).toContain(bodyMarker("screening"));
    for (const other of NAMES.filter((n) => n !== "screening")) expect(shaped.system).not.toContain(bodyMarker(other));
    const none = shapePrompt(turn({ activeSkill: null }));
    for (const name of NAMES) expect(none.system).not.toContain(bodyMarker(name));
    expect(none.accounting.byLevel.skill).toBe(0);
  });

  it("a skill's tools are offered only while it is active; the conversation's own tools always", () => {
    const names = (activeSkill: string | null) => shapePrompt(turn({ activeSkill })).toolSpecs.map((t) => t.name);
    expect(names(null)).toEqual(["activate_skill", "ask_user", "ui_table", "calendar_book", "delegate_crm"]);
    expect(names("interview-scheduling")).toEqual(["get_candidate", "schedule_interview", "activate_skill", "read_skill_resource", "ask_user", "ui_table", "calendar_book", "delegate_crm"]);
    expect(names("offer")).toContain("make_offer");
    expect(names("offer")).not.toContain("schedule_interview");
    const spec = shapePrompt(turn({ activeSkill: "interview-scheduling" })).toolSpecs.find((t) => t.name === "schedule_interview")!;
    expect(spec.inputSchema).toMatchObject({ type: "object", required: expect.arrayContaining(["applicationId", "startsAt"]) });
  });

  it("an intent shift mid-conversation switches the active skill and its body", async () => {
    const recruiter = policyFor("recruiter");
    const intent = await classifyIntent({ message: "Great. She passed the phone screen, record the screening as a pass", currentSkill: "candidate-search", policy: recruiter });
    expect(intent).toMatchObject({ skill: "screening", shift: true, source: "offline" });
    const before = shapePrompt(turn({ activeSkill: "candidate-search" }));
    const active = resolveActiveSkill(recruiter, "candidate-search", intent);
    const after = shapePrompt(turn({ activeSkill: active, intent }));
    expect(before.system).toContain(bodyMarker("candidate-search"));
    expect(after.activeSkill).toBe("screening");
    expect(after.system).toContain(bodyMarker("screening"));
    expect(after.system).not.toContain(bodyMarker("candidate-search"));
    expect(after.toolSpecs.map((t) => t.name)).toContain("screen_candidate");
    expect(after.toolSpecs.map((t) => t.name)).not.toContain("search_candidates");
    // A follow-up keeps the skill; an out-of-scope message does not drop it either.
    expect(resolveActiveSkill(recruiter, "screening", { skill: "none" })).toBe("screening");
    expect(resolveActiveSkill(policyFor("viewer"), "screening", { skill: "screening" })).toBeNull();
  });

  it("a file's text (tier 3) appears only after read_skill_resource returned it, and never another skill's", async () => {
    const state: SkillState = { activeSkill: "screening", resourcesRead: [] };
    const rubric = skillNamed("screening")!.resources[0]!;
    const unread = shapePrompt(turn({ activeSkill: "screening", resourcesRead: state.resourcesRead }));
    expect(unread.system).toContain(rubric.path);
    expect(unread.system).not.toContain(rubric.text.slice(0, 200));
    expect(unread.accounting.byLevel.resources).toBe(0);
    const [, read] = skillTools(policyFor("recruiter"), state);
    const other = skillNamed("offer")!.resources[0]!;
    expect(await run(read!, { path: other.path })).toMatchObject({ isError: true });
    expect(await run(read!, { path: rubric.path })).toMatchObject({ kind: "result", value: { loaded: true, path: rubric.path } });
    const loaded = shapePrompt(turn({ activeSkill: "screening", resourcesRead: state.resourcesRead }));
    expect(loaded.system).toContain(rubric.text.slice(0, 200));
    expect(loaded.system).not.toContain(other.text.slice(0, 200));
    expect(loaded.accounting.byLevel.resources).toBeGreaterThan(0);
    // A forged entry for another skill's file is not shown, nor a read file once its skill is no longer active.
    const forged = shapePrompt(turn({ activeSkill: "screening", resourcesRead: [...state.resourcesRead, { skill: "offer", path: other.path }, { skill: "screening", path: "references/NOPE.md" }] }));
    expect(forged.system).not.toContain(other.text.slice(0, 200));
    expect(shapePrompt(turn({ activeSkill: "offer", resourcesRead: state.resourcesRead })).system).not.toContain(rubric.text.slice(0, 200));
  });

  it("an out-of-scope message (intent none) gets the capability answer, built from the role's catalog", () => {
    const shaped = shapePrompt(turn({ role: "viewer", intent: { skill: "none" } }));
    expect(shaped.capabilityAnswer).toMatch(/outside what I can help with/);
    expect(shaped.capabilityAnswer).toContain("Candidate search");
    expect(shaped.capabilityAnswer).toContain("Pipeline analytics");
    expect(shaped.capabilityAnswer).not.toContain("Screening");
    expect(shaped.capabilityAnswer).not.toContain("Job postings");
    expect(shapePrompt(turn({ intent: { skill: "screening" } })).capabilityAnswer).toBeNull();
    // An unsure out-of-scope verdict is the model's to judge, told what the agent can do.
    const unsure = shapePrompt(turn({ role: "viewer", intent: { skill: "none", confidence: 0.6 } }));
    expect(unsure.capabilityAnswer).toBeNull();
    expect(unsure.system).toContain("matches none of your skills");
    // The active skill's own tools do not make an out-of-scope message the model's business.
    const onlySkillTools = allTools("recruiter").filter((t) => !t.origin);
    expect(shapePrompt(turn({ role: "recruiter", activeSkill: "candidate-search", intent: { skill: "none" }, tools: onlySkillTools })).capabilityAnswer).toMatch(/As recruiter/);
    // A recruiter's MCP server or agent might serve the request: the model decides, told what the agent can do.
    const withTools = shapePrompt(turn({ role: "recruiter", intent: { skill: "none" } }));
    expect(withTools.capabilityAnswer).toBeNull();
    expect(withTools.system).toContain("matches none of your skills");
    expect(withTools.system).toContain("Interview scheduling");
    expect(shapePrompt(turn({ role: "user", intent: { skill: "none" } })).capabilityAnswer).toMatch(/not one this agent knows/);
  });

  it("accounts tokens per level: catalog, skill, resources, history, tools, message", () => {
    const history = [{ role: "user" as const, content: "find backend candidates" }, { role: "assistant" as const, content: "Here are five candidates ..." }];
    const bare = shapePrompt(turn({ tools: [] }));
    const full = shapePrompt(turn({ activeSkill: "offer", resourcesRead: [{ skill: "offer", path: "references/COMPENSATION.md" }], history, message: "make Mei an offer at 95k" }));
    expect(bare.accounting.byLevel).toMatchObject({ skill: 0, resources: 0, history: 0, tools: 0 });
    expect(bare.accounting.byLevel.catalog).toBeGreaterThan(300);
    const levels = full.accounting.byLevel;
    for (const level of ["catalog", "skill", "resources", "history", "tools", "message"] as const) expect(levels[level]).toBeGreaterThan(0);
    expect(levels.skill).toBeGreaterThan(levels.message);
    expect(full.accounting.total).toBe(Object.values(levels).reduce((a, b) => a + b, 0));
    expect(full.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    // The catalog of every skill costs about a tenth of loading every skill whole.
    const admin = shapePrompt(turn({ role: "admin", tools: [] })).accounting.byLevel.catalog;
    const whole = policyFor("admin").skills.reduce((sum, name) => {
      const all = shapePrompt(turn({ role: "admin", tools: [], activeSkill: name, resourcesRead: skillNamed(name)!.resources.map((r) => ({ skill: name, path: r.path })) }));
      return sum + all.accounting.byLevel.skill + all.accounting.byLevel.resources;
    }, 0);
    expect(admin / whole).toBeLessThan(0.1);
  });
});

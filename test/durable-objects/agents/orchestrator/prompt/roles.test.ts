import { describe, expect, it } from "vitest";
import { BUILT_IN_ROLES, canUse, canUseTool, DEFAULT_ROLE, policyFor, roleOf, rolesConfig } from "../../../../../durable-objects/agents/orchestrator/prompt/roles";
import { ORCHESTRATOR_SKILLS } from "../../../../../durable-objects/agents/orchestrator/prompt/skills";
import { RECRUITING_TOOL_NAMES, RECRUITING_WRITE_TOOLS } from "../../../../../durable-objects/agents/orchestrator/tools/recruiting";
import { ACTION_ROLES } from "../../../../../durable-objects/agents/recruiting/permissions";
import { fakeTool } from "../../../../helpers/tools";

describe("roles, declared once: what each role may use", () => {
  it("the viewer may read: three skills, the read tools, no write tool, no MCP server, no agent", () => {
    const viewer = policyFor("viewer");
    expect(viewer.skills).toEqual(["candidate-search", "pipeline-analytics", "recruiting-workflow"]);
    for (const tool of RECRUITING_WRITE_TOOLS) expect(canUse(viewer, "tool", tool)).toBe(false);
    for (const tool of ["search_candidates", "get_candidate", "list_jobs", "pipeline_stats", "ask_user", "activate_skill", "ui_table"]) expect(canUse(viewer, "tool", tool)).toBe(true);
    expect(canUse(viewer, "mcp", "calendar")).toBe(false);
    expect(canUse(viewer, "agent", "recruiting-crm")).toBe(false);
  });

  it("job-postings is the admin's alone: a2a-roles wins over any role list, at run time too", () => {
    expect(policyFor("admin").skills).toEqual([...ORCHESTRATOR_SKILLS]);
    expect(policyFor("recruiter").skills).not.toContain("job-postings");
    // A deployment that lists it for recruiters anyway does not get it: the skill's a2a-roles says admin.
    const roles = rolesConfig({ ROLES: JSON.stringify({ recruiter: { skills: "*", tools: "*" } }) });
    const recruiter = policyFor("recruiter", { roles });
    expect(recruiter.skills).not.toContain("job-postings");
    expect(canUse(recruiter, "skill", "job-postings")).toBe(false);
    // A forged policy that names it is still refused by the guard.
    expect(canUse({ ...recruiter, skills: [...recruiter.skills, "job-postings"] }, "skill", "job-postings")).toBe(false);
    // The conformance skill (a2a-roles: operator) is refused even to an admin whose agent lists it.
    const admin = policyFor("admin", { agentSkills: [...ORCHESTRATOR_SKILLS, "a2a-conformance", "echo"] });
    expect(admin.skills).toContain("echo");
    expect(canUse(admin, "skill", "a2a-conformance")).toBe(false);
    expect(canUse(policyFor("operator", { roles: rolesConfig({ ROLES: '{"operator":{"skills":"*"}}' }), agentSkills: ["a2a-conformance"] }), "skill", "a2a-conformance")).toBe(true);
  });

  it("a role no configuration declares may use nothing, and no default stands in for it", () => {
    const stranger = policyFor("user");
    expect(stranger).toMatchObject({ known: false, skills: [] });
    for (const kind of ["skill", "tool", "mcp", "agent"] as const) expect(canUse(stranger, kind, "get_candidate")).toBe(false);
    // Object keys are not roles.
    expect(policyFor("constructor").known).toBe(false);
    expect(policyFor("__proto__").known).toBe(false);
  });

  it("the role comes from the credentials, else DEFAULT_ROLE, else viewer", () => {
    expect(DEFAULT_ROLE).toBe("viewer");
    expect(roleOf({ role: "admin" }, { DEFAULT_ROLE: "recruiter" })).toBe("admin");
    expect(roleOf({}, { DEFAULT_ROLE: "recruiter" })).toBe("recruiter");
    expect(roleOf({ role: undefined }, {})).toBe("viewer");
  });

  it("ROLES adds or replaces roles, and a malformed ROLES is a clear deployment error", () => {
    const roles = rolesConfig({ ROLES: JSON.stringify({ sourcer: { description: "Finds people", skills: ["candidate-search"], tools: ["search_candidates", "mcp_*"], mcpServers: ["linkedin"] } }) });
    expect(Object.keys(roles)).toEqual([...Object.keys(BUILT_IN_ROLES), "sourcer"]);
    const sourcer = policyFor("sourcer", { roles });
    expect(sourcer.skills).toEqual(["candidate-search"]);
    expect(canUse(sourcer, "tool", "mcp_search")).toBe(true);
    expect(canUse(sourcer, "tool", "move_stage")).toBe(false);
    expect(() => rolesConfig({ ROLES: "{not json" })).toThrow(/ROLES is not valid JSON/);
    expect(() => rolesConfig({ ROLES: '{"x":{"skills":"all"}}' })).toThrow(/ROLES is invalid/);
    expect(() => rolesConfig({ ROLES: '{"x":{"tool":["a"]}}' })).toThrow(/ROLES is invalid/);
  });

  it("a tool from an MCP server or another agent is allowed by its server or agent, not by its own name", () => {
    const viewer = policyFor("viewer");
    const recruiter = policyFor("recruiter");
    const mcp = fakeTool("calendar_find_slots", { kind: "mcp", server: "calendar" });
    const delegate = fakeTool("ask_crm", { kind: "agent", agent: "recruiting-crm" });
    expect(canUseTool(viewer, mcp)).toBe(false);
    expect(canUseTool(viewer, delegate)).toBe(false);
    expect(canUseTool(recruiter, mcp)).toBe(true);
    expect(canUseTool(recruiter, delegate)).toBe(true);
  });

  it("every recruiting tool a role is offered is one the recruiting system lets that role run", () => {
    const toolPermission: Record<string, keyof typeof ACTION_ROLES> = {
      search_candidates: "read", get_candidate: "read", list_jobs: "read", pipeline_stats: "read", source_candidate: "source", screen_candidate: "screen",
      schedule_interview: "schedule", make_offer: "offer", move_stage: "move", reject_candidate: "reject", create_job: "postJobs", close_job: "postJobs",
    };
    expect(Object.keys(toolPermission).sort()).toEqual([...RECRUITING_TOOL_NAMES].sort());
    for (const role of Object.keys(BUILT_IN_ROLES)) {
      const policy = policyFor(role);
      for (const tool of RECRUITING_TOOL_NAMES) {
        const offered = canUse(policy, "tool", tool);
        const permitted = (ACTION_ROLES[toolPermission[tool]!] as readonly string[]).includes(role);
        expect({ role, tool, offered }).toEqual({ role, tool, offered: permitted });
      }
    }
  });
});

import { describe, expect, it } from "vitest";
import { hostedAgent } from "../../../durable-objects/agents";
import { bundledIndex } from "../../../durable-objects/agents/orchestrator/prompt/offline-intent";
import { ORCHESTRATOR_SKILLS } from "../../../durable-objects/agents/orchestrator/prompt/skills";
import { RECRUITING_ACTION_NAMES } from "../../../durable-objects/agents/recruiting/action-table";
import { RECRUITING_TOOL_NAMES } from "../../../durable-objects/agents/orchestrator/tools/recruiting";
import { catalog } from "../../../skills";

describe("the recruiting CRM agent's skill", () => {
  it("is on the CRM's card, and never what the orchestrator's intent classifier matches a sentence against", () => {
    expect(hostedAgent("recruiting-crm")?.skills).toEqual(["recruiting-crm"]);
    expect(catalog.some((s) => s.name === "recruiting-crm")).toBe(true);
    expect(ORCHESTRATOR_SKILLS).not.toContain("recruiting-crm");
    // Structured requests only (a2a-input-modes: application/json): its words would skew the classifier's idf.
    expect([...bundledIndex().docs.keys()]).not.toContain("recruiting-crm");
    expect([...bundledIndex().docs.keys()]).toEqual(expect.arrayContaining([...ORCHESTRATOR_SKILLS]));
  });

  it("names every action the tools have, under the tools' own names", () => {
    expect(RECRUITING_ACTION_NAMES).toEqual(RECRUITING_TOOL_NAMES);
    const description = catalog.find((s) => s.name === "recruiting-crm")!.description;
    for (const name of RECRUITING_ACTION_NAMES) expect(description).toContain(name);
  });
});

import { describe, expect, it } from "vitest";
import { z } from "zod";
import { toolSpec } from "../../../durable-objects/agents/orchestrator/tools/tool-spec";
import { result, type Tool } from "../../../durable-objects/agents/orchestrator/tools/tool";

const tool = (input: z.ZodType, extra: Partial<Tool> = {}): Tool => ({ name: "t", description: "d", input, sideEffects: false, execute: async () => result(null), ...extra });

describe("what a model is told of a tool", () => {
  it("converts a zod input once per schema, without the $schema key, for every tool sharing it", () => {
    const input = z.object({ q: z.string().min(1), limit: z.number().int().optional() });
    const first = toolSpec(tool(input));
    expect(first).toEqual({ name: "t", description: "d", inputSchema: expect.objectContaining({ type: "object", required: ["q"] }) });
    expect(first.inputSchema).not.toHaveProperty("$schema");
    expect(toolSpec(tool(input, { name: "u" })).inputSchema).toBe(first.inputSchema);
    expect(toolSpec(tool(z.object({ q: z.string() }))).inputSchema).not.toBe(first.inputSchema);
  });

  it("passes a tool's own JSON Schema (an MCP server's) through as it came", () => {
    const own = { type: "object", properties: { city: { type: "string" } }, additionalProperties: false };
    expect(toolSpec(tool(z.any(), { jsonSchema: own })).inputSchema).toBe(own);
  });
});

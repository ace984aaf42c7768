import { z } from "zod";
import type { ToolSpec } from "../../models/model";
import type { Tool } from "./tool";

/** Each zod input's JSON Schema, once per isolate: most tools' schemas are module constants. */
const converted = new WeakMap<z.ZodType, Record<string, unknown>>();

/**
 * What a model (and the prompt's token count) is told of a tool: name, description and its input as JSON Schema,
 * the tool's own schema when it came with one (an MCP server's). Converting zod to JSON Schema was about 9% of an
 * orchestrator turn's CPU (npm run bench:profile), every step, for schemas that never change; now it is done once
 * per schema.
 */
export function toolSpec(tool: Tool): ToolSpec {
  return { name: tool.name, description: tool.description, inputSchema: tool.jsonSchema ?? inputSchemaOf(tool.input) };
}

function inputSchemaOf(input: z.ZodType): Record<string, unknown> {
  let schema = converted.get(input);
  if (!schema) {
    const { $schema: _, ...rest } = z.toJSONSchema(input, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
    schema = rest;
    converted.set(input, schema);
  }
  return schema;
}

import { Validator, type OutputUnit, type Schema } from "@cfworker/json-schema";
import { z } from "zod";

const DRAFTS: Record<string, "4" | "7" | "2019-09" | "2020-12"> = { "draft-04": "4", "draft-07": "7", "2019-09": "2019-09", "2020-12": "2020-12" };

export interface SchemaProblem {
  path: string[];
  message: string;
}

/**
 * A validator for a JSON Schema from an MCP server, by @cfworker/json-schema: ajv compiles schemas to code, which
 * deployed workerd refuses. The draft is the schema's `$schema`, else 2020-12 (MCP's default dialect).
 */
export function jsonSchemaValidator(schema: Record<string, unknown>): (value: unknown) => SchemaProblem[] {
  const declared = typeof schema.$schema === "string" ? Object.entries(DRAFTS).find(([key]) => (schema.$schema as string).includes(key))?.[1] : undefined;
  const validator = new Validator(schema as Schema, declared ?? "2020-12", false);
  return (value) => {
    const result = validator.validate(value);
    return result.valid ? [] : leaves(result.errors).slice(0, 5).map((error) => ({ path: error.instanceLocation.replace(/^#\/?/, "").split("/").filter(Boolean), message: error.error }));
  };
}

/** cfworker reports every failing keyword up the tree; the deepest ones say what is actually wrong. */
function leaves(errors: OutputUnit[]): OutputUnit[] {
  return errors.filter((error) => !errors.some((other) => other !== error && other.instanceLocation.startsWith(`${error.instanceLocation}/`)));
}

/**
 * The Tool contract wants a zod schema; an MCP tool brings a JSON Schema. This zod schema validates with
 * `jsonSchemaValidator` and carries the JSON Schema as its metadata, so `z.toJSONSchema(input)` gives the model
 * exactly the server's schema.
 */
export function jsonSchemaInput(schema: Record<string, unknown>): z.ZodType<Record<string, unknown>> {
  const validate = jsonSchemaValidator(schema);
  return z
    .unknown()
    .superRefine((value, ctx) => {
      for (const problem of validate(value)) ctx.addIssue({ code: "custom", message: problem.message, path: problem.path });
    })
    .meta(schema) as unknown as z.ZodType<Record<string, unknown>>;
}

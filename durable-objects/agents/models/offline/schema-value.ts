import type { JsonSchema } from "./context";

/**
 * The smallest value valid for a JSON Schema, for structured-output calls answered offline (intent classification:
 * `{ skill: "none", ... }`). Prefers "none" among enum values, respects const, minimums and minItems.
 */
export function minimalValue(schema: JsonSchema | undefined): unknown {
  if (!schema || typeof schema !== "object") return null;
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum.includes("none") ? "none" : schema.enum[0];
  const variants = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(variants) && variants.length > 0) return minimalValue(variants.find((v) => v.type === "null") ?? variants[0]);
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) return minimalValue(Object.assign({}, ...(schema.allOf as JsonSchema[])));
  const type = Array.isArray(schema.type) ? (schema.type.includes("null") ? "null" : schema.type[0]) : schema.type;
  switch (type) {
    case "object": {
      const value: Record<string, unknown> = {};
      for (const name of schema.required ?? []) value[name] = minimalValue(schema.properties?.[name]);
      return value;
    }
    case "array":
      return Array.from({ length: Number(schema.minItems ?? 0) }, () => minimalValue(schema.items));
    case "string":
      return "none".padEnd(Number(schema.minLength ?? 0), "e").slice(0, Number(schema.maxLength ?? Infinity));
    case "number":
    case "integer":
      return Number(schema.minimum ?? (schema.exclusiveMinimum !== undefined ? Number(schema.exclusiveMinimum) + 1 : 0));
    case "boolean":
      return false;
    case "null":
      return null;
    default:
      return schema.properties ? minimalValue({ ...schema, type: "object" }) : null;
  }
}

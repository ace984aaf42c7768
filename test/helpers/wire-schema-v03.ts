/// <reference types="vite/client" />
import { Validator, type OutputUnit, type Schema } from "@cfworker/json-schema";
// The v0.3 JSON Schema (the v0.3 JSON-RPC wire types), vendored in test/fixtures/a2a-spec and inlined by Vite.
import bundle from "../fixtures/a2a-spec/v0.3/a2a.json";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const definitions = (bundle as unknown as { definitions: Record<string, Json> }).definitions;

/**
 * v0.3/a2a.json leaves `additionalProperties` open, so on its own it would accept a v1.0 field leaking into
 * a v0.3 answer (`raw`, `mediaType`, `statusUpdate`…). The strict variant closes every object that lists its
 * properties and says nothing else about extra ones; maps (`metadata`, `additionalProperties: {}`) stay open.
 */
function closeObjects(node: Json): Json {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(node)) {
    // Under `properties` the keys are field names: recurse into their schemas only.
    out[key] = key === "properties" && value && typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, closeObjects(schema)]))
      : closeObjects(value);
  }
  if (out.properties !== undefined && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

const strictDefinitions = closeObjects(definitions as Json) as Record<string, Json>;
const validators = new Map<string, Validator>();

function run(definition: string, value: unknown, strict: boolean): string[] {
  if (!(definition in definitions)) throw new Error(`v0.3/a2a.json has no definition ${definition}`);
  const key = `${strict}:${definition}`;
  let validator = validators.get(key);
  if (!validator) {
    const root = { $schema: "http://json-schema.org/draft-07/schema#", definitions: strict ? strictDefinitions : definitions, allOf: [{ $ref: `#/definitions/${definition}` }] };
    validator = new Validator(root as unknown as Schema, "7", false);
    validators.set(key, validator);
  }
  const result = validator.validate(value);
  return result.valid ? [] : result.errors.map((e: OutputUnit) => `${e.instanceLocation} ${e.keyword} (${e.keywordLocation}): ${e.error}`);
}

/**
 * Validates against one definition of v0.3/a2a.json ("Task", "SendMessageSuccessResponse", "AgentCard",
 * "JSONRPCErrorResponse"…), closed to unknown fields. Returns the errors, `[]` when valid.
 * @example expect(validateV03("SendMessageSuccessResponse", body)).toEqual([]);
 */
export const validateV03 = (definition: string, value: unknown) => run(definition, value, true);

/** The schema exactly as published (unknown fields allowed), for checking the strict variant against. */
export const validateV03Loose = (definition: string, value: unknown) => run(definition, value, false);

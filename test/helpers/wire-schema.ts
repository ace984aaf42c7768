/// <reference types="vite/client" />
import { Validator, type OutputUnit, type Schema } from "@cfworker/json-schema";
// The official TCK's JSON Schema, vendored in test/fixtures/a2a-spec (source, version and licence in its SOURCE.md).
// Vite inlines the JSON into the test bundle, so nothing is read from disk inside workerd.
import bundle from "../fixtures/a2a-spec/a2a.json";
// The normative proto, as text: its REQUIRED annotations and oneofs are what the JSON Schema cannot say.
import proto from "../fixtures/a2a-spec/a2a.proto?raw";

/**
 * Validation of wire objects against the TCK's `specification/a2a.json` (draft 2020-12,
 * `additionalProperties:false`). workerd forbids code generation, so instead of Ajv this uses
 * `@cfworker/json-schema`, which interprets the schema.
 *
 * The bundle's quirks (see test/fixtures/a2a-spec/SOURCE.md): the top-level key is `definitions`, whose keys
 * are titles with spaces ("Task Status"), and the `$ref`s are file-style names such as
 * "lf.a2a.v1.TaskStatus.jsonschema.json" or "google.protobuf.Struct.jsonschema.json". They are resolved by
 * stripping the prefix and suffix and matching the definition key with its spaces removed.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const definitions = (bundle as unknown as { definitions: Record<string, Json> }).definitions;

/** "Task Status" → "TaskStatus"; "Authorization CodeO Auth Flow" → "AuthorizationCodeOAuthFlow". */
const compact = (name: string) => name.replace(/\s+/g, "");

const byCompactName = new Map(Object.keys(definitions).map((key) => [compact(key), key]));

/** "lf.a2a.v1.TaskStatus.jsonschema.json" → "TaskStatus"; "google.protobuf.Struct.jsonschema.json" → "Struct". */
function refTarget(ref: string): string {
  const match = /^(?:lf\.a2a\.v1\.|google\.protobuf\.)?([A-Za-z0-9_]+)\.jsonschema\.json$/.exec(ref);
  const name = match?.[1];
  if (name === undefined || !byCompactName.has(name)) throw new Error(`a2a.json: cannot resolve $ref ${ref}`);
  return name;
}

/** Rewrites file-style `$ref`s to local `#/$defs/<CompactName>` pointers and drops nested `$schema` keys. */
function rewrite(node: Json, top = false): Json {
  if (Array.isArray(node)) return node.map((item) => rewrite(item));
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$schema" && !top) continue;
    if (key === "$ref" && typeof value === "string") out[key] = `#/$defs/${refTarget(value)}`;
    // Inside `properties`/`patternProperties` the keys are field names, not keywords: recurse into values only.
    else out[key] = rewrite(value);
  }
  return out;
}

const $defs: Record<string, Json> = Object.fromEntries(Object.entries(definitions).map(([key, value]) => [compact(key), rewrite(value)]));

/** What a2a.proto adds to one message: its REQUIRED fields and its oneof groups (camelCase JSON names). */
interface ProtoRules {
  required: string[];
  oneofs: string[][];
}

const snakeToCamel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** A small reader for a2a.proto: top-level `message X { … }` blocks, their REQUIRED fields and `oneof` members. */
function protoRules(source: string): Map<string, ProtoRules> {
  const rules = new Map<string, ProtoRules>();
  const lines = source.split("\n").map((line) => line.replace(/\/\/.*$/, "").trim());
  let current: ProtoRules | undefined;
  let oneof: string[] | undefined;
  let depth = 0;
  for (const line of lines) {
    const opened = (line.match(/\{/g) ?? []).length;
    const closed = (line.match(/\}/g) ?? []).length;
    const message = /^message\s+(\w+)\s*\{/.exec(line);
    if (depth === 0 && message) {
      current = { required: [], oneofs: [] };
      rules.set(message[1]!, current);
    } else if (current && depth === 1 && /^oneof\s+\w+\s*\{/.test(line)) {
      oneof = [];
      current.oneofs.push(oneof);
    } else if (current) {
      const field = /^(?:repeated\s+|optional\s+)?(?:map<[^>]+>|[\w.]+)\s+(\w+)\s*=\s*\d+/.exec(line);
      if (field) {
        const name = snakeToCamel(field[1]!);
        if (oneof && depth === 2) oneof.push(name);
        if (/field_behavior\)\s*=\s*REQUIRED/.test(line)) current.required.push(name);
      }
    }
    depth += opened - closed;
    if (depth <= 1) oneof = undefined;
    if (depth === 0) current = undefined;
  }
  return rules;
}

const rules = protoRules(proto);

/**
 * The stricter variant: each definition also gets `required` for the proto's REQUIRED fields and "exactly one
 * member" for each oneof (Part content, Send/StreamResponse payload, SecurityScheme, OAuthFlows), plus at least
 * one part in a Message or Artifact (REFERENCE §3). Names are camelCase, as the server must emit them.
 */
const strictDefs: Record<string, Json> = Object.fromEntries(
  Object.entries($defs).map(([name, schema]) => {
    const rule = rules.get(name);
    if (!rule || schema === null || typeof schema !== "object" || Array.isArray(schema)) return [name, schema];
    const extra: Record<string, Json> = {};
    if (rule.required.length > 0) extra.required = rule.required;
    if (rule.oneofs.length > 0) extra.allOf = rule.oneofs.map((members) => ({ oneOf: members.map((member) => ({ required: [member] })) }));
    if (name === "Message" || name === "Artifact") {
      const properties = (schema as { properties: Record<string, Json> }).properties;
      extra.properties = { ...properties, parts: { ...(properties.parts as Record<string, Json>), minItems: 1 } };
    }
    return [name, { ...schema, ...extra }];
  }),
);

const validators = new Map<string, Validator>();

function validatorFor(definitionName: string, strict: boolean): Validator {
  const name = compact(definitionName);
  if (!byCompactName.has(name)) throw new Error(`a2a.json has no definition ${definitionName}; known: ${[...byCompactName.values()].join(", ")}`);
  const key = `${strict ? "strict" : "tck"}:${name}`;
  let validator = validators.get(key);
  if (!validator) {
    const root = {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: "https://a2a.schema.test/a2a.json",
      $defs: strict ? strictDefs : $defs,
      $ref: `#/$defs/${name}`,
    };
    // shortCircuit=false: report every failing keyword, not just the first.
    validator = new Validator(root as unknown as Schema, "2020-12", false);
    validators.set(key, validator);
  }
  return validator;
}

function run(definitionName: string, value: unknown, strict: boolean): string[] {
  const result = validatorFor(definitionName, strict).validate(value);
  if (result.valid) return [];
  return result.errors.map((e: OutputUnit) => `${e.instanceLocation} ${e.keyword} (${e.keywordLocation}): ${e.error}`);
}

/** The names `validateWire` accepts, as the bundle spells them ("Send Message Response") or without spaces. */
export const WIRE_DEFINITIONS: readonly string[] = Object.keys(definitions);

/**
 * Validates `value` against one definition of a2a.json, e.g. "Task", "Message", "Send Message Response",
 * "Agent Card", "List Tasks Response", "Stream Response" (spaces optional). Returns the errors, `[]` when valid.
 * @example expect(validateWire("Task", body.result)).toEqual([]);
 */
export function validateWire(definitionName: string, value: unknown): string[] {
  return run(definitionName, value, false);
}

/**
 * `validateWire` plus what a2a.proto says and the TCK schema does not: REQUIRED fields present, exactly one
 * member of each oneof, at least one part. Use it for what the server emits.
 */
export function validateWireStrict(definitionName: string, value: unknown): string[] {
  return run(definitionName, value, true);
}

/** The proto's REQUIRED fields and oneofs for one message (for tests of this helper). */
export function protoRulesOf(definitionName: string): ProtoRules | undefined {
  return rules.get(compact(definitionName));
}

// ---------------------------------------------------------------------------------------------------------------
// Error bodies. a2a.json has no error definitions, so these are checked structurally (REFERENCE §8).
// ---------------------------------------------------------------------------------------------------------------

export const ERROR_INFO_TYPE = "type.googleapis.com/google.rpc.ErrorInfo";
export const BAD_REQUEST_TYPE = "type.googleapis.com/google.rpc.BadRequest";

/** google.rpc.Code names (the REST `error.status`). */
const RPC_CODES = new Set([
  "OK",
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
]);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function extraKeys(value: Record<string, unknown>, allowed: readonly string[], where: string): string[] {
  return Object.keys(value)
    .filter((key) => !allowed.includes(key))
    .map((key) => `${where}: unexpected key ${JSON.stringify(key)}`);
}

/** `error.data` / `error.details`: typed entries, exactly one well-formed ErrorInfo in domain a2a-protocol.org. */
function detailsViolations(details: unknown, where: string): string[] {
  if (!Array.isArray(details)) return [`${where}: must be an array, got ${JSON.stringify(details)}`];
  const errors: string[] = [];
  const infos = details.filter((d) => isObject(d) && d["@type"] === ERROR_INFO_TYPE);
  if (infos.length !== 1) errors.push(`${where}: needs exactly one ${ERROR_INFO_TYPE}, found ${infos.length}`);
  details.forEach((entry, i) => {
    const at = `${where}[${i}]`;
    if (!isObject(entry)) return errors.push(`${at}: must be an object`);
    const type = entry["@type"];
    if (typeof type !== "string" || !type.startsWith("type.googleapis.com/")) return errors.push(`${at}: @type must be a type.googleapis.com/ URL`);
    if (type === ERROR_INFO_TYPE) {
      errors.push(...extraKeys(entry, ["@type", "reason", "domain", "metadata"], at));
      if (typeof entry.reason !== "string" || !/^[A-Z][A-Z0-9_]*[A-Z0-9]$/.test(entry.reason)) errors.push(`${at}.reason: must be UPPER_SNAKE_CASE`);
      if (entry.domain !== "a2a-protocol.org") errors.push(`${at}.domain: must be "a2a-protocol.org", got ${JSON.stringify(entry.domain)}`);
      if (entry.metadata !== undefined) {
        if (!isObject(entry.metadata)) errors.push(`${at}.metadata: must be an object`);
        else for (const [k, v] of Object.entries(entry.metadata)) if (typeof v !== "string") errors.push(`${at}.metadata.${k}: must be a string (map<string,string>)`);
      }
    } else if (type === BAD_REQUEST_TYPE) {
      errors.push(...extraKeys(entry, ["@type", "fieldViolations"], at));
      if (!Array.isArray(entry.fieldViolations) || entry.fieldViolations.length === 0) errors.push(`${at}.fieldViolations: must be a non-empty array`);
      else
        entry.fieldViolations.forEach((v: unknown, j: number) => {
          if (!isObject(v) || typeof v.field !== "string" || typeof v.description !== "string") {
            errors.push(`${at}.fieldViolations[${j}]: must be {field: string, description: string}`);
          } else errors.push(...extraKeys(v, ["field", "description", "reason", "localizedMessage"], `${at}.fieldViolations[${j}]`));
        });
    }
  });
  return errors;
}

/**
 * A JSON-RPC 2.0 error response as A2A v1.0 wants it:
 * `{jsonrpc:"2.0", id, error:{code, message, data:[{"@type":ErrorInfo, reason, domain, metadata?}, …]}}`.
 * Returns the violations, `[]` when well-formed.
 */
export function jsonRpcErrorViolations(body: unknown): string[] {
  if (!isObject(body)) return [`body: must be a JSON object, got ${JSON.stringify(body)?.slice(0, 200)}`];
  const errors = extraKeys(body, ["jsonrpc", "id", "error"], "body");
  if (body.jsonrpc !== "2.0") errors.push(`body.jsonrpc: must be "2.0"`);
  if (!("id" in body)) errors.push("body.id: must be present (null when unknown)");
  else if (body.id !== null && typeof body.id !== "string" && typeof body.id !== "number") errors.push("body.id: must be a string, number or null");
  const error = body.error;
  if (!isObject(error)) return [...errors, "body.error: must be an object"];
  errors.push(...extraKeys(error, ["code", "message", "data"], "body.error"));
  if (!Number.isInteger(error.code)) errors.push("body.error.code: must be an integer");
  if (typeof error.message !== "string" || error.message === "") errors.push("body.error.message: must be a non-empty string");
  errors.push(...detailsViolations(error.data, "body.error.data"));
  return errors;
}

/** A REST error: google.rpc.Status per AIP-193, `{"error":{code,status,message,details:[…ErrorInfo…]}}`, code = HTTP status. */
export function restErrorViolations(body: unknown, httpStatus: number): string[] {
  if (!isObject(body)) return [`body: must be a JSON object, got ${JSON.stringify(body)?.slice(0, 200)}`];
  const errors = extraKeys(body, ["error"], "body");
  const error = body.error;
  if (!isObject(error)) return [...errors, "body.error: must be an object"];
  errors.push(...extraKeys(error, ["code", "status", "message", "details"], "body.error"));
  if (error.code !== httpStatus) errors.push(`body.error.code: must equal the HTTP status ${httpStatus}, got ${JSON.stringify(error.code)}`);
  if (typeof error.status !== "string" || !RPC_CODES.has(error.status)) errors.push(`body.error.status: must be a google.rpc.Code name, got ${JSON.stringify(error.status)}`);
  if (typeof error.message !== "string" || error.message === "") errors.push("body.error.message: must be a non-empty string");
  errors.push(...detailsViolations(error.details, "body.error.details"));
  return errors;
}

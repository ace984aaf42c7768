import { dereference, validate, type OutputUnit, type Schema } from "@cfworker/json-schema";
import catalog from "../../../../schema/a2ui/v0_9_1/catalogs/basic/catalog.json";
import clientToServer from "../../../../schema/a2ui/v0_9_1/json/client_to_server.json";
import commonTypes from "../../../../schema/a2ui/v0_9_1/json/common_types.json";
import serverToClient from "../../../../schema/a2ui/v0_9_1/json/server_to_client.json";
import type { A2uiServerMessage } from "../../../../schema/a2ui/messages";

/** `server_to_client.json` and `FunctionCall` point at this placeholder for "the catalog in use" (SOURCE.md). */
const CATALOG_PLACEHOLDER_ID = "https://a2ui.org/specification/v0_9/catalog.json";
const CLIENT_TO_SERVER_ID = "https://a2ui.org/specification/v0_9/client_to_server.json";

type Lookup = Record<string, Schema | boolean>;
let lookup: Lookup | undefined;

/**
 * The vendored schemas, indexed once per isolate. `@cfworker/json-schema` (not ajv: workerd forbids code
 * generation from strings) walks unknown keywords key by key but skips keys named like JSON Schema keywords, so
 * the catalog's function `required` never reaches its index: every function is added by name.
 */
function schemas(): Lookup {
  if (lookup) return lookup;
  const index: Lookup = dereference(serverToClient as Schema);
  dereference(commonTypes as Schema, index);
  dereference(catalog as Schema, index);
  dereference({ ...structuredClone(catalog), $id: CATALOG_PLACEHOLDER_ID } as Schema, index);
  dereference({ ...clientToServer, $id: CLIENT_TO_SERVER_ID } as Schema, index);
  for (const base of [catalog.$id, CATALOG_PLACEHOLDER_ID]) {
    for (const [name, fn] of Object.entries(catalog.functions)) index[`${base}#/functions/${name}`] ??= fn as Schema;
  }
  return (lookup = index);
}

/** The few errors that say most: the deepest instance locations (a failed `oneOf` also reports every branch). */
function summarise(errors: OutputUnit[]): string[] {
  const depth = (unit: OutputUnit) => unit.instanceLocation.split("/").length;
  const deepest = Math.max(...errors.map(depth));
  const lines = errors.filter((unit) => depth(unit) === deepest).map((unit) => `${unit.instanceLocation}: ${unit.error}`);
  return [...new Set(lines)].slice(0, 3);
}

export type Validation = { valid: true } | { valid: false; errors: string[] };

function check(instance: unknown, id: string): Validation {
  const index = schemas();
  const result = validate(instance, index[id]!, "2020-12", index, false);
  return result.valid ? { valid: true } : { valid: false, errors: summarise(result.errors) };
}

/** One agent → client message against `server_to_client.json` with the basic catalog. */
export const validateServerMessage = (message: unknown): Validation => check(message, serverToClient.$id);

/** One client → agent message (an action or an error) against `client_to_server.json`. */
export const validateClientMessage = (message: unknown): Validation => check(message, CLIENT_TO_SERVER_ID);

/** Where a basic-catalog component names other components: `child`, `children` (list or template), tabs, modal. */
function referencesOf(component: Record<string, unknown>): string[] {
  const ids: string[] = [];
  for (const key of ["child", "trigger", "content"]) if (typeof component[key] === "string") ids.push(component[key] as string);
  const children = component.children;
  if (Array.isArray(children)) ids.push(...children.filter((id): id is string => typeof id === "string"));
  else if (children && typeof children === "object" && typeof (children as { componentId?: unknown }).componentId === "string") {
    ids.push((children as { componentId: string }).componentId);
  }
  if (Array.isArray(component.tabs)) for (const tab of component.tabs as { child?: unknown }[]) if (typeof tab.child === "string") ids.push(tab.child);
  return ids;
}

/**
 * What the schemas cannot say about a surface built in one go (REFERENCE §4): ids unique, exactly one `root`,
 * and every referenced id present.
 */
export function checkSurface(messages: readonly A2uiServerMessage[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const referenced: string[] = [];
  for (const message of messages) {
    if (!("updateComponents" in message)) continue;
    for (const component of message.updateComponents.components) {
      if (ids.has(component.id)) problems.push(`component id ${component.id} is used twice`);
      ids.add(component.id);
      referenced.push(...referencesOf(component));
    }
  }
  if (ids.size > 0 && !ids.has("root")) problems.push("no component has id root");
  for (const id of new Set(referenced)) if (!ids.has(id)) problems.push(`component ${id} is referenced but not defined`);
  return problems;
}

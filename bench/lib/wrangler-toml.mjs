// Just enough TOML to read wrangler.toml's top-level keys and its [vars] table:
// strings (basic and literal), numbers, booleans and arrays of those, `#` comments.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./paths.mjs";

function parseValue(raw) {
  const text = raw.trim();
  if (text.startsWith('"')) return JSON.parse(text);
  if (text.startsWith("'")) return text.slice(1, -1);
  if (text.startsWith("[")) return splitArray(text.slice(1, -1)).map(parseValue);
  if (text === "true" || text === "false") return text === "true";
  const number = Number(text.replace(/_/g, ""));
  if (!Number.isNaN(number)) return number;
  throw new Error(`wrangler.toml: unsupported value ${text}`);
}

/** Cuts `text` at the first `#` outside a string; also reports whether brackets are balanced. */
function scan(text) {
  let quote = null;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "[") depth++;
    else if (c === "]") depth--;
    else if (c === "#") return { code: text.slice(0, i), depth };
  }
  return { code: text, depth };
}

function splitArray(inner) {
  const items = [];
  let quote = null;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ",") {
      items.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  items.push(inner.slice(start));
  return items.filter((item) => item.trim() !== "");
}

/**
 * @returns {{ top: Record<string, unknown>, vars: Record<string, unknown>,
 *   arrays: Record<string, Record<string, unknown>[]> }}  `arrays` holds the [[array.of.tables]] entries
 */
export function readWranglerToml(path) {
  const top = {};
  const vars = {};
  const arrays = {};
  let target = top;
  let table = "";
  let pending = "";
  for (const line of readFileSync(path, "utf8").split(/\r?\n/)) {
    const { code, depth } = scan(pending + line);
    if (depth > 0) {
      pending = `${code} `; // a multi-line array continues
      continue;
    }
    pending = "";
    const trimmed = code.trim();
    if (trimmed === "") continue;
    const header = /^(\[\[?)\s*([^\]]+?)\s*\]\]?$/.exec(trimmed);
    if (header) {
      table = header[2];
      if (header[1] === "[[") (arrays[table] ??= []).push((target = {}));
      else target = table === "vars" ? vars : {};
      continue;
    }
    const eq = trimmed.indexOf("=");
    if (eq < 0) continue;
    const key = trimmed.slice(0, eq).trim().replace(/^"(.*)"$/, "$1");
    target[key] = parseValue(trimmed.slice(eq + 1));
  }
  return { top, vars, arrays };
}

/**
 * What the bench needs from the project's wrangler.toml: the entry, compatibility date and flags, [vars], and
 * the Durable Object classes the Worker itself defines.
 * @returns {{ main: string, compat: { compatibilityDate: string, compatibilityFlags: string[] },
 *   vars: Record<string, unknown>, durableObjects: { className: string, binding: string }[] }}
 */
export function wranglerConfig() {
  const path = join(ROOT, "wrangler.toml");
  if (!existsSync(path)) throw new Error("wrangler.toml not found");
  const { top, vars, arrays } = readWranglerToml(path);
  const durableObjects = (arrays["durable_objects.bindings"] ?? [])
    .filter((b) => !b.script_name)
    .map((b) => ({ className: String(b.class_name), binding: String(b.name) }));
  return {
    main: String(top.main ?? "workers/index.ts"),
    compat: { compatibilityDate: String(top.compatibility_date), compatibilityFlags: (top.compatibility_flags ?? []).map(String) },
    vars,
    durableObjects: durableObjects.length ? durableObjects : [{ className: "TaskObject", binding: "TASKS" }],
  };
}

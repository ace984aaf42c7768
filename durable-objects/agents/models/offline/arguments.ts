import type { JsonSchema, OfferedTool } from "./context";

/** Arguments for a call, or the name of the first required one the message does not give. */
export type Filled = { args: Record<string, unknown> } | { missing: string };

const STOP_WORDS = new Set("a an the and or but for to of in on at by with from into about please can could would you me my i we our us it its this that these those is are be do does did some any all find show get give tell list make want need who whom which what know knows someone somebody people".split(" "));

/** The words of a tool's name that say what it is about (`search_candidates` → search, candidates, candidate). */
export function domainWords(tool: OfferedTool): string[] {
  const parts = tool.name
    .split(/[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])/)
    .map((word) => word.toLowerCase())
    .filter((word) => word.length >= 4 && !STOP_WORDS.has(word));
  const plural = (word: string) => (/(?:ch|sh|x|z)$/.test(word) ? `${word}es` : `${word}s`);
  return [...new Set(parts.flatMap((word) => (word.endsWith("s") ? [word, word.slice(0, -1)] : [word, plural(word)])))];
}

/**
 * What the message is about once the tool's own words, its parameters' names, bare numbers and filler are gone:
 * "search candidates who know Go, limit 5" → "Go".
 */
export function topicOf(text: string, tool: OfferedTool): string {
  const skip = new Set([...STOP_WORDS, ...domainWords(tool), ...Object.keys(tool.inputSchema.properties ?? {}).flatMap(nameWords)]);
  return (text.match(/[\p{L}\p{N}@.+#:/-]*[\p{L}\p{N}]/gu) ?? []).filter((word) => !skip.has(word.toLowerCase()) && !/^\d+$/.test(word)).join(" ");
}

/** `start_date`, `startDate` → start, date. */
const nameWords = (name: string): string[] => name.split(/[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])/).map((word) => word.toLowerCase()).filter(Boolean);

/** Properties named for a kind of value (by one of their words), and where that value is in a message. */
const PATTERNS: [Set<string>, RegExp][] = [
  [new Set(["email", "mail"]), /[\w.+-]+@[\w-]+\.[\w.-]+/],
  [new Set(["url", "link", "href", "website"]), /https?:\/\/\S+/],
  [new Set(["date", "time", "when", "at", "start", "day", "deadline", "datetime"]), /\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?Z?)?|\b(?:today|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:\s+\d{1,2}(?::\d{2})?)?/i],
];

/**
 * Fills a tool's arguments from the message, by the schema alone: an enum value the message names, a number it
 * contains, an e-mail, URL or date when the property is named for one, else the message's topic for text.
 * Optional properties are filled only when the message clearly gives them.
 */
export function fillArguments(tool: OfferedTool, text: string): Filled {
  const properties = Object.entries(tool.inputSchema.properties ?? {});
  const required = new Set(tool.inputSchema.required ?? []);
  const args: Record<string, unknown> = {};
  // Values with a shape (a date, an e-mail, an enum value) first; free text gets what they leave.
  let rest = text;
  for (const [name, schema] of properties) {
    const found = shapedValue(name, schema, text);
    if (found === undefined) continue;
    args[name] = found;
    if (typeof found === "string") rest = rest.replace(found, " ");
  }
  for (const [name, schema] of properties) {
    if (name in args) continue;
    const value = valueFor(name, schema, rest, tool, required.has(name));
    if (value !== undefined) args[name] = value;
    else if (required.has(name)) return { missing: name };
  }
  return { args: Object.fromEntries(properties.filter(([name]) => name in args).map(([name]) => [name, args[name]])) };
}

function shapedValue(name: string, schema: JsonSchema, text: string): unknown {
  if (Array.isArray(schema.enum)) return schema.enum.find((option) => typeof option === "string" && new RegExp(`\\b${escape(option)}\\b`, "i").test(text));
  const pattern = PATTERNS.find(([kinds]) => nameWords(name).some((word) => kinds.has(word)))?.[1];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  return pattern && (type === "string" || type === undefined) ? text.match(pattern)?.[0] : undefined;
}

function valueFor(name: string, schema: JsonSchema, text: string, tool: OfferedTool, required: boolean): unknown {
  if (Array.isArray(schema.enum) || shapedKind(name)) return undefined;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "number":
    case "integer": {
      const found = text.match(/-?\d+(?:\.\d+)?/)?.[0];
      return found === undefined ? undefined : type === "integer" ? Math.trunc(Number(found)) : Number(found);
    }
    case "boolean":
      return required ? true : undefined;
    case "array": {
      const topic = topicOf(text, tool);
      return required && topic ? topic.split(/\s*,\s*|\s+and\s+/) : undefined;
    }
    case "object":
      return required ? {} : undefined;
    default: {
      if (!required) return undefined;
      const topic = topicOf(text, tool);
      return topic || undefined;
    }
  }
}

const shapedKind = (name: string) => PATTERNS.some(([kinds]) => nameWords(name).some((word) => kinds.has(word)));

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

import type { UiFormField } from "../../../../schema/a2ui/ui-tools";

type Value = string | number | boolean | string[] | null;

/** The data model's starting value for a field: what its input component binds to. */
export function initialValue(field: UiFormField): Value {
  const given = field.value;
  switch (field.type) {
    case "checkbox":
      return given === true;
    case "choice":
    case "multiChoice":
      return Array.isArray(given) ? given : typeof given === "string" ? [given] : [];
    default:
      return given === undefined || typeof given === "boolean" || Array.isArray(given) ? "" : String(given);
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;
const TRUE = new Set(["true", "yes", "y", "1", "on", "checked"]);

const asStrings = (raw: unknown): string[] =>
  (Array.isArray(raw) ? raw : typeof raw === "string" && raw !== "" ? raw.split(",") : []).filter((item): item is string => typeof item === "string").map((item) => item.trim());

/** One submitted value, typed by its field, or why it is not acceptable. */
function checkValue(field: UiFormField, raw: unknown): { value: Value } | { problem: string } {
  const empty = raw === undefined || raw === null || raw === "" || (Array.isArray(raw) && raw.length === 0);
  if (field.type === "checkbox") {
    const checked = raw === true || (typeof raw === "string" && TRUE.has(raw.trim().toLowerCase()));
    return field.required && !checked ? { problem: "must be checked" } : { value: checked };
  }
  if (empty) return field.required ? { problem: "is required" } : { value: field.type === "multiChoice" ? [] : null };
  if (field.type === "choice" || field.type === "multiChoice") {
    const chosen = asStrings(raw);
    const allowed = new Set((field.options ?? []).map((option) => option.value));
    const unknown = chosen.filter((value) => !allowed.has(value));
    if (unknown.length > 0) return { problem: `${unknown.join(", ").slice(0, 200)} is not one of the options` };
    if (field.type === "choice" && chosen.length !== 1) return { problem: "choose exactly one option" };
    return { value: field.type === "choice" ? chosen[0]! : chosen };
  }
  const textValue = (typeof raw === "number" ? String(raw) : typeof raw === "string" ? raw : "").trim();
  if (textValue === "") return field.required ? { problem: "is required" } : { value: null };
  if (textValue.length > 2000) return { problem: "is too long (at most 2000 characters)" };
  if (field.type === "number") {
    const number = Number(textValue.replace(/[_,\s]/g, ""));
    return Number.isFinite(number) ? { value: number } : { problem: "must be a number" };
  }
  if (field.type === "email" && !EMAIL.test(textValue)) return { problem: "must be an email address" };
  if (field.type === "date" && !(DATE.test(textValue) && !Number.isNaN(Date.parse(textValue)))) return { problem: "must be a date (YYYY-MM-DD)" };
  return { value: textValue };
}

/**
 * The submitted values checked against the form's fields: a browser's checks only help the user, the client
 * may send anything. Only declared fields are kept.
 */
export function checkFormValues(submitted: Record<string, unknown>, fields: readonly UiFormField[]): { values: Record<string, Value>; invalid: Record<string, string> } {
  const values: Record<string, Value> = {};
  const invalid: Record<string, string> = {};
  for (const field of fields) {
    const checked = checkValue(field, submitted[field.name]);
    if ("problem" in checked) invalid[field.name] = `${field.label} ${checked.problem}`;
    else values[field.name] = checked.value;
  }
  return { values, invalid };
}

/** A text client's answer: one `name: value` (or `label: value`) line per field. Undefined if no line names a field. */
export function parseTextForm(text: string, fields: readonly UiFormField[]): Record<string, unknown> | undefined {
  const submitted: Record<string, unknown> = {};
  for (const line of text.split("\n")) {
    const match = /^\s*[-*]?\s*([^:]{1,100}):\s*(.*)$/.exec(line);
    if (!match) continue;
    const key = match[1]!.trim().toLowerCase();
    const field = fields.find((candidate) => candidate.name.toLowerCase() === key || candidate.label.toLowerCase() === key);
    if (field) submitted[field.name] = match[2]!.trim();
  }
  return Object.keys(submitted).length > 0 ? submitted : undefined;
}

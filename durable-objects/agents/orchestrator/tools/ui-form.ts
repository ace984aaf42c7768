import type { A2uiComponent } from "../../../../schema/a2ui/messages";
import { UiFormArgsSchema, type UiFormArgs, type UiFormField } from "../../../../schema/a2ui/ui-tools";
import { result, type Tool } from "./tool";
import { actionInText, answerOf, unmatched } from "./ui-answer";
import { ANSWER_LINE, NOT_ANSWERED, button, card, column, emailCheck, requiredCheck, row, text } from "./ui-components";
import { checkFormValues, initialValue, parseTextForm } from "./ui-form-values";
import { ask, markAnswered, surfaceIdOf, type Shown, type SurfacePlan } from "./ui-surface";

interface FormState {
  surfaceId: string;
  shown: Shown;
  fields: UiFormField[];
  submitLabel: string;
  cancelLabel: string;
}

const SUBMIT = "submit";
const CANCEL = "cancel";
const pathOf = (field: UiFormField) => `/values/${field.name}`;

/** One input component per field, bound two-way to `/values/<name>`. */
function fieldComponent(field: UiFormField): A2uiComponent {
  const id = `f-${field.name}`;
  const value = { path: pathOf(field) };
  const label = field.required ? `${field.label} *` : field.label;
  switch (field.type) {
    case "checkbox":
      return { id, component: "CheckBox", label, value };
    case "date":
      return { id, component: "DateTimeInput", label, value, enableDate: true };
    case "choice":
    case "multiChoice":
      return {
        id,
        component: "ChoicePicker",
        label,
        value,
        options: field.options ?? [],
        variant: field.type === "choice" ? "mutuallyExclusive" : "multipleSelection",
      };
    default: {
      const checks = [...(field.required ? [requiredCheck(pathOf(field), field.label)] : []), ...(field.type === "email" ? [emailCheck(pathOf(field), field.label)] : [])];
      const variant = field.type === "longText" ? "longText" : field.type === "number" ? "number" : "shortText";
      return { id, component: "TextField", label, value, variant, ...(checks.length ? { checks } : {}) };
    }
  }
}

function formPlan(args: UiFormArgs, surfaceId: string): SurfacePlan {
  const submitContext = Object.fromEntries(args.fields.map((field) => [field.name, { path: pathOf(field) }]));
  // Submit stays off until the required text fields hold something (the server checks again on resume).
  const submitChecks = [NOT_ANSWERED, ...args.fields.filter((field) => field.required).map((field) => requiredCheck(pathOf(field), field.label))];
  const describe = (field: UiFormField) =>
    `- ${field.name}: ${field.label}${field.required ? " (required)" : ""}, ${field.type}${field.options ? ` [${field.options.map((o) => o.value).join(", ")}]` : ""}`;
  return {
    surfaceId,
    components: [
      card("root", "body"),
      column("body", ["title", ...(args.description ? ["description"] : []), ...args.fields.map((field) => `f-${field.name}`), "buttons", "answer"]),
      text("title", args.title, "h4"),
      ...(args.description ? [text("description", args.description)] : []),
      ...args.fields.map(fieldComponent),
      row("buttons", ["submit", "cancel"]),
      ...button("submit", { name: SUBMIT, label: args.submitLabel, style: "primary" }, submitContext, submitChecks),
      ...button("cancel", { name: CANCEL, label: args.cancelLabel }, {}),
      ANSWER_LINE,
    ],
    data: { values: Object.fromEntries(args.fields.map((field) => [field.name, initialValue(field)])), answered: false, answer: "" },
    text: [
      args.title,
      ...(args.description ? ["", args.description] : []),
      "",
      ...args.fields.map(describe),
      "",
      `Reply with one line per field as "name: value", or "${args.cancelLabel}".`,
    ].join("\n"),
  };
}

/** A form; the task waits for Submit or Cancel, and the submitted values are checked here, not only in the browser. */
export const uiForm: Tool<UiFormArgs> = {
  name: "ui_form",
  description:
    "Ask the user to fill in a form (e.g. an offer: salary, start date, contract type). Fields: text, longText, number, email, date, checkbox, choice, multiChoice (choice types need options). The task waits; the result is { action: \"submit\", values } with values checked against the fields (problems are listed under `invalid`), or { action: \"cancel\" }.",
  input: UiFormArgsSchema,
  sideEffects: false,
  async execute(args, ctx) {
    return ask(ctx, formPlan(args, surfaceIdOf(ctx, "form")), { fields: args.fields, submitLabel: args.submitLabel, cancelLabel: args.cancelLabel });
  },
  async resume(raw, answer, ctx) {
    const state = raw as FormState;
    const reply = answerOf(answer, state.surfaceId);
    const cancel = reply.action ? reply.action.name === CANCEL : actionInText(reply.text, [{ name: CANCEL, label: state.cancelLabel }]) !== undefined;
    if (cancel) {
      markAnswered(ctx, state, state.cancelLabel);
      return result({ surfaceId: state.surfaceId, action: CANCEL, via: reply.action ? "a2ui" : "text" });
    }
    const submitted = reply.action?.name === SUBMIT ? reply.action.context : reply.action ? undefined : parseTextForm(reply.text, state.fields);
    if (!submitted) return result({ ...unmatched(reply, state.surfaceId), ...(reply.action ? { invalidAction: reply.action } : {}) });
    const { values, invalid } = checkFormValues(submitted, state.fields);
    const problems = Object.keys(invalid).length > 0;
    // Answered either way: with problems the model asks again (a new form), so this one must not send a second answer.
    markAnswered(ctx, state, problems ? `${state.submitLabel}: some values need another look` : state.submitLabel);
    return result({ surfaceId: state.surfaceId, action: SUBMIT, values, ...(problems ? { invalid } : {}), via: reply.action ? "a2ui" : "text" });
  },
};

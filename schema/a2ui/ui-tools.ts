import { z } from "zod";

/**
 * Arguments of the UI tools the model calls (durable-objects/agents/orchestrator/tools/ui-*.ts). The model
 * states what to show; the tools own the A2UI that renders it. Limits keep a surface readable and a tool call
 * small; `.describe` texts are what the model reads in each tool's JSON Schema.
 */

/** A name the model gives an action or a field: it comes back in the tool result, and is part of JSON pointers. */
const Name = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, "letters, digits, _ and - only, starting with a letter (at most 64)");
const Label = z.string().trim().min(1).max(80);
const Cell = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]);

export const UiActionSchema = z.object({
  name: Name.describe("What the action is called when the user's choice comes back to you, e.g. screen_candidate."),
  label: Label.describe("The button's text, e.g. Screen."),
  style: z.enum(["primary", "default", "borderless"]).optional().describe("primary for the main choice."),
});
export type UiAction = z.infer<typeof UiActionSchema>;

const uniqueBy = <T>(items: readonly T[], key: (item: T) => string) => new Set(items.map(key)).size === items.length;

export const UiTableArgsSchema = z
  .object({
    title: z.string().trim().max(200).optional().describe("A heading above the table."),
    columns: z
      .array(z.object({ key: Name.describe("The key of this column's value in each row."), label: Label.describe("The column heading.") }))
      .min(1)
      .max(8),
    rows: z.array(z.record(z.string(), Cell)).max(100).describe("One object per row, keyed by column key; at most 100 rows."),
    rowKey: Name.optional().describe("The column whose value identifies a row and comes back with a row action (default: the first column)."),
    rowActions: z
      .array(UiActionSchema)
      .max(4)
      .optional()
      .describe("Buttons on every row. With any, the task waits for the user to click one, and the result names the action and the row."),
  })
  .refine((args) => uniqueBy(args.columns, (column) => column.key), { message: "column keys must be unique", path: ["columns"] })
  .refine((args) => args.rowKey === undefined || args.columns.some((column) => column.key === args.rowKey), {
    message: "rowKey must be one of the column keys",
    path: ["rowKey"],
  })
  .refine((args) => uniqueBy(args.rowActions ?? [], (action) => action.name), { message: "action names must be unique", path: ["rowActions"] });
export type UiTableArgs = z.infer<typeof UiTableArgsSchema>;

export const UiButtonsArgsSchema = z
  .object({
    prompt: z.string().trim().min(1).max(2000).describe("What the user is choosing, shown above the buttons (simple Markdown)."),
    actions: z.array(UiActionSchema).min(1).max(6),
    context: z.record(z.string(), Cell).optional().describe("Values sent back with whichever button is clicked, e.g. { candidateId: \"c-42\" }."),
  })
  .refine((args) => uniqueBy(args.actions, (action) => action.name), { message: "action names must be unique", path: ["actions"] });
export type UiButtonsArgs = z.infer<typeof UiButtonsArgsSchema>;

const CHOICE_TYPES: ReadonlySet<string> = new Set(["choice", "multiChoice"]);
const Option = z.object({ value: z.string().min(1).max(100), label: Label });

export const UiFormFieldSchema = z.object({
  name: Name.describe("The key of this field's value in the submitted result."),
  label: Label,
  type: z.enum(["text", "longText", "number", "email", "date", "checkbox", "choice", "multiChoice"]).default("text"),
  required: z.boolean().default(false),
  options: z.array(Option).min(1).max(20).optional().describe("The choices, for type choice or multiChoice."),
  value: z.union([z.string().max(2000), z.number(), z.boolean(), z.array(z.string().max(100)).max(20)]).optional().describe("The initial value."),
});
export type UiFormField = z.infer<typeof UiFormFieldSchema>;

export const UiFormArgsSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    description: z.string().trim().max(2000).optional().describe("Shown under the title (simple Markdown)."),
    fields: z.array(UiFormFieldSchema).min(1).max(12),
    submitLabel: Label.default("Submit"),
    cancelLabel: Label.default("Cancel"),
  })
  .refine((args) => uniqueBy(args.fields, (field) => field.name), { message: "field names must be unique", path: ["fields"] })
  .refine((args) => args.fields.every((field) => !CHOICE_TYPES.has(field.type) || field.options !== undefined), {
    message: "choice and multiChoice fields need options",
    path: ["fields"],
  });
export type UiFormArgs = z.infer<typeof UiFormArgsSchema>;

export const UiConfirmArgsSchema = z.object({
  title: z.string().trim().min(1).max(200),
  message: z.string().trim().min(1).max(2000).describe("What will happen if the user confirms (simple Markdown)."),
  confirmLabel: Label.default("Confirm"),
  cancelLabel: Label.default("Cancel"),
});
export type UiConfirmArgs = z.infer<typeof UiConfirmArgsSchema>;

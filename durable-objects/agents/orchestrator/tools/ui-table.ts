import type { A2uiComponent } from "../../../../schema/a2ui/messages";
import { UiTableArgsSchema, type UiAction, type UiTableArgs } from "../../../../schema/a2ui/ui-tools";
import { result, type Tool } from "./tool";
import { actionInText, answerOf, unmatched } from "./ui-answer";
import { ANSWER_LINE, button, card, column, row, text } from "./ui-components";
import { ask, markAnswered, show, shownResult, surfaceIdOf, type Shown, type SurfacePlan } from "./ui-surface";

interface TableState {
  surfaceId: string;
  shown: Shown;
  rowKey: string;
  rowKeys: string[];
  actions: Pick<UiAction, "name" | "label">[];
}

const cellText = (value: unknown) => (value === null || value === undefined ? "" : String(value));
/** Markdown table cells: a pipe or a newline would break the row. */
const mdCell = (value: unknown) => cellText(value).replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

/**
 * The basic catalog has no Table (REFERENCE §6): a header Row of Text cells over a List whose template is a
 * Row with the same weights, one per element of `/rows`; row buttons send the row's key with the action.
 */
function tablePlan(args: UiTableArgs, surfaceId: string, rowKey: string): SurfacePlan {
  const actions = args.rowActions ?? [];
  const weight = 2;
  const components: A2uiComponent[] = [
    card("root", "body"),
    column("body", [...(args.title ? ["title"] : []), "head", "rows", ...(actions.length ? ["answer"] : [])]),
    ...(args.title ? [text("title", args.title, "h4")] : []),
    // The header row sits in a List of its own so that it gets the same item padding as the rows below.
    { id: "head", component: "List", children: ["header"] },
    row("header", [...args.columns.map((c) => `h-${c.key}`), ...(actions.length ? ["h-actions"] : [])]),
    ...args.columns.map((c) => text(`h-${c.key}`, c.label, "h5", weight)),
    ...(actions.length ? [text("h-actions", "", "body", actions.length)] : []),
    { id: "rows", component: "List", children: { componentId: "row", path: "/rows" } },
    row("row", [...args.columns.map((c) => `c-${c.key}`), ...(actions.length ? ["actions"] : [])], { align: "center" }),
    // Relative paths: inside the List's template they resolve against the current element of /rows.
    ...args.columns.map((c) => text(`c-${c.key}`, { path: c.key }, "body", weight)),
    ...(actions.length ? [row("actions", actions.map((a) => `a-${a.name}`), { weight: actions.length })] : []),
    ...actions.flatMap((action) => button(`a-${action.name}`, action, { [rowKey]: { path: rowKey } })),
    ...(actions.length ? [ANSWER_LINE] : []),
  ];
  const rows = args.rows.map((values) => Object.fromEntries(args.columns.map((c) => [c.key, cellText(values[c.key])])));
  const lines = [
    ...(args.title ? [`**${args.title}**`, ""] : []),
    `| ${args.columns.map((c) => mdCell(c.label)).join(" | ")} |`,
    `|${args.columns.map(() => " --- |").join("")}`,
    ...args.rows.map((values) => `| ${args.columns.map((c) => mdCell(values[c.key])).join(" | ")} |`),
  ];
  if (args.rows.length === 0) lines.push("", "(no rows)");
  if (actions.length) {
    const example = args.rows[0] ? ` ${cellText(args.rows[0][rowKey])}` : "";
    lines.push("", `Reply with an action and a ${rowKey}, e.g. "${actions[0]!.label}${example}". Actions: ${actions.map((a) => a.label).join(", ")}.`);
  }
  return { surfaceId, components, data: { rows, answered: false, answer: "" }, text: lines.join("\n") };
}

/** Shows rows and columns; with `rowActions`, waits for a click on one row's button. */
export const uiTable: Tool<UiTableArgs> = {
  name: "ui_table",
  description:
    "Show the user a table (rows and columns, e.g. candidates with their stage). Optionally give every row buttons (rowActions, e.g. Screen and Schedule): then the task waits until the user clicks one, and this tool's result names the action and the row's key. Without rowActions the table is shown and you continue at once.",
  input: UiTableArgsSchema,
  sideEffects: false,
  async execute(args, ctx) {
    const rowKey = args.rowKey ?? args.columns[0]!.key;
    const plan = tablePlan(args, surfaceIdOf(ctx, "table"), rowKey);
    if (!args.rowActions?.length) return shownResult(plan, show(ctx, plan), { rows: args.rows.length });
    const state: Omit<TableState, "surfaceId" | "shown"> = {
      rowKey,
      rowKeys: args.rows.map((values) => cellText(values[rowKey])),
      actions: args.rowActions.map(({ name, label }) => ({ name, label })),
    };
    return ask(ctx, plan, state);
  },
  async resume(raw, answer, ctx) {
    const state = raw as TableState;
    const reply = answerOf(answer, state.surfaceId);
    if (reply.action) {
      const chosen = state.actions.find((a) => a.name === reply.action!.name);
      const key = cellText(reply.action.context[state.rowKey]);
      // Check the client's claim: the action must be one of this table's, on one of its rows.
      if (chosen && state.rowKeys.includes(key)) {
        markAnswered(ctx, state, `${chosen.label}: ${key}`);
        return result({ surfaceId: state.surfaceId, action: chosen.name, label: chosen.label, row: { [state.rowKey]: key }, via: "a2ui" });
      }
      return result({ ...unmatched(reply, state.surfaceId), invalidAction: reply.action });
    }
    const named = reply.text ? actionInText(reply.text, state.actions) : undefined;
    const key = named && state.rowKeys.find((candidate) => candidate.toLowerCase() === named.rest);
    if (named && key !== undefined) {
      markAnswered(ctx, state, `${named.action.label}: ${key}`);
      return result({ surfaceId: state.surfaceId, action: named.action.name, label: named.action.label, row: { [state.rowKey]: key }, via: "text" });
    }
    return result(unmatched(reply, state.surfaceId));
  },
};

import type { Tool } from "./tool";
import { uiButtons } from "./ui-buttons";
import { uiConfirm } from "./ui-confirm";
import { uiForm } from "./ui-form";
import { uiTable } from "./ui-table";

export { a2uiClientOf } from "./ui-client";
export { A2UI_CARD } from "../../../../schema/a2ui/extension";

/**
 * The UI tools: the model says what to show (a table, buttons, a form, a confirmation), the tool renders it as
 * A2UI v0.9.1 for a client that declared A2UI and as text for any other, and — except a table without row
 * actions — waits for the user, whose action (or reply) becomes the tool's result.
 */
export const uiTools: Tool[] = [uiTable, uiButtons, uiForm, uiConfirm];

import { UiButtonsArgsSchema, type UiAction, type UiButtonsArgs } from "../../../../schema/a2ui/ui-tools";
import { result, type Tool } from "./tool";
import { actionInText, answerOf, unmatched } from "./ui-answer";
import { ANSWER_LINE, button, card, column, row, text } from "./ui-components";
import { ask, markAnswered, surfaceIdOf, type Shown, type SurfacePlan } from "./ui-surface";

interface ButtonsState {
  surfaceId: string;
  shown: Shown;
  actions: Pick<UiAction, "name" | "label">[];
  context: Record<string, unknown>;
}

function buttonsPlan(args: UiButtonsArgs, surfaceId: string): SurfacePlan {
  const context = args.context ?? {};
  return {
    surfaceId,
    components: [
      card("root", "body"),
      column("body", ["prompt", "buttons", "answer"]),
      text("prompt", args.prompt),
      row("buttons", args.actions.map((action) => `b-${action.name}`)),
      ...args.actions.flatMap((action) => button(`b-${action.name}`, action, context)),
      ANSWER_LINE,
    ],
    data: { answered: false, answer: "" },
    text: `${args.prompt}\n\nReply with one of: ${args.actions.map((action) => action.label).join(", ")}.`,
  };
}

/** A choice between a few actions; the task waits for the click (or, from a text client, the reply naming one). */
export const uiButtons: Tool<UiButtonsArgs> = {
  name: "ui_buttons",
  description:
    "Ask the user to choose one of a few actions, shown as buttons under a short prompt (e.g. Screen / Schedule / Reject for one candidate). The task waits for the click; the result names the action chosen and carries `context` back unchanged.",
  input: UiButtonsArgsSchema,
  sideEffects: false,
  async execute(args, ctx) {
    const plan = buttonsPlan(args, surfaceIdOf(ctx, "buttons"));
    return ask(ctx, plan, { actions: args.actions.map(({ name, label }) => ({ name, label })), context: args.context ?? {} });
  },
  async resume(raw, answer, ctx) {
    const state = raw as ButtonsState;
    const reply = answerOf(answer, state.surfaceId);
    // The action's name must be one of ours; its context is the one we sent, not whatever the client returned.
    const chosen = reply.action ? state.actions.find((action) => action.name === reply.action!.name) : actionInText(reply.text, state.actions)?.action;
    if (!chosen) return result({ ...unmatched(reply, state.surfaceId), ...(reply.action ? { invalidAction: reply.action } : {}) });
    markAnswered(ctx, state, chosen.label);
    return result({ surfaceId: state.surfaceId, action: chosen.name, label: chosen.label, context: state.context, via: reply.action ? "a2ui" : "text" });
  },
};

import { UiConfirmArgsSchema, type UiConfirmArgs } from "../../../../schema/a2ui/ui-tools";
import { result, type Tool } from "./tool";
import { actionInText, answerOf, unmatched } from "./ui-answer";
import { ANSWER_LINE, button, card, column, row, text } from "./ui-components";
import { ask, markAnswered, surfaceIdOf, type Shown, type SurfacePlan } from "./ui-surface";

interface ConfirmState {
  surfaceId: string;
  shown: Shown;
  confirmLabel: string;
  cancelLabel: string;
}

const CONFIRM = "confirm";
const CANCEL = "cancel";
/** Plain replies that mean the same as the buttons. */
const TEXT_ANSWERS = [
  { name: CONFIRM, label: "yes" },
  { name: CANCEL, label: "no" },
];

function confirmPlan(args: UiConfirmArgs, surfaceId: string): SurfacePlan {
  return {
    surfaceId,
    components: [
      card("root", "body"),
      column("body", ["title", "message", "buttons", "answer"]),
      text("title", args.title, "h4"),
      text("message", args.message),
      row("buttons", ["confirm", "cancel"]),
      ...button("confirm", { name: CONFIRM, label: args.confirmLabel, style: "primary" }, {}),
      ...button("cancel", { name: CANCEL, label: args.cancelLabel }, {}),
      ANSWER_LINE,
    ],
    data: { answered: false, answer: "" },
    text: `${args.title}\n\n${args.message}\n\nReply "${args.confirmLabel}" or "${args.cancelLabel}".`,
  };
}

/** A yes/no step before something that cannot be undone (rejecting a candidate, sending an offer). */
export const uiConfirm: Tool<UiConfirmArgs> = {
  name: "ui_confirm",
  description:
    "Ask the user to confirm before you do something that matters or cannot be undone (e.g. rejecting a candidate). The task waits; the result is { confirmed: true } or { confirmed: false }. Only act when confirmed is true.",
  input: UiConfirmArgsSchema,
  sideEffects: false,
  async execute(args, ctx) {
    return ask(ctx, confirmPlan(args, surfaceIdOf(ctx, "confirm")), { confirmLabel: args.confirmLabel, cancelLabel: args.cancelLabel });
  },
  async resume(raw, answer, ctx) {
    const state = raw as ConfirmState;
    const reply = answerOf(answer, state.surfaceId);
    const labelled = [{ name: CONFIRM, label: state.confirmLabel }, { name: CANCEL, label: state.cancelLabel }, ...TEXT_ANSWERS];
    const name = reply.action ? reply.action.name : actionInText(reply.text, labelled)?.action.name;
    if (name !== CONFIRM && name !== CANCEL) return result({ ...unmatched(reply, state.surfaceId), ...(reply.action ? { invalidAction: reply.action } : {}) });
    const confirmed = name === CONFIRM;
    markAnswered(ctx, state, confirmed ? state.confirmLabel : state.cancelLabel);
    return result({ surfaceId: state.surfaceId, confirmed, via: reply.action ? "a2ui" : "text" });
  },
};

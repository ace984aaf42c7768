import type { A2uiComponent } from "../../../../schema/a2ui/messages";
import type { UiAction } from "../../../../schema/a2ui/ui-tools";

/** Basic-catalog components as the UI tools use them (flat v0.9 shape). */

type Dynamic = string | { path: string };

export const text = (id: string, value: Dynamic, variant?: "h3" | "h4" | "h5" | "caption" | "body", weight?: number): A2uiComponent => ({
  id,
  component: "Text",
  text: value,
  ...(variant ? { variant } : {}),
  ...(weight !== undefined ? { weight } : {}),
});

export const column = (id: string, children: string[]): A2uiComponent => ({ id, component: "Column", children });
export const row = (id: string, children: string[] | { componentId: string; path: string }, extra: Record<string, unknown> = {}): A2uiComponent => ({
  id,
  component: "Row",
  children,
  ...extra,
});
export const card = (id: string, child: string): A2uiComponent => ({ id, component: "Card", child });

/** A check that holds until the surface is answered: every button carries it, so one answer is all it sends. */
export const NOT_ANSWERED = {
  condition: { call: "not", args: { value: { path: "/answered" } }, returnType: "boolean" },
  message: "Already answered",
};

/** `required(value)` on a field's binding, as a check (REFERENCE §6: `{condition, message}`, never flat). */
export const requiredCheck = (path: string, label: string) => ({
  condition: { call: "required", args: { value: { path } }, returnType: "boolean" },
  message: `${label} is required`,
});
export const emailCheck = (path: string, label: string) => ({
  condition: { call: "email", args: { value: { path } }, returnType: "boolean" },
  message: `${label} must be an email address`,
});

/** A button and its label: two components, since a Button's content is a child component. */
export function button(id: string, action: UiAction, context: Record<string, unknown>, checks: unknown[] = [NOT_ANSWERED]): A2uiComponent[] {
  return [
    {
      id,
      component: "Button",
      child: `${id}-label`,
      variant: action.style ?? "default",
      action: { event: { name: action.name, context } },
      checks,
    },
    text(`${id}-label`, action.label),
  ];
}

/** The caption a surface shows once answered (bound to `/answer`, empty until then). */
export const ANSWER_LINE = text("answer", { path: "/answer" }, "caption");

import type { Part } from "../../../../schema/a2a";
import { A2UI_LEGACY_MEDIA_TYPE, A2UI_MEDIA_TYPE, BASIC_CATALOG_ID, type A2uiClient } from "../../../../schema/a2ui/extension";
import type { A2uiComponent, A2uiServerMessage } from "../../../../schema/a2ui/messages";
import { rendersBasicCatalog } from "./ui-client";
import { askUser, result, type ToolContext, type ToolOutcome } from "./tool";
import { checkSurface, validateServerMessage } from "./ui-validate";

/** One surface as a UI tool plans it: components and data for an A2UI client, text for any other. */
export interface SurfacePlan {
  surfaceId: string;
  components: A2uiComponent[];
  /** The whole data model (path "/"). */
  data: Record<string, unknown>;
  text: string;
}

/** How a surface reached the user; kept in a waiting tool's state so its `resume` knows what to update. */
export type Shown = { via: "a2ui"; version: A2uiClient["version"] } | { via: "text" };

/** Messages that fail the vendored schemas: a bug in a UI tool, or model text the schemas refuse. Never sent. */
export class A2uiInvalidError extends Error {
  override name = "A2uiInvalidError";
  constructor(readonly problems: string[]) {
    super(`A2UI messages failed validation: ${problems.join("; ")}`);
  }
}

/**
 * A surface id per tool call: the call's idempotency key (`taskId/step/callId`) is unique in the context and the
 * same when a restarted run repeats the call, so a repeat updates the surface instead of creating a second one.
 */
export const surfaceIdOf = (ctx: Pick<ToolContext, "idempotencyKey">, kind: string) => `${kind}-${ctx.idempotencyKey}`.replace(/[^A-Za-z0-9_.:-]/g, "_").slice(0, 200);

/** createSurface, updateComponents, then the data model: the order upstream's renderers expect. */
export function surfaceMessages(plan: SurfacePlan, version: A2uiClient["version"]): A2uiServerMessage[] {
  const { surfaceId } = plan;
  return [
    { version, createSurface: { surfaceId, catalogId: BASIC_CATALOG_ID } },
    { version, updateComponents: { surfaceId, components: plan.components } },
    { version, updateDataModel: { surfaceId, path: "/", value: plan.data } },
  ];
}

/**
 * One A2A data part carrying `messages`, each validated against the vendored schemas first (and a new surface's
 * component graph checked), so nothing invalid leaves. v0.9 clients get v0.9's media type.
 */
export function a2uiPart(messages: A2uiServerMessage[], version: A2uiClient["version"] = "v0.9.1"): Part {
  const problems = messages.flatMap((message, i) => {
    const validation = validateServerMessage(message);
    return validation.valid ? [] : validation.errors.map((error) => `message ${i}: ${error}`);
  });
  problems.push(...checkSurface(messages));
  if (problems.length > 0) throw new A2uiInvalidError(problems);
  const mediaType = version === "v0.9" ? A2UI_LEGACY_MEDIA_TYPE : A2UI_MEDIA_TYPE;
  return { data: messages as never, mediaType, metadata: { mimeType: mediaType } };
}

/** Shows a surface while the tool goes on (a table without actions): A2UI if the client renders it, else text. */
export function show(ctx: ToolContext, plan: SurfacePlan): Shown {
  if (rendersBasicCatalog(ctx.a2ui)) {
    ctx.emit.status([a2uiPart(surfaceMessages(plan, ctx.a2ui.version), ctx.a2ui.version)]);
    return { via: "a2ui", version: ctx.a2ui.version };
  }
  ctx.emit.status(plan.text);
  return { via: "text" };
}

/** Shows a surface as the question the task waits on (INPUT_REQUIRED); `state` comes back to `resume`. */
export function ask<S extends object>(ctx: ToolContext, plan: SurfacePlan, state: S): ToolOutcome {
  if (rendersBasicCatalog(ctx.a2ui)) {
    const shown: Shown = { via: "a2ui", version: ctx.a2ui.version };
    return askUser([a2uiPart(surfaceMessages(plan, ctx.a2ui.version), ctx.a2ui.version)], { ...state, surfaceId: plan.surfaceId, shown });
  }
  return askUser(plan.text, { ...state, surfaceId: plan.surfaceId, shown: { via: "text" } });
}

/**
 * After the user answered: the surface shows what was chosen and its buttons turn off (they check `/answered`),
 * so a second click cannot send a second answer. Text clients need nothing.
 */
export function markAnswered(ctx: ToolContext, state: { surfaceId: string; shown: Shown }, summary: string): void {
  if (state.shown.via !== "a2ui") return;
  const { version } = state.shown;
  ctx.emit.status([a2uiPart([{ version, updateDataModel: { surfaceId: state.surfaceId, path: "/answered", value: true } }, { version, updateDataModel: { surfaceId: state.surfaceId, path: "/answer", value: summary } }], version)]);
}

/** The tool result of a surface shown without waiting. */
export const shownResult = (plan: SurfacePlan, shown: Shown, extra: Record<string, unknown> = {}) =>
  result({ surfaceId: plan.surfaceId, shownAs: shown.via === "a2ui" ? "A2UI surface" : "text", ...extra });

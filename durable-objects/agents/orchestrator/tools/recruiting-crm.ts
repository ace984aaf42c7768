import type { Part } from "../../../../schema/a2a";
import type { ActionResult, RecruitingActions } from "../../recruiting/actions";
import { RECRUITING_ACTIONS, type ActionSpec } from "../../recruiting/action-table";
import { CRM_RESULT_ARTIFACT, CrmErrorSchema, CrmResultSchema, crmRequestPart, RECRUITING_CRM_ID } from "../../recruiting/crm-wire";
import { RecruitingError, type RecruitingErrorCode } from "../../recruiting/errors";
import { syncRegistry } from "../../../../workers/registry/sync";
import { delegateChild, derivedId } from "./delegate-call";
import type { ChildView } from "./delegate-events";
import type { ToolContext } from "./tool";

/** The CRM could not be asked, or gave no usable answer: the message is written for the model, never a secret. */
export class RecruitingUnavailable extends Error {
  override name = "RecruitingUnavailable";
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const REFUSAL_CODES = new Set<string>(["forbidden", "not_found", "stage", "conflict", "invalid"] satisfies RecruitingErrorCode[]);

const dataOf = (parts: Part[]) =>
  parts.filter((part) => part.data !== undefined).map((part) => part.data);

/** The action's result from the child's `result` artifact, or its refusal as the RecruitingError it was. */
function answerOf(view: ChildView, spec: ActionSpec): ActionResult {
  const where = { agent: view.agentId, ...(view.taskId ? { taskId: view.taskId } : {}) };
  if (view.state === "TASK_STATE_COMPLETED") {
    const artifact = view.artifacts.get(CRM_RESULT_ARTIFACT);
    for (const data of artifact ? dataOf(artifact.parts) : []) {
      const parsed = CrmResultSchema.safeParse(data);
      if (parsed.success) return parsed.data.result;
    }
    throw new RecruitingUnavailable(`${view.agentId} completed ${spec.name} without a result`, where);
  }
  if (view.state === "TASK_STATE_FAILED") {
    for (const data of dataOf(view.message?.parts ?? [])) {
      const parsed = CrmErrorSchema.safeParse(data);
      if (!parsed.success) continue;
      const { code, message, details = {} } = parsed.data.error;
      if (REFUSAL_CODES.has(code)) throw new RecruitingError(code as RecruitingErrorCode, message, details);
      throw new RecruitingUnavailable(message, { ...details, ...where });
    }
  }
  const state = (view.state ?? "TASK_STATE_UNSPECIFIED").replace("TASK_STATE_", "").toLowerCase();
  throw new RecruitingUnavailable(`${view.agentId} ended ${spec.name} as ${state} without an answer`, where);
}

/**
 * The recruiting actions as an A2A client of the hosted recruiting CRM agent, through the one delegation path
 * (delegate-call.ts): the registry's entry and replica choice, the platform's delegation JWT naming the caller
 * (required: `onBehalf`), `traceparent`, the parent task in `referenceTaskIds`, the child's events in the
 * parent's stream. The `messageId` is derived from the tool call's idempotency key, and the child is recorded
 * under that key: a resumed run calling again follows the child it had started, and a re-sent message reaches
 * the same CRM task (its id is minted from the caller and the `messageId`), so a write is never made twice.
 * The `ActionContext`'s tenant and actor are not sent: the CRM takes them from the verified credentials.
 */
export function crmActions(ctx: ToolContext): RecruitingActions {
  const run = (spec: ActionSpec) => async (input: unknown, actionCtx: { idempotencyKey?: string }) => {
    const key = actionCtx.idempotencyKey ?? ctx.idempotencyKey;
    // The hosted agents enter the registry on its first use in an isolate (then every 10 minutes at most).
    await syncRegistry(ctx.env);
    const child = await delegateChild(ctx, {
      agentId: RECRUITING_CRM_ID,
      parts: [crmRequestPart({ action: spec.name, input: (input ?? {}) as Record<string, unknown> })],
      messageId: await derivedId(key),
      key,
      onBehalf: true,
    });
    if (!child.ok) {
      const { error, ...details } = child.outcome.kind === "result" ? (child.outcome.value as { error: string }) : { error: `${RECRUITING_CRM_ID} did not answer` };
      throw new RecruitingUnavailable(error, details);
    }
    return answerOf(child.view, spec);
  };
  return Object.fromEntries(RECRUITING_ACTIONS.map((spec) => [spec.method, run(spec)])) as unknown as RecruitingActions;
}

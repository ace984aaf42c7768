import { z } from "zod";
import type { Part } from "../../../schema/a2a";
import type { AgentExecutor, ExecutionRequest, TaskUpdater } from "../../executor";
import { defaultRole } from "../orchestrator";
import type { ActionContext } from "./actions";
import { actionNamed, RECRUITING_ACTION_NAMES } from "./action-table";
import { CRM_RESULT_ARTIFACT, CrmRequestSchema, type CrmError } from "./crm-wire";
import { RecruitingError } from "./errors";
import { recruitingActionsFor } from "./postgres-actions";

/**
 * The recruiting CRM agent: the recruiting actions over A2A, deterministic, no model. A message carries one data
 * part `{action, input}` (crm-wire.ts); the action runs for the A2A caller (tenant, owner, role from the
 * credentials: the platform's delegation JWT when the orchestrator calls), and the answer is a `result` artifact
 * with `{result}` and COMPLETED, or FAILED with a status message whose data part is `{error: {code, message}}`.
 *
 * A write's idempotency key is the task id: the platform mints it from (agent, tenant, owner, messageId), so a
 * caller that re-sends the same message (the delegation's messageId is derived from the tool call's key) meets
 * the same task and the same rows, never a second write.
 */
export const recruitingCrmAgent: AgentExecutor = {
  async execute(request, updater, { env }) {
    const parsed = parseRequest(request);
    if ("error" in parsed) return fail(updater, parsed.error);
    const { spec, input } = parsed;
    const actions = recruitingActionsFor(env);
    if (!actions) return fail(updater, { code: "unavailable", message: "The recruiting system is not configured on this deployment (no DATABASE_URL)" });
    const ctx: ActionContext = {
      tenant: request.caller.tenant,
      actor: { name: request.caller.owner, role: request.caller.role ?? defaultRole(env) },
      ...(spec.sideEffects ? { idempotencyKey: `a2a:${request.taskId}` } : {}),
    };
    let result: Record<string, unknown>;
    try {
      result = await actions[spec.method](input as never, ctx);
    } catch (error) {
      if (error instanceof RecruitingError) return fail(updater, { code: error.code, message: error.message, ...(Object.keys(error.details).length ? { details: error.details } : {}) });
      if (error instanceof z.ZodError) return fail(updater, invalidInput(spec.name, error));
      // Driver errors can carry statement text and parameters: the caller gets none of it.
      console.error(JSON.stringify({ at: "recruiting-crm", action: spec.name, error: error instanceof Error ? error.name : "unknown" }));
      return fail(updater, { code: "unavailable", message: "The recruiting system did not answer; try again shortly" });
    }
    updater.artifact({ artifactId: CRM_RESULT_ARTIFACT, name: CRM_RESULT_ARTIFACT, parts: [{ data: { result } as Part["data"], mediaType: "application/json" }] });
    updater.status("TASK_STATE_COMPLETED", `${spec.name}: done${result.replayed ? " (replayed)" : ""}`);
  },
  async cancel(_request, updater) {
    updater.status("TASK_STATE_CANCELED", "Canceled at the client's request.");
  },
};

type Parsed = { spec: NonNullable<ReturnType<typeof actionNamed>>; input: unknown } | { error: CrmError };

/** The message's one data part, its action known and its input valid for that action; otherwise why not. */
function parseRequest(request: ExecutionRequest): Parsed {
  const data = request.message.parts.filter((part) => part.data !== undefined);
  const usage = `Send one data part {"action": …, "input": {…}}; actions: ${RECRUITING_ACTION_NAMES.join(", ")}`;
  if (data.length !== 1) return { error: { code: "invalid", message: `${data.length === 0 ? "No data part" : "More than one data part"} in the message. ${usage}` } };
  const envelope = CrmRequestSchema.safeParse(data[0]!.data);
  if (!envelope.success) return { error: { code: "invalid", message: `The data part is not a request: ${z.prettifyError(envelope.error)}. ${usage}` } };
  const spec = actionNamed(envelope.data.action);
  if (!spec) return { error: { code: "invalid", message: `Unknown action ${JSON.stringify(envelope.data.action.slice(0, 64))}. ${usage}` } };
  const input = spec.input.safeParse(envelope.data.input);
  if (!input.success) return { error: invalidInput(spec.name, input.error) };
  // The action validates again (and applies its defaults): it gets what the caller sent, not a transformed copy.
  return { spec, input: envelope.data.input };
}

const invalidInput = (action: string, error: z.ZodError): CrmError => ({ code: "invalid", message: `Invalid input for ${action}: ${z.prettifyError(error)}` });

function fail(updater: TaskUpdater, error: CrmError): void {
  updater.status("TASK_STATE_FAILED", [{ text: error.message }, { data: { error } as Part["data"], mediaType: "application/json" }]);
}

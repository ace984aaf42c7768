import { z } from "zod";
import { database } from "../../../db";
import type { ActionContext, RecruitingActions } from "../../recruiting/actions";
import { RECRUITING_ACTIONS, type ActionSpec } from "../../recruiting/action-table";
import { RecruitingError } from "../../recruiting/errors";
import { candidatesForNamedJob } from "../../recruiting/offline-rules";
import { extendOfflineRules } from "../../models";
import { crmActions, RecruitingUnavailable } from "./recruiting-crm";
import { result, toolError, type Tool, type ToolContext } from "./tool";

/**
 * Where the tools find the recruiting system: by default the hosted recruiting CRM agent over A2A
 * (recruiting-crm.ts); a test or a fork may pass another implementation (postgresActions, in-process).
 */
export type ActionsProvider = (ctx: ToolContext) => RecruitingActions | undefined;

export const RECRUITING_TOOL_NAMES = RECRUITING_ACTIONS.map((s) => s.name);
export const RECRUITING_WRITE_TOOLS = RECRUITING_ACTIONS.filter((s) => s.sideEffects).map((s) => s.name);

// Without a model, the demo's first question ("show candidates for the backend engineer job") still works.
extendOfflineRules(candidatesForNamedJob);

// The CRM keeps its data in the deployment's Postgres, and the registry that finds it lives there too.
const defaultProvider: ActionsProvider = (ctx) => (database(ctx.env) ? crmActions(ctx) : undefined);

function actionContext(ctx: ToolContext): ActionContext {
  return { tenant: ctx.caller.tenant, actor: { name: ctx.caller.owner, role: ctx.caller.role }, idempotencyKey: ctx.idempotencyKey };
}

function toTool(spec: ActionSpec, provider: ActionsProvider): Tool {
  return {
    name: spec.name,
    description: spec.description,
    input: spec.input,
    sideEffects: spec.sideEffects,
    // Writes take the call's idempotency key: a repeat returns the first result instead of writing twice.
    ...(spec.sideEffects ? { idempotent: true } : {}),
    async execute(args, ctx) {
      const actions = provider(ctx);
      if (!actions) return toolError("The recruiting system is not configured on this deployment (no DATABASE_URL)");
      try {
        return result(await actions[spec.method](args, actionContext(ctx)));
      } catch (error) {
        if (error instanceof RecruitingError) return toolError(error.message, { code: error.code, ...error.details });
        if (error instanceof RecruitingUnavailable) return toolError(error.message, { code: "unavailable", ...error.details });
        if (error instanceof z.ZodError) return toolError(`Invalid arguments: ${z.prettifyError(error)}`, { code: "invalid" });
        // Driver errors can carry statement text and parameters: the model gets none of it.
        console.error(JSON.stringify({ at: "recruiting-tool", tool: spec.name, error: error instanceof Error ? error.name : "unknown" }));
        return toolError("The recruiting system did not answer; try again shortly", { code: "unavailable" });
      }
    },
  };
}

/** The recruiting domain's tools, one per action, all following the Tool contract. */
export function recruitingTools(provider: ActionsProvider = defaultProvider): Tool[] {
  return RECRUITING_ACTIONS.map((spec) => toTool(spec, provider));
}

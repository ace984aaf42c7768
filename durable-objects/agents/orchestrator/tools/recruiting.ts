import { z } from "zod";
import type { ActionContext, RecruitingActions } from "../../recruiting/actions";
import { RecruitingError } from "../../recruiting/errors";
import * as inputs from "../../recruiting/inputs";
import { recruitingActionsFor } from "../../recruiting/postgres-actions";
import { result, toolError, type Tool, type ToolContext } from "./tool";

/** Where the tools find the recruiting system; the agent-network issue swaps in a client of the CRM agent. */
export type ActionsProvider = (ctx: ToolContext) => RecruitingActions | undefined;

interface Spec {
  name: string;
  description: string;
  input: z.ZodType;
  method: keyof RecruitingActions;
  sideEffects: boolean;
}

const SPECS: Spec[] = [
  { name: "search_candidates", method: "searchCandidates", sideEffects: false, input: inputs.SearchCandidatesInput,
    description: "Rank the candidates for a job by its must-have skills, experience and location; each result shows matched and missing must-haves and the candidate's stage for that job." },
  { name: "get_candidate", method: "getCandidate", sideEffects: false, input: inputs.GetCandidateInput,
    description: "A candidate's profile and every application with its stage, allowed moves, salary band, screenings, interviews and offers." },
  { name: "list_jobs", method: "listJobs", sideEffects: false, input: inputs.ListJobsInput,
    description: "The jobs (open by default) with must-have skills, salary band, hiring manager and open application count." },
  { name: "pipeline_stats", method: "pipelineStats", sideEffects: false, input: inputs.PipelineStatsInput,
    description: "Pipeline numbers per job: open applications per stage, closes per reason, reach of each stage, upcoming interviews, open offers." },
  { name: "source_candidate", method: "sourceCandidate", sideEffects: true, input: inputs.SourceCandidateInput,
    description: "Add a candidate to an open job's pipeline: opens an application in the sourcing stage." },
  { name: "screen_candidate", method: "screenCandidate", sideEffects: true, input: inputs.ScreenCandidateInput,
    description: "Record a screening verdict for an application in screening: pass moves it to scheduling (needs every must-have skill on the profile), fail closes it (rejected_screen)." },
  { name: "schedule_interview", method: "scheduleInterview", sideEffects: true, input: inputs.ScheduleInterviewInput,
    description: "Book one interview for an application in scheduling; refused in the past or when the interviewer or candidate already has an interview then." },
  { name: "make_offer", method: "makeOffer", sideEffects: true, input: inputs.MakeOfferInput,
    description: "Make an offer (base salary within the job's band, the job's currency, a future start date) after at least one interview; moves the application to offer." },
  { name: "move_stage", method: "moveStage", sideEffects: true, input: inputs.MoveStageInput,
    description: "Move an application forward one stage when its condition holds, or to close with a reason code (hired, offer_declined, offer_expired, withdrawn, ...)." },
  { name: "reject_candidate", method: "rejectCandidate", sideEffects: true, input: inputs.RejectCandidateInput,
    description: "Close an application as rejected_screen, rejected_loop or withdrawn, with an optional note; cancels its upcoming interviews." },
  { name: "create_job", method: "createJob", sideEffects: true, input: inputs.CreateJobInput,
    description: "Open a job posting: title, department, location, 1-6 must-have skills, salary band, currency, hiring manager." },
  { name: "close_job", method: "closeJob", sideEffects: true, input: inputs.CloseJobInput,
    description: "Close a job posting (filled, cancelled or on_hold); its open applications close as job_closed. Refused while an offer is waiting." },
];

export const RECRUITING_TOOL_NAMES = SPECS.map((s) => s.name);
export const RECRUITING_WRITE_TOOLS = SPECS.filter((s) => s.sideEffects).map((s) => s.name);

const defaultProvider: ActionsProvider = (ctx) => recruitingActionsFor(ctx.env);

function actionContext(ctx: ToolContext): ActionContext {
  return { tenant: ctx.caller.tenant, actor: { name: ctx.caller.owner, role: ctx.caller.role }, idempotencyKey: ctx.idempotencyKey };
}

function toTool(spec: Spec, provider: ActionsProvider): Tool {
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
  return SPECS.map((spec) => toTool(spec, provider));
}

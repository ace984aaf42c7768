import type { z } from "zod";
import type { RecruitingActions } from "./actions";
import * as inputs from "./inputs";

/**
 * One recruiting action under its public name: the orchestrator's tool of that name, and the `action` a caller
 * of the recruiting CRM agent puts in its data part (`{"action": "move_stage", "input": {…}}`). One table for
 * both, so the model-facing tools and the agent's vocabulary cannot drift apart.
 */
export interface ActionSpec {
  /** snake_case, `^[a-z_]+$`: a tool name providers accept and the word the docs and permissions use. */
  name: string;
  description: string;
  input: z.ZodType;
  method: keyof RecruitingActions;
  /** Writes take an idempotency key; reads are safe to repeat as they are. */
  sideEffects: boolean;
}

export const RECRUITING_ACTIONS: readonly ActionSpec[] = [
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

const byName = new Map(RECRUITING_ACTIONS.map((spec) => [spec.name, spec]));
const byMethod = new Map(RECRUITING_ACTIONS.map((spec) => [spec.method, spec]));

export const RECRUITING_ACTION_NAMES = RECRUITING_ACTIONS.map((spec) => spec.name) as [string, ...string[]];

export const actionNamed = (name: string): ActionSpec | undefined => byName.get(name);
export const actionOfMethod = (method: keyof RecruitingActions): ActionSpec => byMethod.get(method)!;

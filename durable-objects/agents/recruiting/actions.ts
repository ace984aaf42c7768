import type { z } from "zod";
import type * as inputs from "./inputs";

/** Who acts, in which tenant: from the caller of the run (the A2A credentials), never from the model. */
export interface ActionContext {
  tenant: string;
  actor: { name: string; role: string };
  /**
   * Makes a write safe to repeat: the same key returns the first call's result (`replayed: true`) instead of
   * writing again. The CRM agent passes its task's id, which the platform derives from the caller and the
   * message's `messageId` (itself derived from the orchestrator's tool call key `${taskId}/${step}/${callId}`).
   */
  idempotencyKey?: string;
  /** The clock, for tests; defaults to Date.now(). */
  now?: number;
}

type In<S extends z.ZodType> = z.input<S>;

/** A JSON-serialisable answer; writes add `replayed: true` when the idempotency key had already been used. */
export type ActionResult = Record<string, unknown>;

/**
 * The recruiting system as the orchestrator's tools see it: Postgres (postgres-actions.ts), run by the hosted
 * recruiting CRM agent (crm-agent.ts), which the tools reach over A2A (orchestrator/tools/recruiting-crm.ts
 * implements this interface as its client). Every method validates its input, checks the actor's role and the
 * stage's conditions, and throws a RecruitingError when it refuses.
 */
export interface RecruitingActions {
  searchCandidates(input: In<typeof inputs.SearchCandidatesInput>, ctx: ActionContext): Promise<ActionResult>;
  getCandidate(input: In<typeof inputs.GetCandidateInput>, ctx: ActionContext): Promise<ActionResult>;
  listJobs(input: In<typeof inputs.ListJobsInput>, ctx: ActionContext): Promise<ActionResult>;
  pipelineStats(input: In<typeof inputs.PipelineStatsInput>, ctx: ActionContext): Promise<ActionResult>;
  sourceCandidate(input: In<typeof inputs.SourceCandidateInput>, ctx: ActionContext): Promise<ActionResult>;
  screenCandidate(input: In<typeof inputs.ScreenCandidateInput>, ctx: ActionContext): Promise<ActionResult>;
  scheduleInterview(input: In<typeof inputs.ScheduleInterviewInput>, ctx: ActionContext): Promise<ActionResult>;
  makeOffer(input: In<typeof inputs.MakeOfferInput>, ctx: ActionContext): Promise<ActionResult>;
  moveStage(input: In<typeof inputs.MoveStageInput>, ctx: ActionContext): Promise<ActionResult>;
  rejectCandidate(input: In<typeof inputs.RejectCandidateInput>, ctx: ActionContext): Promise<ActionResult>;
  createJob(input: In<typeof inputs.CreateJobInput>, ctx: ActionContext): Promise<ActionResult>;
  closeJob(input: In<typeof inputs.CloseJobInput>, ctx: ActionContext): Promise<ActionResult>;
}

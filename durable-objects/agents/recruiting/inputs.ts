import { z } from "zod";
import { STAGES } from "../../../schema/db/recruiting";

/**
 * The inputs of the recruiting actions: the tools' schemas (the model sees their JSON Schema) and the
 * actions' own validation, one definition for both. Ids are the demo's text ids (`job-backend`, `cand-priya`…).
 */
const Id = z.string().min(1).max(80).regex(/^[A-Za-z0-9._-]+$/, "an id of letters, digits, '.', '_' or '-'");
const Skill = z.string().min(1).max(40).transform((s) => s.trim().toLowerCase());
const Note = z.string().trim().min(1).max(2000);

export const StageSchema = z.enum(STAGES);
export const CLOSE_REASONS = ["hired", "rejected_screen", "rejected_loop", "offer_declined", "offer_expired", "withdrawn", "job_closed"] as const;
export const CloseReasonSchema = z.enum(CLOSE_REASONS);
export type CloseReason = z.infer<typeof CloseReasonSchema>;

export const SearchCandidatesInput = z.object({
  jobId: Id.describe("The job to match candidates against"),
  query: z.string().max(200).optional().describe("Extra words to match: skills, a city, a headline term"),
  minYears: z.number().int().min(0).max(50).optional().describe("At least this many years of experience"),
  location: z.string().max(80).optional().describe("Only candidates whose location contains this"),
  limit: z.number().int().min(1).max(20).default(10),
});
export const GetCandidateInput = z.object({ candidateId: Id });
export const ListJobsInput = z.object({ status: z.enum(["open", "closed", "all"]).default("open") });
export const PipelineStatsInput = z.object({ jobId: Id.optional().describe("One job; all jobs when omitted") });

export const SourceCandidateInput = z.object({ jobId: Id, candidateId: Id });
export const ScreenCandidateInput = z.object({
  applicationId: Id,
  verdict: z.enum(["pass", "fail"]),
  notes: Note.describe("What the screen found, job-related facts only"),
});
export const ScheduleInterviewInput = z.object({
  applicationId: Id,
  interviewer: z.string().trim().min(1).max(120),
  kind: z.enum(["phone", "technical", "onsite", "hiring-manager"]),
  startsAt: z.iso.datetime({ offset: true }).describe("ISO 8601 with a UTC offset, e.g. 2026-12-08T10:00:00Z"),
  durationMinutes: z.number().int().min(15).max(480),
});
export const MakeOfferInput = z.object({
  applicationId: Id,
  baseSalary: z.number().int().positive().max(10_000_000),
  currency: z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code such as EUR"),
  startDate: z.iso.date().describe("YYYY-MM-DD"),
});
export const MoveStageInput = z.object({
  applicationId: Id,
  to: StageSchema,
  reason: z.string().regex(/^[a-z_]{1,40}$/).describe("Why: sourced, screen_pass, loop_complete, or a close reason code"),
});
export const RejectCandidateInput = z.object({
  applicationId: Id,
  reason: z.enum(["rejected_screen", "rejected_loop", "withdrawn"]),
  note: Note.optional(),
});
export const CreateJobInput = z
  .object({
    title: z.string().trim().min(3).max(120),
    department: z.string().trim().min(2).max(80),
    location: z.string().trim().min(2).max(80),
    description: z.string().trim().max(4000).default(""),
    mustHaveSkills: z.array(Skill).min(1).max(6),
    salaryMin: z.number().int().positive(),
    salaryMax: z.number().int().positive(),
    currency: z.string().regex(/^[A-Z]{3}$/),
    hiringManager: z.string().trim().min(1).max(120),
  })
  .refine((job) => job.salaryMin < job.salaryMax, { message: "salaryMin must be below salaryMax", path: ["salaryMax"] });
export const CloseJobInput = z.object({ jobId: Id, reason: z.enum(["filled", "cancelled", "on_hold"]) });

export type SearchCandidates = z.input<typeof SearchCandidatesInput>;
export type ScheduleInterview = z.infer<typeof ScheduleInterviewInput>;
export type MakeOffer = z.infer<typeof MakeOfferInput>;
export type MoveStage = z.infer<typeof MoveStageInput>;
export type RejectCandidate = z.infer<typeof RejectCandidateInput>;
export type CreateJob = z.input<typeof CreateJobInput>;

import { z } from "zod";
import type { Part } from "../../../schema/a2a";
import type { RecruitingErrorCode } from "./errors";

/** The hosted recruiting CRM agent's id: its path is `/agents/recruiting-crm/`, its registry entry this id. */
export const RECRUITING_CRM_ID = "recruiting-crm";

/**
 * What the CRM agent is asked, as one data part of the user message: an action of the table
 * (recruiting/action-table.ts, the orchestrator's tool names) and that action's input.
 * @example {"action": "move_stage", "input": {"applicationId": "app-tomas-backend", "to": "screening", "reason": "sourced"}}
 */
export const CrmRequestSchema = z.strictObject({
  action: z.string().min(1).max(64),
  input: z.record(z.string(), z.unknown()).default({}),
});
export type CrmRequest = z.input<typeof CrmRequestSchema>;

/** Besides RecruitingError's codes: input the schema refuses is `invalid`, a system that cannot answer `unavailable`. */
export type CrmErrorCode = RecruitingErrorCode | "unavailable";

/** The data part of a FAILED answer's status message. */
export const CrmErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type CrmError = z.infer<typeof CrmErrorSchema>["error"];

/** The data part of a COMPLETED answer's `result` artifact: the action's result, exactly as the action returned it. */
export const CrmResultSchema = z.object({ result: z.record(z.string(), z.unknown()) });

/** The artifact the CRM answers into. */
export const CRM_RESULT_ARTIFACT = "result";

export const crmRequestPart = (request: CrmRequest): Part => ({ data: request as Part["data"], mediaType: "application/json" });

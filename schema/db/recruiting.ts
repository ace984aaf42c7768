import { sql } from "drizzle-orm";
import { index, integer, json, pgSchema, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * The recruiting demo domain (jobs, candidates, applications moving through stages, screenings, interviews,
 * offers), in its own Postgres schema: it belongs to the recruiting CRM agent (durable-objects/agents/recruiting/crm-agent.ts),
 * not to the A2A index. Every row is scoped by `tenant`, like tasks. Rows an action creates carry the
 * action's `request_key` (the tool call's idempotency key), unique per tenant, so a resumed run that repeats
 * a call finds its first result instead of writing twice.
 */
export const recruiting = pgSchema("recruiting");

const at = (name: string) => timestamp(name, { precision: 3, withTimezone: true, mode: "string" });

export const STAGES = ["sourcing", "screening", "scheduling", "offer", "close"] as const;
export type Stage = (typeof STAGES)[number];

export const jobs = recruiting.table(
  "jobs",
  {
    tenant: text("tenant").notNull(),
    id: text("id").notNull(),
    title: text("title").notNull(),
    department: text("department").notNull(),
    location: text("location").notNull(),
    description: text("description").notNull().default(""),
    mustHaveSkills: json("must_have_skills").$type<string[]>().notNull(),
    salaryMin: integer("salary_min").notNull(),
    salaryMax: integer("salary_max").notNull(),
    currency: text("currency").notNull(),
    hiringManager: text("hiring_manager").notNull(),
    /** open | closed */
    status: text("status").notNull().default("open"),
    closeReason: text("close_reason"),
    createdAt: at("created_at").notNull().defaultNow(),
    closedAt: at("closed_at"),
    requestKey: text("request_key"),
    closeRequestKey: text("close_request_key"),
  },
  (t) => [
    primaryKey({ columns: [t.tenant, t.id] }),
    uniqueIndex("jobs_request_key").on(t.tenant, t.requestKey),
    uniqueIndex("jobs_close_request_key").on(t.tenant, t.closeRequestKey),
  ],
);

export const candidates = recruiting.table(
  "candidates",
  {
    tenant: text("tenant").notNull(),
    id: text("id").notNull(),
    name: text("name").notNull(),
    email: text("email"),
    phone: text("phone"),
    location: text("location").notNull(),
    headline: text("headline").notNull(),
    skills: json("skills").$type<string[]>().notNull(),
    yearsExperience: integer("years_experience").notNull(),
    /** referral | inbound | outbound | agency */
    source: text("source").notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenant, t.id] })],
);

export const applications = recruiting.table(
  "applications",
  {
    tenant: text("tenant").notNull(),
    id: text("id").notNull(),
    jobId: text("job_id").notNull(),
    candidateId: text("candidate_id").notNull(),
    stage: text("stage").$type<Stage>().notNull(),
    /** Set when `stage` is close: hired, rejected_screen, rejected_loop, offer_declined, offer_expired, withdrawn, job_closed. */
    closeReason: text("close_reason"),
    createdAt: at("created_at").notNull().defaultNow(),
    updatedAt: at("updated_at").notNull().defaultNow(),
    requestKey: text("request_key"),
  },
  (t) => [
    primaryKey({ columns: [t.tenant, t.id] }),
    // One open application per candidate and job; a closed one may be followed by a new one.
    uniqueIndex("applications_open_per_job").on(t.tenant, t.jobId, t.candidateId).where(sql`stage <> 'close'`),
    uniqueIndex("applications_request_key").on(t.tenant, t.requestKey),
    index("applications_job_stage").on(t.tenant, t.jobId, t.stage),
    index("applications_candidate").on(t.tenant, t.candidateId),
  ],
);

export const screenings = recruiting.table(
  "screenings",
  {
    tenant: text("tenant").notNull(),
    id: text("id").notNull(),
    applicationId: text("application_id").notNull(),
    /** pass | fail */
    verdict: text("verdict").notNull(),
    notes: text("notes").notNull(),
    screenedBy: text("screened_by").notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
    requestKey: text("request_key"),
  },
  (t) => [primaryKey({ columns: [t.tenant, t.id] }), uniqueIndex("screenings_request_key").on(t.tenant, t.requestKey), index("screenings_application").on(t.tenant, t.applicationId)],
);

export const interviews = recruiting.table(
  "interviews",
  {
    tenant: text("tenant").notNull(),
    id: text("id").notNull(),
    applicationId: text("application_id").notNull(),
    candidateId: text("candidate_id").notNull(),
    interviewer: text("interviewer").notNull(),
    /** phone | technical | onsite | hiring-manager */
    kind: text("kind").notNull(),
    startsAt: at("starts_at").notNull(),
    durationMinutes: integer("duration_minutes").notNull(),
    /** scheduled | cancelled */
    status: text("status").notNull().default("scheduled"),
    createdBy: text("created_by").notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
    requestKey: text("request_key"),
  },
  (t) => [
    primaryKey({ columns: [t.tenant, t.id] }),
    uniqueIndex("interviews_request_key").on(t.tenant, t.requestKey),
    index("interviews_application").on(t.tenant, t.applicationId),
    index("interviews_interviewer_time").on(t.tenant, t.interviewer, t.startsAt),
  ],
);

export const offers = recruiting.table(
  "offers",
  {
    tenant: text("tenant").notNull(),
    id: text("id").notNull(),
    applicationId: text("application_id").notNull(),
    baseSalary: integer("base_salary").notNull(),
    currency: text("currency").notNull(),
    startDate: text("start_date").notNull(),
    /** extended | accepted | declined | expired | withdrawn */
    status: text("status").notNull().default("extended"),
    createdBy: text("created_by").notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
    requestKey: text("request_key"),
  },
  (t) => [
    primaryKey({ columns: [t.tenant, t.id] }),
    uniqueIndex("offers_request_key").on(t.tenant, t.requestKey),
    // At most one offer waiting for an answer per application.
    uniqueIndex("offers_one_open").on(t.tenant, t.applicationId).where(sql`status = 'extended'`),
  ],
);

/** Every stage move, with who made it and why: the audit trail and the source of pipeline timings. */
export const stageChanges = recruiting.table(
  "stage_changes",
  {
    tenant: text("tenant").notNull(),
    id: text("id").notNull(),
    applicationId: text("application_id").notNull(),
    fromStage: text("from_stage"),
    toStage: text("to_stage").notNull(),
    reason: text("reason").notNull(),
    note: text("note"),
    actor: text("actor").notNull(),
    at: at("at").notNull().defaultNow(),
    requestKey: text("request_key"),
  },
  (t) => [
    primaryKey({ columns: [t.tenant, t.id] }),
    uniqueIndex("stage_changes_request_key").on(t.tenant, t.requestKey),
    index("stage_changes_application").on(t.tenant, t.applicationId, t.at),
  ],
);

import { sql } from "drizzle-orm";
import type { Database } from "../../db";
import type { ActionContext, ActionResult } from "./actions";
import { RecruitingError, notFound } from "./errors";
import { CloseJobInput, CreateJobInput, MakeOfferInput, MoveStageInput, RejectCandidateInput, ScheduleInterviewInput, ScreenCandidateInput, SourceCandidateInput } from "./inputs";
import { authorize, permits } from "./permissions";
import { interviewView, jobView, loadApplication, loadJob } from "./postgres-reads";
import { iso, keyOf, newId, rowsOf } from "./sql";
import { checkMove } from "./stages";
import { transition } from "./transition";

// Every write first looks for a row its idempotency key already made (a repeated call after a restart) and
// answers with it, marked `replayed`. Then it checks the role, the stage's conditions and the data, and
// writes in one statement guarded so that a concurrent change makes it a no-op rather than a wrong write.

const conflict = (message: string, details: Record<string, unknown> = {}) => new RecruitingError("conflict", message, details);
const stageError = (message: string, details: Record<string, unknown> = {}) => new RecruitingError("stage", message, details);

async function byKey(db: Database, table: string, column: string, tenant: string, key: string) {
  const [row] = await rowsOf(db, sql`SELECT * FROM ${sql.raw(`recruiting.${table}`)} WHERE tenant = ${tenant} AND ${sql.raw(column)} = ${key}`);
  return row;
}

const appView = (a: Record<string, any>) => ({ applicationId: a.id, jobId: a.job_id, candidateId: a.candidate_id, stage: a.stage });

export async function sourceCandidate(db: Database, input: unknown, ctx: ActionContext): Promise<ActionResult> {
  authorize(ctx.actor.role, "source", "add candidates to a job");
  const { jobId, candidateId } = SourceCandidateInput.parse(input);
  const { tenant } = ctx;
  const key = keyOf(ctx.idempotencyKey);
  const seen = await byKey(db, "applications", "request_key", tenant, key);
  if (seen) return { ...appView(seen), replayed: true };
  const job = await loadJob(db, tenant, jobId);
  if (job.status !== "open") throw stageError(`The job ${jobId} is closed; only open jobs take candidates`, { jobId });
  const [candidate] = await rowsOf(db, sql`SELECT id FROM recruiting.candidates WHERE tenant = ${tenant} AND id = ${candidateId}`);
  if (!candidate) throw notFound("candidate", candidateId);
  const id = newId("app");
  const [{ n }] = (await rowsOf(
    db,
    sql`WITH ins AS (
          INSERT INTO recruiting.applications (tenant, id, job_id, candidate_id, stage, request_key)
          VALUES (${tenant}, ${id}, ${jobId}, ${candidateId}, 'sourcing', ${key}) ON CONFLICT DO NOTHING RETURNING id, tenant
        ), logged AS (
          INSERT INTO recruiting.stage_changes (tenant, id, application_id, from_stage, to_stage, reason, actor, request_key)
          SELECT tenant, ${newId("chg")}, id, NULL, 'sourcing', 'sourced', ${ctx.actor.name}, ${key} FROM ins
        )
        SELECT count(*)::int AS n FROM ins`,
  )) as [{ n: number }];
  if (n === 1) return { applicationId: id, jobId, candidateId, stage: "sourcing" };
  const replay = await byKey(db, "applications", "request_key", tenant, key);
  if (replay) return { ...appView(replay), replayed: true };
  const [open] = await rowsOf(db, sql`SELECT id, stage FROM recruiting.applications WHERE tenant = ${tenant} AND job_id = ${jobId} AND candidate_id = ${candidateId} AND stage <> 'close'`);
  throw conflict(`The candidate already has an open application for ${jobId}`, { applicationId: open?.id, stage: open?.stage });
}

export async function screenCandidate(db: Database, input: unknown, ctx: ActionContext): Promise<ActionResult> {
  authorize(ctx.actor.role, "screen", "record screenings");
  const { applicationId, verdict, notes } = ScreenCandidateInput.parse(input);
  const { tenant } = ctx;
  const key = keyOf(ctx.idempotencyKey);
  const outcome = (screeningId: string, replayed: boolean) => ({
    applicationId, screeningId, verdict, stage: verdict === "pass" ? "scheduling" : "close", ...(verdict === "fail" ? { closeReason: "rejected_screen" } : {}), ...(replayed ? { replayed } : {}),
  });
  const seen = await byKey(db, "screenings", "request_key", tenant, key);
  if (seen) return { ...outcome(seen.id, true), verdict: seen.verdict, stage: seen.verdict === "pass" ? "scheduling" : "close" };
  const { row, facts } = await loadApplication(db, tenant, applicationId);
  if (facts.stage !== "screening") {
    const hint = facts.stage === "sourcing" ? " (move it from sourcing to screening first)" : "";
    throw stageError(`Screenings are recorded in the screening stage; this application is in ${facts.stage}${hint}`, { stage: facts.stage });
  }
  const missing = (row.must_have_skills as string[]).filter((s) => !(row.skills as string[]).includes(s));
  if (verdict === "pass" && missing.length > 0) {
    throw new RecruitingError("invalid", `A pass needs every must-have skill evidenced; ${row.name}'s profile lacks ${missing.join(", ")}`, { missingSkills: missing });
  }
  const id = newId("scr");
  const moved = await transition(db, {
    tenant, applicationId, from: "screening", to: verdict === "pass" ? "scheduling" : "close", reason: verdict === "pass" ? "screen_pass" : "rejected_screen", actor: ctx.actor.name, key,
    also: sql`, screened AS (INSERT INTO recruiting.screenings (tenant, id, application_id, verdict, notes, screened_by, request_key)
                SELECT tenant, ${id}, id, ${verdict}, ${notes}, ${ctx.actor.name}, ${key} FROM moved)`,
  });
  if (!moved) throw conflict("The application changed while screening it; read it again", { applicationId });
  return outcome(id, false);
}

export async function scheduleInterview(db: Database, input: unknown, ctx: ActionContext): Promise<ActionResult> {
  authorize(ctx.actor.role, "schedule", "schedule interviews");
  const args = ScheduleInterviewInput.parse(input);
  const { tenant } = ctx;
  const key = keyOf(ctx.idempotencyKey);
  const seen = await byKey(db, "interviews", "request_key", tenant, key);
  if (seen) return { applicationId: seen.application_id, ...interviewView(seen), replayed: true };
  const { row, facts } = await loadApplication(db, tenant, args.applicationId);
  if (facts.stage !== "scheduling") throw stageError(`Interviews are booked in the scheduling stage; this application is in ${facts.stage}`, { stage: facts.stage });
  if (!facts.jobOpen) throw stageError("The job is closed", { jobId: row.job_id });
  const start = new Date(args.startsAt);
  if (start.getTime() <= (ctx.now ?? Date.now())) throw new RecruitingError("invalid", "An interview must start in the future", { startsAt: args.startsAt });
  const startsAt = start.toISOString();
  const end = new Date(start.getTime() + args.durationMinutes * 60_000).toISOString();
  // Neither the interviewer nor the candidate may be in two interviews at once.
  const overlapping = sql`x.tenant = ${tenant} AND x.status = 'scheduled'
      AND (x.interviewer = ${args.interviewer} OR x.candidate_id = ${row.candidate_id})
      AND x.starts_at < ${end}::timestamptz AND x.starts_at + make_interval(mins => x.duration_minutes) > ${startsAt}::timestamptz`;
  const clashes = await rowsOf(db, sql`SELECT x.id, x.candidate_id, x.starts_at, x.duration_minutes FROM recruiting.interviews x WHERE ${overlapping}`);
  if (clashes.length > 0) {
    const c = clashes[0]!;
    const who = c.candidate_id === row.candidate_id ? row.name : args.interviewer;
    throw conflict(`${who} already has an interview then (${iso(c.starts_at)}, ${c.duration_minutes} min); pick another time`, { clashesWith: c.id });
  }
  const id = newId("int");
  const inserted = await rowsOf(
    db,
    sql`INSERT INTO recruiting.interviews (tenant, id, application_id, candidate_id, interviewer, kind, starts_at, duration_minutes, created_by, request_key)
        SELECT ${tenant}, ${id}, ${args.applicationId}, ${row.candidate_id}, ${args.interviewer}, ${args.kind}, ${startsAt}::timestamptz, ${args.durationMinutes}, ${ctx.actor.name}, ${key}
        WHERE EXISTS (SELECT 1 FROM recruiting.applications WHERE tenant = ${tenant} AND id = ${args.applicationId} AND stage = 'scheduling')
          AND NOT EXISTS (SELECT 1 FROM recruiting.interviews x WHERE ${overlapping})
        ON CONFLICT DO NOTHING RETURNING *`,
  );
  if (inserted[0]) return { applicationId: args.applicationId, candidate: row.name, ...interviewView(inserted[0]) };
  const replay = await byKey(db, "interviews", "request_key", tenant, key);
  if (replay) return { applicationId: replay.application_id, ...interviewView(replay), replayed: true };
  throw conflict("The application or the calendar changed while booking; read it again", { applicationId: args.applicationId });
}

const offerView = (o: Record<string, any>) => ({ offerId: o.id, applicationId: o.application_id, baseSalary: o.base_salary, currency: o.currency, startDate: o.start_date, status: o.status });

export async function makeOffer(db: Database, input: unknown, ctx: ActionContext): Promise<ActionResult> {
  authorize(ctx.actor.role, "offer", "make offers");
  const args = MakeOfferInput.parse(input);
  const { tenant } = ctx;
  const key = keyOf(ctx.idempotencyKey);
  const seen = await byKey(db, "offers", "request_key", tenant, key);
  if (seen) return { ...offerView(seen), stage: "offer", replayed: true };
  const { row, facts } = await loadApplication(db, tenant, args.applicationId);
  if (!facts.jobOpen) throw stageError("The job is closed", { jobId: row.job_id });
  if (facts.stage === "scheduling" && facts.scheduledInterviews === 0) throw stageError("An offer needs at least one interview first", { stage: facts.stage });
  if (facts.stage === "offer" && facts.openOffer) throw stageError("An offer is already waiting for the candidate's answer", { stage: facts.stage });
  if (facts.stage !== "scheduling" && facts.stage !== "offer") throw stageError(`Offers follow interviews (scheduling stage); this application is in ${facts.stage}`, { stage: facts.stage });
  if (args.currency !== row.currency) throw new RecruitingError("invalid", `The job pays in ${row.currency}, not ${args.currency}`, { currency: row.currency });
  const band = { min: row.salary_min as number, max: row.salary_max as number, currency: row.currency as string };
  if ((args.baseSalary < band.min || args.baseSalary > band.max) && !permits(ctx.actor.role, "offerOutsideBand")) {
    throw new RecruitingError("forbidden", `${args.baseSalary} ${args.currency} is outside the job's band (${band.min}-${band.max} ${band.currency}); only an admin may offer outside it`, { salaryBand: band });
  }
  const today = new Date(ctx.now ?? Date.now()).toISOString().slice(0, 10);
  if (args.startDate <= today) throw new RecruitingError("invalid", "The start date must be after today", { startDate: args.startDate });
  const id = newId("off");
  const values = sql`${id}, ${args.baseSalary}, ${args.currency}, ${args.startDate}, ${ctx.actor.name}, ${key}`;
  if (facts.stage === "scheduling") {
    const moved = await transition(db, {
      tenant, applicationId: args.applicationId, from: "scheduling", to: "offer", reason: "offer_extended", actor: ctx.actor.name, key,
      also: sql`, offered AS (INSERT INTO recruiting.offers (tenant, application_id, id, base_salary, currency, start_date, created_by, request_key)
                SELECT tenant, id, ${values} FROM moved)`,
    });
    if (!moved) throw conflict("The application changed while making the offer; read it again", { applicationId: args.applicationId });
  } else {
    const inserted = await rowsOf(
      db,
      sql`INSERT INTO recruiting.offers (tenant, application_id, id, base_salary, currency, start_date, created_by, request_key)
          SELECT tenant, id, ${values} FROM recruiting.applications WHERE tenant = ${tenant} AND id = ${args.applicationId} AND stage = 'offer'
          ON CONFLICT DO NOTHING RETURNING id`,
    );
    if (!inserted[0]) throw conflict("An offer was made meanwhile, or the application moved; read it again", { applicationId: args.applicationId });
  }
  return { offerId: id, applicationId: args.applicationId, candidate: row.name, baseSalary: args.baseSalary, currency: args.currency, startDate: args.startDate, status: "extended", stage: "offer" };
}

async function close(db: Database, ctx: ActionContext, applicationId: string, to: "close" | Parameters<typeof checkMove>[1], reason: string, note?: string): Promise<ActionResult> {
  const { tenant } = ctx;
  const key = keyOf(ctx.idempotencyKey);
  const seen = await byKey(db, "stage_changes", "request_key", tenant, key);
  if (seen) return { applicationId: seen.application_id, from: seen.from_stage, stage: seen.to_stage, reason: seen.reason, replayed: true };
  const { facts } = await loadApplication(db, tenant, applicationId);
  const { offerStatus } = checkMove(facts, to, reason);
  const moved = await transition(db, {
    tenant, applicationId, from: facts.stage, to, reason, actor: ctx.actor.name, key, ...(note ? { note } : {}),
    ...(offerStatus ? { offerStatus } : {}), cancelInterviews: to === "close",
  });
  if (!moved) throw conflict("The application changed meanwhile; read it again", { applicationId });
  return { applicationId, from: facts.stage, stage: to, reason, ...(offerStatus ? { offer: offerStatus } : {}) };
}

export async function moveStage(db: Database, input: unknown, ctx: ActionContext): Promise<ActionResult> {
  authorize(ctx.actor.role, "move", "move candidates between stages");
  const { applicationId, to, reason } = MoveStageInput.parse(input);
  return close(db, ctx, applicationId, to, reason);
}

export async function rejectCandidate(db: Database, input: unknown, ctx: ActionContext): Promise<ActionResult> {
  authorize(ctx.actor.role, "reject", "reject candidates");
  const { applicationId, reason, note } = RejectCandidateInput.parse(input);
  return close(db, ctx, applicationId, "close", reason, note);
}

export async function createJob(db: Database, input: unknown, ctx: ActionContext): Promise<ActionResult> {
  authorize(ctx.actor.role, "postJobs", "open job postings");
  const job = CreateJobInput.parse(input);
  const { tenant } = ctx;
  const key = keyOf(ctx.idempotencyKey);
  const seen = await byKey(db, "jobs", "request_key", tenant, key);
  if (seen) return { ...jobView(seen), replayed: true };
  const slug = job.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40);
  const id = newId(`job-${slug}`);
  const [row] = await rowsOf(
    db,
    sql`INSERT INTO recruiting.jobs (tenant, id, title, department, location, description, must_have_skills, salary_min, salary_max, currency, hiring_manager, request_key)
        VALUES (${tenant}, ${id}, ${job.title}, ${job.department}, ${job.location}, ${job.description}, ${JSON.stringify([...new Set(job.mustHaveSkills)])}::json,
                ${job.salaryMin}, ${job.salaryMax}, ${job.currency}, ${job.hiringManager}, ${key})
        ON CONFLICT DO NOTHING RETURNING *`,
  );
  if (row) return jobView(row);
  const replay = await byKey(db, "jobs", "request_key", tenant, key);
  if (replay) return { ...jobView(replay), replayed: true };
  throw conflict("A job with this id exists; try again", {});
}

export async function closeJob(db: Database, input: unknown, ctx: ActionContext): Promise<ActionResult> {
  authorize(ctx.actor.role, "postJobs", "close job postings");
  const { jobId, reason } = CloseJobInput.parse(input);
  const { tenant } = ctx;
  const key = keyOf(ctx.idempotencyKey);
  const closedCount = async () =>
    ((await rowsOf(db, sql`SELECT count(*)::int AS n FROM recruiting.stage_changes WHERE tenant = ${tenant} AND request_key LIKE ${`${key}:%`}`))[0]?.n as number) ?? 0;
  const seen = await byKey(db, "jobs", "close_request_key", tenant, key);
  if (seen) return { ...jobView(seen), closedApplications: await closedCount(), replayed: true };
  const job = await loadJob(db, tenant, jobId);
  if (job.status !== "open") throw stageError(`The job ${jobId} is already closed`, { jobId });
  const [offer] = await rowsOf(db, sql`SELECT id FROM recruiting.applications WHERE tenant = ${tenant} AND job_id = ${jobId} AND stage = 'offer'`);
  if (offer) throw stageError("The job has a candidate in the offer stage; settle that offer (hired, declined or expired) before closing the job", { applicationId: offer.id });
  const [result] = await rowsOf(
    db,
    sql`WITH closed_job AS (
          UPDATE recruiting.jobs SET status = 'closed', close_reason = ${reason}, closed_at = now(), close_request_key = ${key}
          WHERE tenant = ${tenant} AND id = ${jobId} AND status = 'open'
            AND NOT EXISTS (SELECT 1 FROM recruiting.applications WHERE tenant = ${tenant} AND job_id = ${jobId} AND stage = 'offer')
          RETURNING id, tenant
        ), closed_apps AS (
          UPDATE recruiting.applications a SET stage = 'close', close_reason = 'job_closed', updated_at = now()
          FROM closed_job j, (SELECT id, stage FROM recruiting.applications WHERE tenant = ${tenant} AND job_id = ${jobId} AND stage <> 'close') old
          WHERE a.tenant = j.tenant AND a.id = old.id
          RETURNING a.id, a.tenant, old.stage AS from_stage
        ), logged AS (
          INSERT INTO recruiting.stage_changes (tenant, id, application_id, from_stage, to_stage, reason, actor, request_key)
          SELECT tenant, 'chg-' || substr(md5(${key} || id), 1, 12), id, from_stage, 'close', 'job_closed', ${ctx.actor.name}, ${key} || ':' || id FROM closed_apps
        ), cancelled AS (
          UPDATE recruiting.interviews i SET status = 'cancelled' FROM closed_apps c
          WHERE i.tenant = c.tenant AND i.application_id = c.id AND i.status = 'scheduled' AND i.starts_at > now()
        )
        SELECT (SELECT count(*)::int FROM closed_job) AS jobs, (SELECT count(*)::int FROM closed_apps) AS apps`,
  );
  if (result?.jobs !== 1) throw conflict("The job changed meanwhile; read it again", { jobId });
  return { ...jobView({ ...job, status: "closed", close_reason: reason }), closedApplications: result.apps };
}

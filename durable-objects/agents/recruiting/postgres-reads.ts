import { sql } from "drizzle-orm";
import type { Database } from "../../db";
import type { ActionContext, ActionResult } from "./actions";
import { notFound } from "./errors";
import { GetCandidateInput, ListJobsInput, PipelineStatsInput, SearchCandidatesInput } from "./inputs";
import { authorize } from "./permissions";
import { iso, rowsOf, type Rows } from "./sql";
import { allowedMoves, type ApplicationFacts } from "./stages";
import type { Stage } from "../../../schema/db/recruiting";

const words = (text: string) => text.toLowerCase().split(/[^a-z0-9.+#-]+/).filter((w) => w.length > 1);

export const jobView = (j: Record<string, any>) => ({
  jobId: j.id,
  title: j.title,
  department: j.department,
  location: j.location,
  mustHaveSkills: j.must_have_skills,
  salaryBand: { min: j.salary_min, max: j.salary_max, currency: j.currency },
  hiringManager: j.hiring_manager,
  status: j.status,
  ...(j.close_reason ? { closeReason: j.close_reason } : {}),
});

export async function loadJob(db: Database, tenant: string, jobId: string): Promise<Record<string, any>> {
  const [job] = await rowsOf(db, sql`SELECT * FROM recruiting.jobs WHERE tenant = ${tenant} AND id = ${jobId}`);
  if (!job) throw notFound("job", jobId);
  return job;
}

/** One application with everything the stage rules ask about, in one query. */
export async function loadApplication(db: Database, tenant: string, applicationId: string) {
  const [row] = await rowsOf(
    db,
    sql`SELECT a.id, a.job_id, a.candidate_id, a.stage, a.close_reason, c.name, c.email, c.skills,
          j.status AS job_status, j.title, j.must_have_skills, j.salary_min, j.salary_max, j.currency,
          (SELECT count(*)::int FROM recruiting.screenings s WHERE s.tenant = a.tenant AND s.application_id = a.id AND s.verdict = 'pass') AS passes,
          (SELECT count(*)::int FROM recruiting.interviews i WHERE i.tenant = a.tenant AND i.application_id = a.id AND i.status = 'scheduled') AS interviews,
          (SELECT count(*)::int FROM recruiting.offers o WHERE o.tenant = a.tenant AND o.application_id = a.id AND o.status = 'extended') AS open_offers
        FROM recruiting.applications a
        JOIN recruiting.candidates c ON c.tenant = a.tenant AND c.id = a.candidate_id
        JOIN recruiting.jobs j ON j.tenant = a.tenant AND j.id = a.job_id
        WHERE a.tenant = ${tenant} AND a.id = ${applicationId}`,
  );
  if (!row) throw notFound("application", applicationId);
  const facts: ApplicationFacts = {
    stage: row.stage as Stage,
    jobOpen: row.job_status === "open",
    candidateHasEmail: Boolean(row.email),
    passedScreening: row.passes > 0,
    scheduledInterviews: row.interviews,
    openOffer: row.open_offers > 0,
  };
  return { row, facts };
}

/** Ranks every candidate of the tenant against a job: must-have coverage first, then experience and the query. */
export async function searchCandidates(db: Database, input: unknown, ctx: ActionContext): Promise<ActionResult> {
  authorize(ctx.actor.role, "read", "search candidates");
  const { jobId, query, minYears, location, limit } = SearchCandidatesInput.parse(input);
  const job = await loadJob(db, ctx.tenant, jobId);
  const people = await rowsOf(
    db,
    // One row per candidate: their open application for the job, else their latest closed one, else none.
    sql`SELECT DISTINCT ON (c.id) c.*, a.id AS application_id, a.stage, a.close_reason
        FROM recruiting.candidates c
        LEFT JOIN recruiting.applications a ON a.tenant = c.tenant AND a.candidate_id = c.id AND a.job_id = ${jobId}
        WHERE c.tenant = ${ctx.tenant}
          AND c.years_experience >= ${minYears ?? 0}
          AND (${location ?? null}::text IS NULL OR c.location ILIKE '%' || ${location ?? ""}::text || '%')
        ORDER BY c.id, (a.stage = 'close'), a.created_at DESC`,
  );
  const must: string[] = job.must_have_skills;
  const terms = query ? words(query) : [];
  const city = words(job.location)[0] ?? "";
  const ranked = people.map((c) => {
    const skills: string[] = c.skills;
    const matched = must.filter((s) => skills.includes(s));
    const haystack = new Set(words(`${c.name} ${c.headline} ${c.location} ${skills.join(" ")}`));
    const hits = terms.filter((t) => haystack.has(t)).length;
    const score = Math.round((matched.length / must.length) * 70 + Math.min(c.years_experience, 10) * 2 + hits * 5 + (words(c.location).includes(city) ? 10 : 0));
    return {
      candidateId: c.id,
      name: c.name,
      headline: c.headline,
      location: c.location,
      yearsExperience: c.years_experience,
      skills,
      matchedSkills: matched,
      missingSkills: must.filter((s) => !skills.includes(s)),
      score,
      application: c.application_id ? { applicationId: c.application_id, stage: c.stage, ...(c.close_reason ? { closeReason: c.close_reason } : {}) } : null,
    };
  });
  ranked.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
  return { job: jobView(job), total: ranked.length, candidates: ranked.slice(0, limit) };
}

export async function getCandidate(db: Database, input: unknown, ctx: ActionContext): Promise<ActionResult> {
  authorize(ctx.actor.role, "read", "read candidates");
  const { candidateId } = GetCandidateInput.parse(input);
  const t = ctx.tenant;
  const [candidate] = await rowsOf(db, sql`SELECT * FROM recruiting.candidates WHERE tenant = ${t} AND id = ${candidateId}`);
  if (!candidate) throw notFound("candidate", candidateId);
  const apps = await rowsOf(db, sql`SELECT id FROM recruiting.applications WHERE tenant = ${t} AND candidate_id = ${candidateId} ORDER BY created_at`);
  const applications = [];
  for (const { id } of apps) {
    const { row, facts } = await loadApplication(db, t, id);
    const [screenings, interviews, offers] = await Promise.all([
      rowsOf(db, sql`SELECT id, verdict, notes, screened_by, created_at FROM recruiting.screenings WHERE tenant = ${t} AND application_id = ${id} ORDER BY created_at`),
      rowsOf(db, sql`SELECT id, interviewer, kind, starts_at, duration_minutes, status FROM recruiting.interviews WHERE tenant = ${t} AND application_id = ${id} ORDER BY starts_at`),
      rowsOf(db, sql`SELECT id, base_salary, currency, start_date, status, created_at FROM recruiting.offers WHERE tenant = ${t} AND application_id = ${id} ORDER BY created_at`),
    ]);
    applications.push({
      applicationId: id,
      jobId: row.job_id,
      jobTitle: row.title,
      salaryBand: { min: row.salary_min, max: row.salary_max, currency: row.currency },
      stage: row.stage,
      ...(row.close_reason ? { closeReason: row.close_reason } : {}),
      allowedMoves: allowedMoves(facts),
      screenings: screenings.map((s) => ({ screeningId: s.id, verdict: s.verdict, notes: s.notes, screenedBy: s.screened_by, at: iso(s.created_at) })),
      interviews: interviews.map(interviewView),
      offers: offers.map((o) => ({ offerId: o.id, baseSalary: o.base_salary, currency: o.currency, startDate: o.start_date, status: o.status })),
    });
  }
  return {
    candidateId: candidate.id,
    name: candidate.name,
    email: candidate.email,
    phone: candidate.phone,
    location: candidate.location,
    headline: candidate.headline,
    skills: candidate.skills,
    yearsExperience: candidate.years_experience,
    source: candidate.source,
    applications,
  };
}

export const interviewView = (i: Record<string, any>) => ({
  interviewId: i.id,
  interviewer: i.interviewer,
  kind: i.kind,
  startsAt: iso(i.starts_at),
  durationMinutes: i.duration_minutes,
  status: i.status,
});

export async function listJobs(db: Database, input: unknown, ctx: ActionContext): Promise<ActionResult> {
  authorize(ctx.actor.role, "read", "list jobs");
  const { status } = ListJobsInput.parse(input);
  const jobs = await rowsOf(
    db,
    sql`SELECT j.*, (SELECT count(*)::int FROM recruiting.applications a WHERE a.tenant = j.tenant AND a.job_id = j.id AND a.stage <> 'close') AS open_applications
        FROM recruiting.jobs j WHERE j.tenant = ${ctx.tenant} AND (${status}::text = 'all' OR j.status = ${status}::text) ORDER BY j.created_at, j.id`,
  );
  return { jobs: jobs.map((j) => ({ ...jobView(j), openApplications: j.open_applications })) };
}

const countBy = (rows: Rows, key: string) => Object.fromEntries(rows.map((r) => [r[key], r.n]));

/** Per job: open applications by stage, closed by reason, how far applications got, interviews and offers. */
export async function pipelineStats(db: Database, input: unknown, ctx: ActionContext): Promise<ActionResult> {
  authorize(ctx.actor.role, "read", "read pipeline statistics");
  const { jobId } = PipelineStatsInput.parse(input);
  const t = ctx.tenant;
  const jobs = jobId ? [await loadJob(db, t, jobId)] : await rowsOf(db, sql`SELECT * FROM recruiting.jobs WHERE tenant = ${t} ORDER BY created_at, id`);
  const now = new Date(ctx.now ?? Date.now()).toISOString();
  const report = [];
  for (const job of jobs) {
    const [byStage, byReason, reached, upcoming, open] = await Promise.all([
      rowsOf(db, sql`SELECT stage, count(*)::int AS n FROM recruiting.applications WHERE tenant = ${t} AND job_id = ${job.id} AND stage <> 'close' GROUP BY stage`),
      rowsOf(db, sql`SELECT close_reason, count(*)::int AS n FROM recruiting.applications WHERE tenant = ${t} AND job_id = ${job.id} AND stage = 'close' GROUP BY close_reason`),
      rowsOf(
        db,
        sql`SELECT sc.to_stage AS stage, count(DISTINCT sc.application_id)::int AS n FROM recruiting.stage_changes sc
            JOIN recruiting.applications a ON a.tenant = sc.tenant AND a.id = sc.application_id
            WHERE sc.tenant = ${t} AND a.job_id = ${job.id} GROUP BY sc.to_stage`,
      ),
      rowsOf(
        db,
        sql`SELECT count(*)::int AS n FROM recruiting.interviews i JOIN recruiting.applications a ON a.tenant = i.tenant AND a.id = i.application_id
            WHERE i.tenant = ${t} AND a.job_id = ${job.id} AND i.status = 'scheduled' AND i.starts_at > ${now}::timestamptz`,
      ),
      rowsOf(
        db,
        sql`SELECT count(*)::int AS n FROM recruiting.offers o JOIN recruiting.applications a ON a.tenant = o.tenant AND a.id = o.application_id
            WHERE o.tenant = ${t} AND a.job_id = ${job.id} AND o.status = 'extended'`,
      ),
    ]);
    const got = countBy(reached, "stage");
    const total = Object.values(countBy(byStage, "stage")).reduce((a: number, b) => a + Number(b), 0) + Object.values(countBy(byReason, "close_reason")).reduce((a: number, b) => a + Number(b), 0);
    const rate = (n: number | undefined) => (total ? Math.round(((n ?? 0) / total) * 100) / 100 : 0);
    report.push({
      jobId: job.id,
      title: job.title,
      status: job.status,
      applications: total,
      open: countBy(byStage, "stage"),
      closed: countBy(byReason, "close_reason"),
      reached: { screening: rate(got.screening), scheduling: rate(got.scheduling), offer: rate(got.offer), hired: rate(countBy(byReason, "close_reason").hired) },
      upcomingInterviews: upcoming[0]?.n ?? 0,
      openOffers: open[0]?.n ?? 0,
    });
  }
  return { jobs: report };
}

import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { RecruitingError } from "../../../../durable-objects/agents/recruiting/errors";
import { actions, application, as, count, future, seededTenant } from "../../../helpers/recruiting";

/** The refusal an action throws: its code and message. */
async function refusal(promise: Promise<unknown>): Promise<RecruitingError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RecruitingError)) throw new Error(`expected a RecruitingError, got ${String(error)}`);
  return error;
}

describe("recruiting actions against Postgres (the Neon driver, the suite's real database)", () => {
  let tenant: string;
  beforeAll(async () => {
    tenant = await seededTenant();
  });

  it("search ranks candidates who evidence every must-have first, with their stage for the job", async () => {
    const found = (await actions().searchCandidates({ jobId: "job-backend" }, as("viewer", tenant))) as any;
    expect(found.job.mustHaveSkills).toEqual(["go", "postgres", "distributed-systems"]);
    const top = found.candidates.slice(0, 4);
    for (const c of top) expect(c.missingSkills).toEqual([]);
    expect(top.map((c: any) => c.candidateId)).toContain("cand-priya");
    const priya = found.candidates.find((c: any) => c.candidateId === "cand-priya");
    expect(priya.application).toEqual({ applicationId: "app-priya-backend", stage: "screening" });
    const hana = found.candidates.find((c: any) => c.candidateId === "cand-hana");
    expect(hana.missingSkills).toEqual(["distributed-systems"]);
    expect(found.candidates.indexOf(hana)).toBeGreaterThan(found.candidates.indexOf(priya));
    const filtered = (await actions().searchCandidates({ jobId: "job-backend", location: "berlin", minYears: 8 }, as("viewer", tenant))) as any;
    expect(filtered.candidates.map((c: any) => c.name).sort()).toEqual(["Omar Haddad", "Priya Raman"]);
  });

  it("a candidate's record lists each application with the moves its stage allows", async () => {
    const liam = (await actions().getCandidate({ candidateId: "cand-liam" }, as("viewer", tenant))) as any;
    expect(liam.applications[0]).toMatchObject({ applicationId: "app-liam-backend", stage: "sourcing" });
    // No email: sourcing cannot move on, only close.
    expect(liam.applications[0].allowedMoves).toEqual(["close:rejected_screen", "close:withdrawn"]);
    const omar = (await actions().getCandidate({ candidateId: "cand-omar" }, as("viewer", tenant))) as any;
    expect(omar.applications[0].allowedMoves).toEqual(["close:hired", "close:offer_declined", "close:offer_expired", "close:rejected_loop", "close:withdrawn"]);
    expect(await refusal(actions().getCandidate({ candidateId: "cand-nobody" }, as("viewer", tenant)))).toMatchObject({ code: "not_found" });
  });

  it("a viewer reads but never changes anything: every write is refused and the data stays as it was", async () => {
    const viewer = as("viewer", tenant);
    const writes = [
      actions().screenCandidate({ applicationId: "app-priya-backend", verdict: "pass", notes: "x" }, viewer),
      actions().moveStage({ applicationId: "app-tomas-backend", to: "screening", reason: "sourced" }, viewer),
      actions().scheduleInterview({ applicationId: "app-sofia-frontend", interviewer: "Sam Okafor", kind: "technical", startsAt: future(9, 10), durationMinutes: 60 }, viewer),
      actions().rejectCandidate({ applicationId: "app-arjun-frontend", reason: "withdrawn" }, viewer),
      actions().sourceCandidate({ jobId: "job-data", candidateId: "cand-hana" }, viewer),
      actions().createJob({ title: "QA Engineer", department: "Engineering", location: "Berlin", mustHaveSkills: ["testing"], salaryMin: 50000, salaryMax: 60000, currency: "EUR", hiringManager: "Dana" }, viewer),
    ];
    for (const write of writes) expect((await refusal(write)).code).toBe("forbidden");
    expect(await application(tenant, "app-priya-backend")).toEqual({ stage: "screening", close_reason: null });
    expect(await application(tenant, "app-tomas-backend")).toEqual({ stage: "sourcing", close_reason: null });
    expect(await count("interviews", tenant, sql`application_id = 'app-sofia-frontend'`)).toBe(0);
  });

  it("job postings are an admin's: a recruiter may not open one, an admin may", async () => {
    const job = { title: "QA Engineer", department: "Engineering", location: "Berlin", mustHaveSkills: ["testing", "Playwright"], salaryMin: 50000, salaryMax: 60000, currency: "EUR", hiringManager: "Dana Whitfield" };
    expect((await refusal(actions().createJob(job, as("recruiter", tenant))))).toMatchObject({ code: "forbidden" });
    const created = (await actions().createJob(job, as("admin", tenant, "create-qa"))) as any;
    expect(created).toMatchObject({ status: "open", mustHaveSkills: ["testing", "playwright"], salaryBand: { min: 50000, max: 60000, currency: "EUR" } });
    const again = (await actions().createJob(job, as("admin", tenant, "create-qa"))) as any;
    expect(again).toMatchObject({ jobId: created.jobId, replayed: true });
    expect(await count("jobs", tenant, sql`title = 'QA Engineer'`)).toBe(1);
  });
});

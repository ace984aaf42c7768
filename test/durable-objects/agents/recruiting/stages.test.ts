import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { RecruitingError } from "../../../../durable-objects/agents/recruiting/errors";
import { actions, application, as, count, future, seededTenant } from "../../../helpers/recruiting";

async function refusal(promise: Promise<unknown>): Promise<RecruitingError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof RecruitingError)) throw new Error(`expected a RecruitingError, got ${String(error)}`);
  return error;
}

describe("the stages' conditions, enforced by the actions over Postgres", () => {
  let tenant: string;
  beforeAll(async () => {
    tenant = await seededTenant();
  });

  it("a whole hire: screen (pass) → schedule → offer → hired, each step changing the demo data", async () => {
    const recruiter = (key: string) => as("recruiter", tenant, key);
    const screened = (await actions().screenCandidate({ applicationId: "app-priya-backend", verdict: "pass", notes: "Go payments services; sharded Postgres." }, recruiter("k-screen"))) as any;
    expect(screened).toMatchObject({ verdict: "pass", stage: "scheduling" });
    expect(await application(tenant, "app-priya-backend")).toEqual({ stage: "scheduling", close_reason: null });
    expect(await refusal(actions().makeOffer({ applicationId: "app-priya-backend", baseSalary: 95000, currency: "EUR", startDate: "2031-03-01" }, recruiter("k-early")))).toMatchObject({ code: "stage" });
    const booked = (await actions().scheduleInterview({ applicationId: "app-priya-backend", interviewer: "Felix Braun", kind: "technical", startsAt: future(10, 9), durationMinutes: 60 }, recruiter("k-book"))) as any;
    expect(booked).toMatchObject({ interviewer: "Felix Braun", status: "scheduled" });
    const offered = (await actions().makeOffer({ applicationId: "app-priya-backend", baseSalary: 98000, currency: "EUR", startDate: "2031-03-01" }, recruiter("k-offer"))) as any;
    expect(offered).toMatchObject({ status: "extended", stage: "offer" });
    const hired = (await actions().moveStage({ applicationId: "app-priya-backend", to: "close", reason: "hired" }, recruiter("k-hire"))) as any;
    expect(hired).toMatchObject({ from: "offer", stage: "close", offer: "accepted" });
    expect(await application(tenant, "app-priya-backend")).toEqual({ stage: "close", close_reason: "hired" });
    expect(await count("offers", tenant, sql`application_id = 'app-priya-backend' AND status = 'accepted'`)).toBe(1);
    expect(await count("stage_changes", tenant, sql`application_id = 'app-priya-backend' AND actor = 'recruiter-tester'`)).toBe(3);
    // Closed is final.
    expect(await refusal(actions().rejectCandidate({ applicationId: "app-priya-backend", reason: "withdrawn" }, recruiter("k-after")))).toMatchObject({ code: "stage" });
  });

  it("stages move forward one at a time, and only when their condition holds", async () => {
    const r = (key: string) => as("recruiter", tenant, key);
    // Liam has no email: sourcing cannot hand him to screening.
    const noEmail = await refusal(actions().moveStage({ applicationId: "app-liam-backend", to: "screening", reason: "sourced" }, r("m1")));
    expect(noEmail.message).toMatch(/no email/);
    expect(noEmail.details.allowedMoves).toEqual(["close:rejected_screen", "close:withdrawn"]);
    expect(await refusal(actions().moveStage({ applicationId: "app-tomas-backend", to: "offer", reason: "skip" }, r("m2")))).toMatchObject({ code: "stage" });
    expect(await refusal(actions().moveStage({ applicationId: "app-mei-backend", to: "screening", reason: "back" }, r("m3")))).toMatchObject({ code: "stage" });
    // Screening needs the screening stage, and a pass needs every must-have.
    expect(await refusal(actions().screenCandidate({ applicationId: "app-tomas-backend", verdict: "pass", notes: "x" }, r("m4")))).toMatchObject({ code: "stage" });
    const hana = await refusal(actions().screenCandidate({ applicationId: "app-hana-backend", verdict: "pass", notes: "x" }, r("m5")));
    expect(hana).toMatchObject({ code: "invalid", details: { missingSkills: ["distributed-systems"] } });
    expect(await application(tenant, "app-hana-backend")).toEqual({ stage: "screening", close_reason: null });
    // What is allowed goes through.
    expect(await actions().moveStage({ applicationId: "app-tomas-backend", to: "screening", reason: "sourced" }, r("m6"))).toMatchObject({ stage: "screening" });
    expect(await actions().screenCandidate({ applicationId: "app-hana-backend", verdict: "fail", notes: "No distributed systems work." }, r("m7"))).toMatchObject({ stage: "close", closeReason: "rejected_screen" });
    expect(await application(tenant, "app-hana-backend")).toEqual({ stage: "close", close_reason: "rejected_screen" });
  });

  it("interviews never double-book the interviewer or the candidate, nor start in the past", async () => {
    const r = (key: string) => as("recruiter", tenant, key);
    const meiSlot = (await actions().getCandidate({ candidateId: "cand-mei" }, r("read")) as any).applications[0].interviews[0];
    const clash = await refusal(actions().scheduleInterview({ applicationId: "app-sofia-frontend", interviewer: meiSlot.interviewer, kind: "technical", startsAt: meiSlot.startsAt, durationMinutes: 30 }, r("i1")));
    expect(clash).toMatchObject({ code: "conflict" });
    expect(clash.message).toMatch(/Dana Whitfield already has an interview/);
    const past = await refusal(actions().scheduleInterview({ applicationId: "app-sofia-frontend", interviewer: "Sam Okafor", kind: "technical", startsAt: "2020-01-06T10:00:00Z", durationMinutes: 60 }, r("i2")));
    expect(past).toMatchObject({ code: "invalid" });
    expect(await count("interviews", tenant, sql`application_id = 'app-sofia-frontend'`)).toBe(0);
    expect(await refusal(actions().scheduleInterview({ applicationId: "app-arjun-frontend", interviewer: "Sam Okafor", kind: "phone", startsAt: future(12, 9), durationMinutes: 30 }, r("i3")))).toMatchObject({ code: "stage" });
  });

  it("a repeated call with the same idempotency key returns the first result and books nothing twice", async () => {
    const call = () => actions().scheduleInterview({ applicationId: "app-sofia-frontend", interviewer: "Sam Okafor", kind: "technical", startsAt: future(14, 13), durationMinutes: 60 }, as("recruiter", tenant, "task-1/3/call-7"));
    const first = (await call()) as any;
    const second = (await call()) as any;
    expect(second).toMatchObject({ interviewId: first.interviewId, replayed: true });
    expect(first.replayed).toBeUndefined();
    expect(await count("interviews", tenant, sql`application_id = 'app-sofia-frontend'`)).toBe(1);
    const move = () => actions().moveStage({ applicationId: "app-sofia-frontend", to: "offer", reason: "loop_complete" }, as("recruiter", tenant, "task-1/4/call-8"));
    expect(await move()).toMatchObject({ stage: "offer" });
    expect(await move()).toMatchObject({ stage: "offer", replayed: true });
    expect(await count("stage_changes", tenant, sql`application_id = 'app-sofia-frontend' AND to_stage = 'offer'`)).toBe(1);
  });

  it("offers stay inside the job's band and currency unless an admin makes them", async () => {
    const offer = { applicationId: "app-marta-data", baseSalary: 65000, currency: "GBP", startDate: "2031-01-15" };
    expect(await refusal(actions().makeOffer(offer, as("recruiter", tenant, "o1")))).toMatchObject({ code: "forbidden", details: { salaryBand: { min: 45000, max: 60000, currency: "GBP" } } });
    expect(await refusal(actions().makeOffer({ ...offer, baseSalary: 55000, currency: "EUR" }, as("recruiter", tenant, "o2")))).toMatchObject({ code: "invalid" });
    expect(await application(tenant, "app-marta-data")).toEqual({ stage: "scheduling", close_reason: null });
    expect(await actions().makeOffer(offer, as("admin", tenant, "o3"))).toMatchObject({ baseSalary: 65000, stage: "offer" });
  });

  it("closing a job is refused while an offer waits, and otherwise closes its open applications", async () => {
    const fresh = await seededTenant();
    const admin = (key: string) => as("admin", fresh, key);
    expect(await refusal(actions().closeJob({ jobId: "job-backend", reason: "filled" }, admin("c1")))).toMatchObject({ code: "stage" });
    expect(await refusal(actions().closeJob({ jobId: "job-data", reason: "cancelled" }, as("hiring-manager", fresh, "c2")))).toMatchObject({ code: "forbidden" });
    // job-data holds Lea (screening) and Marta (scheduling, an interview ahead) open; David and Kwame are closed.
    const closed = (await actions().closeJob({ jobId: "job-data", reason: "cancelled" }, admin("c3"))) as any;
    expect(closed).toMatchObject({ status: "closed", closeReason: "cancelled", closedApplications: 2 });
    expect(await application(fresh, "app-lea-data")).toEqual({ stage: "close", close_reason: "job_closed" });
    expect(await application(fresh, "app-kwame-data")).toEqual({ stage: "close", close_reason: "withdrawn" });
    expect(await count("interviews", fresh, sql`application_id = 'app-marta-data' AND status = 'cancelled'`)).toBe(1);
    expect(await actions().closeJob({ jobId: "job-data", reason: "cancelled" }, admin("c3"))).toMatchObject({ replayed: true, closedApplications: 2 });
    expect(await refusal(actions().closeJob({ jobId: "job-data", reason: "cancelled" }, admin("c4")))).toMatchObject({ code: "stage" });
    expect(await refusal(actions().sourceCandidate({ jobId: "job-data", candidateId: "cand-kwame" }, as("recruiter", fresh, "c5")))).toMatchObject({ code: "stage" });
  });

  it("sourcing opens one application per candidate and job; a closed one may be followed by a new one", async () => {
    const r = (key: string) => as("recruiter", tenant, key);
    expect(await refusal(actions().sourceCandidate({ jobId: "job-frontend", candidateId: "cand-ana" }, r("s1")))).toMatchObject({ code: "conflict", details: { applicationId: "app-ana-frontend" } });
    const again = (await actions().sourceCandidate({ jobId: "job-frontend", candidateId: "cand-emma" }, r("s2"))) as any;
    expect(again).toMatchObject({ stage: "sourcing", candidateId: "cand-emma" });
    expect(again.applicationId).not.toBe("app-emma-frontend");
    expect(await count("applications", tenant, sql`candidate_id = 'cand-emma' AND job_id = 'job-frontend'`)).toBe(2);
  });

  it("pipeline numbers count what Postgres holds, per job", async () => {
    const other = await seededTenant();
    const stats = (await actions().pipelineStats({ jobId: "job-backend" }, as("viewer", other))) as any;
    expect(stats.jobs[0]).toMatchObject({
      jobId: "job-backend",
      applications: 7,
      open: { sourcing: 2, screening: 2, scheduling: 1, offer: 1 },
      closed: { rejected_screen: 1 },
      upcomingInterviews: 1,
      openOffers: 1,
    });
    expect(stats.jobs[0].reached.screening).toBeCloseTo(5 / 7, 2);
    // Each tenant sees its own pipeline only.
    expect(await refusal(actions().pipelineStats({ jobId: "job-backend" }, as("viewer", "t-empty-tenant")))).toMatchObject({ code: "not_found" });
  });
});

import { describe, expect, it } from "vitest";
import type { Task } from "../../../schema/a2a";
import { worker } from "../../helpers/a2a";
import { callTools, say, script, type RecordedRequest } from "../../helpers/model-script";
import { ORCHESTRATOR } from "../../helpers/orchestrator";
import { application, count, future, seededTenant } from "../../helpers/recruiting";
import { skillNamed } from "../../../durable-objects/agents/orchestrator/prompt/skills";
import { sql } from "drizzle-orm";

/** One conversation with the orchestrator as one person with one role, in a tenant of its own. */
function conversation(role: string, tenant: string) {
  const contextId = `ctx-${crypto.randomUUID()}`;
  const claims = { sub: `${role}-e2e`, role, tenant };
  return async (text: string): Promise<Task> => {
    const response = await worker(
      `${ORCHESTRATOR}/a2a/jsonrpc`,
      {
        method: "POST",
        headers: { "Content-Type": "application/json", "A2A-Version": "1.0" },
        body: JSON.stringify({
          jsonrpc: "2.0", id: 1, method: "SendMessage",
          params: { message: { messageId: `m-${crypto.randomUUID()}`, role: "ROLE_USER", contextId, parts: [{ text }] } },
        }),
      },
      { claims },
    );
    const body = (await response.json()) as { result?: { task: Task }; error?: { message: string } };
    if (!body.result) throw new Error(`SendMessage failed: ${body.error?.message}`);
    return body.result.task;
  };
}

const orchestration = (task: Task) => (task.metadata as any).orchestration;
const toolNames = (request: RecordedRequest) => request.body.tools.map((t: any) => t.function.name) as string[];
const systemOf = (request: RecordedRequest) => request.body.messages[0].content as string;
const bodyMarker = (name: string) => skillNamed(name)!.body.split("\n")[0]!;
const toolResults = (task: Task) => (task.history ?? []).flatMap((m) => m.parts.flatMap((p) => ((p.data as any)?.toolResult ? [(p.data as any).toolResult] : [])));

describe("a recruiter's conversation through the real loop: find → screen → schedule → offer", () => {
  it("routes each message to its skill with its tools, and changes the demo data in Postgres", async () => {
    const tenant = await seededTenant();
    const startsAt = future(9, 10);
    const s = await script([
      callTools([{ name: "search_candidates", arguments: { jobId: "job-backend" } }]),
      say("Priya Raman (8 years, every must-have) is in screening."),
      callTools([{ name: "screen_candidate", arguments: { applicationId: "app-priya-backend", verdict: "pass", notes: "Go payment services, sharded Postgres." } }]),
      say("Recorded a pass: Priya is in scheduling."),
      callTools([{ name: "schedule_interview", arguments: { applicationId: "app-priya-backend", interviewer: "Dana Whitfield", kind: "technical", startsAt, durationMinutes: 60 } }]),
      say("Booked: technical interview with Dana Whitfield."),
      callTools([{ name: "read_skill_resource", arguments: { path: "references/COMPENSATION.md" } }]),
      callTools([{ name: "make_offer", arguments: { applicationId: "app-priya-backend", baseSalary: 98000, currency: "EUR", startDate: "2031-03-01" } }]),
      say("Offer made: 98,000 EUR from 1 March 2031."),
    ]);
    const send = conversation("recruiter", tenant);

    // The script's marker alone is out of scope: the capability answer, without a model call.
    const hello = await send(s.marker);
    expect(hello.status.state).toBe("TASK_STATE_COMPLETED");
    expect(hello.status.message?.parts[0]?.text).toMatch(/As recruiter, you can ask me about:[\s\S]*Candidate search/);
    expect(orchestration(hello)).toMatchObject({ role: "recruiter", skill: null, intent: { skill: "none", source: "offline" }, stopReason: "out-of-scope" });
    expect(await s.requests()).toHaveLength(0);

    const found = await send("Find candidates for the Berlin backend role");
    expect(found.status.state).toBe("TASK_STATE_COMPLETED");
    expect(orchestration(found)).toMatchObject({ role: "recruiter", skill: "candidate-search", intent: { skill: "candidate-search", shift: false } });
    expect(Object.keys(orchestration(found).usage.byLevel).sort()).toEqual(["catalog", "history", "message", "resources", "skill", "tools"]);
    const [search] = toolResults(found);
    expect(search.value.candidates.slice(0, 4).map((c: any) => c.candidateId)).toContain("cand-priya");

    const screened = await send("Screen Priya Raman for it: she passed the phone screen, strong Go and Postgres work");
    expect(orchestration(screened)).toMatchObject({ skill: "screening", intent: { skill: "screening", shift: true } });
    expect(await application(tenant, "app-priya-backend")).toEqual({ stage: "scheduling", close_reason: null });

    const booked = await send("Book her technical interview with Dana Whitfield next Tuesday at 10:00");
    expect(orchestration(booked)).toMatchObject({ skill: "interview-scheduling", intent: { skill: "interview-scheduling", shift: true } });
    expect(await count("interviews", tenant, sql`application_id = 'app-priya-backend' AND interviewer = 'Dana Whitfield' AND status = 'scheduled'`)).toBe(1);

    const offered = await send("Make her an offer: 98,000 EUR base, starting 2031-03-01");
    expect(offered.status.state).toBe("TASK_STATE_COMPLETED");
    expect(orchestration(offered)).toMatchObject({ skill: "offer", intent: { skill: "offer", shift: true } });
    expect(await application(tenant, "app-priya-backend")).toEqual({ stage: "offer", close_reason: null });
    expect(await count("offers", tenant, sql`application_id = 'app-priya-backend' AND base_salary = 98000 AND status = 'extended'`)).toBe(1);

    // What the model saw at each step: the active skill's body and tools only; tier 3 only after it was read.
    const requests = await s.requests();
    expect(requests).toHaveLength(9);
    const expectations: Array<[number, string, string, string]> = [
      [0, "candidate-search", "search_candidates", "screen_candidate"],
      [2, "screening", "screen_candidate", "search_candidates"],
      [4, "interview-scheduling", "schedule_interview", "make_offer"],
      [6, "offer", "make_offer", "schedule_interview"],
    ];
    for (const [at, skill, has, hasNot] of expectations) {
      const request = requests[at]!;
      expect(systemOf(request)).toContain(bodyMarker(skill));
      for (const other of ["candidate-search", "screening", "interview-scheduling", "offer"].filter((n) => n !== skill)) expect(systemOf(request)).not.toContain(bodyMarker(other));
      expect(toolNames(request)).toContain(has);
      expect(toolNames(request)).not.toContain(hasNot);
      expect(systemOf(request)).not.toContain("<name>job-postings</name>");
    }
    const compensation = skillNamed("offer")!.resources[0]!.text.slice(0, 120);
    expect(systemOf(requests[6]!)).not.toContain(compensation);
    expect(systemOf(requests[7]!)).toContain(compensation);
    // Each turn sees the conversation so far (the marker's message included), from Postgres.
    expect(requests[8]!.body.messages.filter((m: any) => m.role === "user").length).toBe(5);
  });
});

describe("a viewer's conversation through the real loop", () => {
  it("a forged call to a write tool is refused as a tool error, and activate_skill switches skills mid-run", async () => {
    const tenant = await seededTenant();
    const s = await script([
      callTools([{ name: "move_stage", arguments: { applicationId: "app-tomas-backend", to: "screening", reason: "sourced" } }]),
      callTools([{ name: "activate_skill", arguments: { name: "pipeline-analytics" } }]),
      callTools([{ name: "pipeline_stats", arguments: { jobId: "job-backend" } }]),
      say("Tomás is in sourcing; I can't move candidates. The backend job has 7 applications."),
    ]);
    const send = conversation("viewer", tenant);
    await send(s.marker);
    const task = await send("What stage is Tomás in for the backend job? Move him to screening.");
    expect(task.status.state).toBe("TASK_STATE_COMPLETED");
    const [refused, activated, stats] = toolResults(task);
    expect(refused).toMatchObject({ name: "move_stage", isError: true, value: { error: expect.stringMatching(/No tool named move_stage is available/) } });
    expect(await application(tenant, "app-tomas-backend")).toEqual({ stage: "sourcing", close_reason: null });
    expect(activated).toMatchObject({ name: "activate_skill", value: { activated: "pipeline-analytics" } });
    expect(stats).toMatchObject({ name: "pipeline_stats", value: { jobs: [{ jobId: "job-backend", applications: 7 }] } });
    expect(orchestration(task)).toMatchObject({ role: "viewer", skill: "pipeline-analytics", intent: { skill: "recruiting-workflow" } });
    const requests = await s.requests();
    for (const request of requests) {
      expect(toolNames(request).filter((name) => ["move_stage", "reject_candidate", "screen_candidate", "source_candidate", "create_job", "close_job"].includes(name))).toEqual([]);
      expect(systemOf(request)).not.toContain("job-postings");
    }
    expect(systemOf(requests[0]!)).toContain(bodyMarker("recruiting-workflow"));
    expect(toolNames(requests[0]!)).not.toContain("pipeline_stats");
    expect(systemOf(requests[2]!)).toContain(bodyMarker("pipeline-analytics"));
    expect(toolNames(requests[2]!)).toContain("pipeline_stats");
  });
});

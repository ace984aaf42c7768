import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { recruitingTools, RECRUITING_WRITE_TOOLS } from "../../../../../durable-objects/agents/orchestrator/tools/recruiting";
import { TOOL_NAME, type Tool } from "../../../../../durable-objects/agents/orchestrator/tools/tool";
import { toolContext } from "../../../../helpers/tools";
import { application, seededTenant } from "../../../../helpers/recruiting";

const tools = new Map(recruitingTools().map((tool) => [tool.name, tool]));
const tool = (name: string): Tool => tools.get(name)!;
const call = (name: string, args: unknown, ctx = toolContext()) => tool(name).execute(tool(name).input.parse(args), ctx);

describe("recruiting tools (the Tool contract over the recruiting actions)", () => {
  let tenant: string;
  beforeAll(async () => {
    tenant = await seededTenant();
  });

  it("declare truthfully what they change: writes have side effects and honour the idempotency key", () => {
    for (const t of tools.values()) {
      expect(t.name).toMatch(TOOL_NAME);
      expect(t.sideEffects).toBe(RECRUITING_WRITE_TOOLS.includes(t.name));
      expect(t.idempotent ?? false).toBe(t.sideEffects);
      expect(z.toJSONSchema(t.input, { io: "input" })).toMatchObject({ type: "object" });
    }
    expect(RECRUITING_WRITE_TOOLS.sort()).toEqual(["close_job", "create_job", "make_offer", "move_stage", "reject_candidate", "schedule_interview", "screen_candidate", "source_candidate"]);
  });

  it("act for the run's caller: their tenant, their role, and the call's idempotency key", async () => {
    const key = `task-x/2/call-${crypto.randomUUID()}`;
    const ctx = toolContext({ role: "recruiter", tenant, owner: "rita", idempotencyKey: key });
    const first = await call("move_stage", { applicationId: "app-tomas-backend", to: "screening", reason: "sourced" }, ctx);
    expect(first).toEqual({ kind: "result", value: { applicationId: "app-tomas-backend", from: "sourcing", stage: "screening", reason: "sourced" } });
    // A resumed run repeats the call with the same key: the first result comes back, nothing moves twice. Through
    // the CRM agent the repeat follows the child task the first call made, so it is the first result itself.
    expect(await call("move_stage", { applicationId: "app-tomas-backend", to: "screening", reason: "sourced" }, ctx)).toEqual(first);
    expect(await application(tenant, "app-tomas-backend")).toEqual({ stage: "screening", close_reason: null });
  });

  it("a refusal goes back to the model as a tool error with a code, never as an exception", async () => {
    const viewer = toolContext({ role: "viewer", tenant });
    expect(await call("move_stage", { applicationId: "app-ana-frontend", to: "screening", reason: "sourced" }, viewer)).toMatchObject({
      kind: "result", isError: true, value: { code: "forbidden", error: expect.stringMatching(/viewer role may not/) },
    });
    expect(await application(tenant, "app-ana-frontend")).toEqual({ stage: "sourcing", close_reason: null });
    // Each call gets its own idempotency key, as the loop gives it: the same key is the same call.
    const recruiter = () => toolContext({ role: "recruiter", tenant });
    expect(await call("screen_candidate", { applicationId: "app-ana-frontend", verdict: "pass", notes: "x" }, recruiter())).toMatchObject({ isError: true, value: { code: "stage" } });
    expect(await call("get_candidate", { candidateId: "cand-unknown" }, recruiter())).toMatchObject({ isError: true, value: { code: "not_found" } });
    // Schema-valid but semantically wrong input is refused by the action's own validation too.
    expect(await tool("create_job").execute({ title: "X" } as never, toolContext({ role: "admin", tenant }))).toMatchObject({ isError: true, value: { code: "invalid" } });
  });

  it("without a database the tools say so instead of failing the run", async () => {
    const noDb = toolContext({ env: { ...env, DATABASE_URL: undefined } as Env });
    expect(await call("list_jobs", {}, noDb)).toMatchObject({ isError: true, value: { error: expect.stringMatching(/not configured/) } });
  });
});

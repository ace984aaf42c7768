import type { ModelMessage } from "ai";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { modelFor, type ToolSpec } from "../../durable-objects/agents/models";
import { describe, expect, it } from "vitest";
import type { Task } from "../../schema/a2a";
import { delegateChild, derivedId } from "../../durable-objects/agents/orchestrator/tools/delegate-call";
import { recruitingTools } from "../../durable-objects/agents/orchestrator/tools/recruiting";
import { ORIGIN, worker } from "../helpers/a2a";
import { callTools, say, script } from "../helpers/model-script";
import { ORCHESTRATOR } from "../helpers/orchestrator";
import { application, count, db, seededTenant } from "../helpers/recruiting";
import { cardUrlOf, register, statsOf, toolContext, uniqueId } from "../helpers/registry";
import { readSse } from "../helpers/sse";

const CRM = `${ORIGIN}/agents/recruiting-crm`;
const HEADERS = { "Content-Type": "application/json", "A2A-Version": "1.0" };
const MOVE = { applicationId: "app-tomas-backend", to: "screening", reason: "sourced" };

async function rpc(base: string, method: string, params: unknown, claims: Record<string, unknown>) {
  const response = await worker(`${base}/a2a/jsonrpc`, { method: "POST", headers: HEADERS, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) }, { claims });
  return (await response.json()) as { result?: any; error?: { code: number; message: string } };
}

const delegationOf = (result: any) => (result.statusUpdate?.status.message?.metadata ?? result.artifactUpdate?.artifact.metadata)?.delegation;
const toolResults = (task: Task) => (task.history ?? []).flatMap((m) => m.parts.flatMap((p) => ((p.data as any)?.toolResult ? [(p.data as any).toolResult] : [])));

describe("orchestrator → A2A → recruiting CRM agent", () => {
  it("a recruiting tool's call is a CRM child task: referenceTaskIds = the parent, shown in the parent's stream, one write as the user", async () => {
    const tenant = await seededTenant();
    const claims = { sub: "rita-chain", role: "recruiter", tenant };
    const s = await script([callTools([{ name: "move_stage", arguments: MOVE }]), say("Tomás is in screening now.")]);
    const response = await worker(
      `${ORCHESTRATOR}/a2a/jsonrpc`,
      {
        method: "POST",
        headers: HEADERS,
        body: JSON.stringify({
          jsonrpc: "2.0", id: 1, method: "SendStreamingMessage",
          params: { message: { messageId: `m-${crypto.randomUUID()}`, role: "ROLE_USER", parts: [{ text: `${s.marker} Move Tomás Novak to screening for the backend job` }] } },
        }),
      },
      { claims },
    );
    const results = (await readSse(response, { timeoutMs: 20_000 })).events.map((e) => e.data.result);
    const parentId = results[0].task.id as string;

    // The child's events came through the parent's stream, marked with the CRM and its task.
    const child = results.filter((r) => delegationOf(r)?.agentId === "recruiting-crm");
    expect(child.length).toBeGreaterThan(0);
    const childTaskId = delegationOf(child[0]).taskId as string;
    expect(child.every((r) => delegationOf(r).taskId === childTaskId)).toBe(true);
    const artifact = child.find((r) => r.artifactUpdate)?.artifactUpdate.artifact;
    expect(artifact.artifactId).toBe(`${childTaskId}/result`);
    expect(artifact.parts[0].data.result).toMatchObject({ applicationId: "app-tomas-backend", stage: "screening" });

    // The parent finished, and the model got the action's result as before the hop.
    const parent = (await rpc(ORCHESTRATOR, "GetTask", { id: parentId }, claims)).result as Task;
    expect(parent.status.state).toBe("TASK_STATE_COMPLETED");
    expect(toolResults(parent)).toEqual([expect.objectContaining({ name: "move_stage", value: { applicationId: "app-tomas-backend", from: "sourcing", stage: "screening", reason: "sourced" } })]);
    expect((await s.requests())[0]!.body.tools.map((t: any) => t.function.name)).not.toContain("send_to_agent");

    // The child is the user's own task on the CRM (the platform's JWT named them), pointing at its parent.
    const got = await rpc(CRM, "GetTask", { id: childTaskId }, claims);
    expect(got.result.status.state).toBe("TASK_STATE_COMPLETED");
    expect(got.result.history[0].referenceTaskIds).toEqual([parentId]);
    expect(got.result.history[0].metadata.delegation).toMatchObject({ parentTaskId: parentId });
    expect(got.result.history[0].parts[0].data).toEqual({ action: "move_stage", input: MOVE });
    expect((await rpc(CRM, "GetTask", { id: childTaskId }, { sub: "someone-else", role: "recruiter", tenant })).error?.message).toMatch(/not found/i);

    // One write, made by the user in their tenant.
    expect(await application(tenant, "app-tomas-backend")).toEqual({ stage: "screening", close_reason: null });
    expect(await count("stage_changes", tenant, sql`application_id = 'app-tomas-backend' AND to_stage = 'screening'`)).toBe(1);
    expect(await count("stage_changes", tenant, sql`application_id = 'app-tomas-backend' AND to_stage = 'screening' AND actor = 'rita-chain'`)).toBe(1);
  });

  it("a resumed parent re-sending the write does not act twice, even when its record of the child was lost", async () => {
    const tenant = await seededTenant();
    const moveStage = recruitingTools().find((t) => t.name === "move_stage")!;
    // One call of a run, attempted again after a restart: the same task, the same idempotency key.
    const { ctx, emitted } = toolContext({ role: "recruiter", tenant, owner: "rita-resumed" });
    const first = await moveStage.execute(MOVE, ctx);
    expect(first).toEqual({ kind: "result", value: { applicationId: "app-tomas-backend", from: "sourcing", stage: "screening", reason: "sourced" } });
    // The run stopped before it recorded the child: the re-sent message is all that identifies the call.
    await db().execute(sql`DELETE FROM registry_delegations WHERE idempotency_key = ${ctx.idempotencyKey}`);
    const again = await moveStage.execute(MOVE, ctx);
    expect(again).toEqual(first);
    expect(await count("stage_changes", tenant, sql`application_id = 'app-tomas-backend' AND to_stage = 'screening'`)).toBe(1);
    // Both attempts met the same CRM task.
    const children = new Set(emitted.map((e) => (e.kind === "status" ? e.metadata : e.artifact.metadata)?.delegation).map((d: any) => d?.taskId));
    expect(children.size).toBe(1);
  });

  it("a refused write comes back to the model as the CRM's code: the recruiting system checks the role behind the tools", async () => {
    const tenant = await seededTenant();
    const moveStage = recruitingTools().find((t) => t.name === "move_stage")!;
    const { ctx } = toolContext({ role: "viewer", tenant, owner: "vera-chain" });
    expect(await moveStage.execute(MOVE, ctx)).toMatchObject({ kind: "result", isError: true, value: { code: "forbidden", error: expect.stringMatching(/viewer role may not/) } });
    expect(await application(tenant, "app-tomas-backend")).toEqual({ stage: "sourcing", close_reason: null });
  });
});

describe("an agent that acts for the caller must learn who the caller is", () => {
  it("delegation onBehalf is refused, without a request, when the entry's credentials do not name the caller", async () => {
    const id = uniqueId("unnamed");
    await register({ id, replicas: [cardUrlOf("alpha")] });
    const { ctx } = toolContext({ role: "recruiter" });
    const outcome = await delegateChild(ctx, { agentId: id, parts: [{ text: "act for me" }], messageId: await derivedId(ctx.idempotencyKey), key: ctx.idempotencyKey, onBehalf: true });
    expect(outcome).toMatchObject({ ok: false, outcome: { isError: true, value: { error: expect.stringMatching(/do not name them: set SIGNING_KEYS/) } } });
    expect((await statsOf("alpha")).messages.filter((m) => m.referenceTaskIds.includes(ctx.taskId))).toEqual([]);
  });
});

describe("the offline model's demo question, through the CRM", () => {
  it('"show candidates for the backend engineer job": list_jobs, search_candidates with the job it names, the ranking', async () => {
    const tenant = await seededTenant();
    const tools = recruitingTools();
    const specs: ToolSpec[] = tools.map((t) => ({ name: t.name, description: t.description, inputSchema: z.toJSONSchema(t.input, { io: "input" }) as ToolSpec["inputSchema"] }));
    const model = modelFor({});
    const messages: ModelMessage[] = [{ role: "user", content: "show candidates for the backend engineer job" }];
    const calls: Array<{ name: string; input: unknown }> = [];
    let answer = "";
    for (let step = 0; step < 4 && !answer; step++) {
      const result = await model.step({ system: "", messages, tools: specs, signal: new AbortController().signal, onTextDelta: () => {} });
      if (result.toolCalls.length === 0) answer = result.text;
      for (const call of result.toolCalls) {
        calls.push({ name: call.name, input: call.input });
        const tool = tools.find((t) => t.name === call.name)!;
        const { ctx } = toolContext({ role: "viewer", tenant });
        const outcome = await tool.execute(tool.input.parse(call.input), ctx);
        expect(outcome).toMatchObject({ kind: "result" });
        expect((outcome as { isError?: boolean }).isError).toBeFalsy();
        messages.push({ role: "assistant", content: [{ type: "tool-call", toolCallId: call.id, toolName: call.name, input: call.input }] });
        messages.push({ role: "tool", content: [{ type: "tool-result", toolCallId: call.id, toolName: call.name, output: { type: "json", value: (outcome as unknown as { value: never }).value } }] });
      }
    }
    expect(calls).toEqual([
      { name: "list_jobs", input: {} },
      { name: "search_candidates", input: { jobId: "job-backend" } },
    ]);
    expect(answer).toMatch(/The best candidates for Senior Backend Engineer \(job-backend\): Omar Haddad \(score \d+, every must-have, in offer\); Priya Raman/);
  });
});

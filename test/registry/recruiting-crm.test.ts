import { Message as SdkMessage, Task as SdkTask } from "@a2a-js/sdk";
import { ClientFactory, DefaultAgentCardResolver, JsonRpcTransportFactory, RestTransportFactory, type Client } from "@a2a-js/sdk/client";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Task } from "../../schema/a2a";
import { ORIGIN, worker } from "../helpers/a2a";
import { application, count, seededTenant } from "../helpers/recruiting";

const CRM = `${ORIGIN}/agents/recruiting-crm`;

/** The official SDK client for the CRM agent, discovered from its card, acting as `claims` (a user's JWT). */
async function clientAs(claims: Record<string, unknown>, binding: "JSONRPC" | "HTTP+JSON" = "JSONRPC"): Promise<Client> {
  const fetchImpl = ((input: RequestInfo | URL, init?: RequestInit) => worker(new Request(input, init), undefined, { claims })) as typeof fetch;
  const factory = new ClientFactory({
    transports: [new JsonRpcTransportFactory({ fetchImpl }), new RestTransportFactory({ fetchImpl })],
    cardResolver: new DefaultAgentCardResolver({ fetchImpl }),
    preferredTransports: [binding],
  });
  return factory.createFromUrl(`${CRM}/`);
}

/** Sends one message (wire parts) and returns the task in the wire (ProtoJSON) form. */
async function ask(client: Client, parts: unknown[], messageId = `m-${crypto.randomUUID()}`): Promise<Task> {
  const message = SdkMessage.fromJSON({ messageId, role: "ROLE_USER", parts });
  const answer = await client.sendMessage({ tenant: "", message, configuration: undefined, metadata: undefined });
  if (!("status" in answer)) throw new Error(`expected a task, got ${JSON.stringify(answer)}`);
  return SdkTask.toJSON(answer) as Task;
}

const request = (action: unknown, input?: unknown) => [{ data: { action, ...(input === undefined ? {} : { input }) }, mediaType: "application/json" }];
const resultOf = (task: Task) => (task.artifacts?.find((a) => a.artifactId === "result")?.parts[0]?.data as { result: any } | undefined)?.result;
const errorOf = (task: Task) => (task.status.message?.parts.find((p) => p.data !== undefined)?.data as { error: { code: string; message: string } } | undefined)?.error;

describe("the recruiting CRM agent over A2A (official @a2a-js/sdk client)", () => {
  let tenant: string;
  beforeAll(async () => {
    tenant = await seededTenant();
  });

  it("serves its own card with its skill, under /agents/recruiting-crm/", async () => {
    const card = (await (await worker(`${CRM}/.well-known/agent-card.json`)).json()) as any;
    expect(card.name).toBe("Recruiting CRM");
    expect(card.skills.map((s: any) => s.id)).toEqual(["recruiting-crm"]);
    expect(card.supportedInterfaces.map((i: any) => i.url)).toContain(`${CRM}/a2a/jsonrpc`);
  });

  it.each(["JSONRPC", "HTTP+JSON"] as const)("a read over %s: list_jobs answers a result artifact and COMPLETED", async (binding) => {
    const client = await clientAs({ sub: "vera-viewer", role: "viewer", tenant }, binding);
    const task = await ask(client, request("list_jobs", {}));
    expect(task.status.state).toBe("TASK_STATE_COMPLETED");
    const result = resultOf(task);
    expect(result.jobs.map((j: any) => j.jobId)).toContain("job-backend");
    expect(result.jobs.every((j: any) => j.status === "open")).toBe(true);
  });

  it("a write runs for the caller its credentials name: tenant, role, and the owner as the actor", async () => {
    const client = await clientAs({ sub: "rita-recruiter", role: "recruiter", tenant });
    const task = await ask(client, request("move_stage", { applicationId: "app-tomas-backend", to: "screening", reason: "sourced" }));
    expect(task.status.state).toBe("TASK_STATE_COMPLETED");
    expect(resultOf(task)).toEqual({ applicationId: "app-tomas-backend", from: "sourcing", stage: "screening", reason: "sourced" });
    expect(await application(tenant, "app-tomas-backend")).toEqual({ stage: "screening", close_reason: null });
    expect(await count("stage_changes", tenant, sql`application_id = 'app-tomas-backend' AND to_stage = 'screening' AND actor = 'rita-recruiter'`)).toBe(1);
  });

  it("the same message re-sent reaches the same task and writes once", async () => {
    const client = await clientAs({ sub: "rita-recruiter", role: "recruiter", tenant });
    const messageId = `m-${crypto.randomUUID()}`;
    const parts = request("reject_candidate", { applicationId: "app-ana-frontend", reason: "withdrawn" });
    const first = await ask(client, parts, messageId);
    const again = await ask(client, parts, messageId);
    expect(first.status.state).toBe("TASK_STATE_COMPLETED");
    expect(again.id).toBe(first.id);
    expect(resultOf(again)).toEqual(resultOf(first));
    expect(await count("stage_changes", tenant, sql`application_id = 'app-ana-frontend' AND to_stage = 'close'`)).toBe(1);
  });

  it("a write the caller's role may not make is FAILED with {error: {code: forbidden}} and changes nothing", async () => {
    const client = await clientAs({ sub: "vera-viewer", role: "viewer", tenant });
    const before = await application(tenant, "app-marta-data");
    const task = await ask(client, request("move_stage", { applicationId: "app-marta-data", to: "screening", reason: "sourced" }));
    expect(task.status.state).toBe("TASK_STATE_FAILED");
    expect(errorOf(task)).toMatchObject({ code: "forbidden", message: expect.stringMatching(/viewer role may not/) });
    expect(task.artifacts ?? []).toEqual([]);
    expect(await application(tenant, "app-marta-data")).toEqual(before);
  });

  it.each([
    ["no data part", [{ text: "move Tomás to screening" }], /No data part/],
    ["two data parts", [...request("list_jobs", {}), ...request("list_jobs", {})], /More than one data part/],
    ["a data part that is not a request", [{ data: [1, 2, 3] }], /not a request/],
    ["an unknown action", request("drop_tables", {}), /Unknown action "drop_tables"/],
    ["input the action's schema refuses", request("move_stage", { applicationId: "app-tomas-backend", to: "nowhere" }), /Invalid input for move_stage/],
    ["input of the wrong type", request("list_jobs", "open"), /not a request/],
  ])("bad input (%s) is FAILED with {error: {code: invalid}}, never a crash", async (_name, parts, message) => {
    const client = await clientAs({ sub: "rita-recruiter", role: "recruiter", tenant });
    const task = await ask(client, parts);
    expect(task.status.state).toBe("TASK_STATE_FAILED");
    expect(errorOf(task)).toMatchObject({ code: "invalid", message: expect.stringMatching(message) });
    expect(task.status.message?.parts[0]?.text).toBe(errorOf(task)!.message);
  });

  it("a refusal of the recruiting system keeps its code and details: not_found", async () => {
    const client = await clientAs({ sub: "rita-recruiter", role: "recruiter", tenant });
    const task = await ask(client, request("get_candidate", { candidateId: "cand-nobody" }));
    expect(task.status.state).toBe("TASK_STATE_FAILED");
    expect(errorOf(task)).toEqual({ code: "not_found", message: "No candidate cand-nobody", details: { candidateId: "cand-nobody" } });
  });
});

import { describe, expect, it } from "vitest";
import { AgentCardSchema } from "../../schema/a2a";
import { hostedAgent } from "../../durable-objects/agents";
import { ORIGIN, makeMessage, reasonOf, worker } from "../helpers/a2a";

const V1 = { "A2A-Version": "1.0", "Content-Type": "application/json" };

async function call(base: string, method: string, params: unknown) {
  const response = await worker(`${base}/a2a/jsonrpc`, { method: "POST", headers: V1, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  return (await response.json()) as { result?: any; error?: { code: number; data: any[] } };
}

describe("hosted agents under /agents/{id}/", () => {
  it("each hosted agent has its own card whose interfaces live under its path", async () => {
    const response = await worker(`${ORIGIN}/agents/demo/.well-known/agent-card.json`);
    expect(response.status).toBe(200);
    const card = AgentCardSchema.parse(await response.json());
    expect(card.supportedInterfaces.map((face) => face.url)).toEqual([
      `${ORIGIN}/agents/demo/a2a/jsonrpc`,
      `${ORIGIN}/agents/demo/a2a/rest`,
      expect.stringMatching(/\/agents\/demo\/a2a\/ws$/),
      `${ORIGIN}/agents/demo/a2a/jsonrpc`,
      `${ORIGIN}/agents/demo/a2a/rest`,
    ]);
    expect(card.skills.map((skill) => skill.id)).toContain("echo");
  });

  it("the root serves the AGENT variable's agent: a task made at its path is the same task at the root", async () => {
    const sent = await call(`${ORIGIN}/agents/demo`, "SendMessage", { message: makeMessage({}, "via the path") });
    const taskId = sent.result.task.id;
    expect(sent.result.task.status.state).toBe("TASK_STATE_COMPLETED");
    const atRoot = await call(ORIGIN, "GetTask", { id: taskId });
    expect(atRoot.result.id).toBe(taskId);
    const rest = await worker(`${ORIGIN}/agents/demo/a2a/rest/tasks/${taskId}`, { headers: { "A2A-Version": "1.0" } });
    expect(rest.status).toBe(200);
    expect(((await rest.json()) as { id: string }).id).toBe(taskId);
  });

  it("an agent that is not hosted is a 404 on every binding, never another agent", async () => {
    const card = await worker(`${ORIGIN}/agents/nobody/.well-known/agent-card.json`);
    expect(card.status).toBe(404);
    const rpc = await worker(`${ORIGIN}/agents/nobody/a2a/jsonrpc`, { method: "POST", headers: V1, body: "{}" });
    expect(rpc.status).toBe(404);
    const rest = await worker(`${ORIGIN}/agents/nobody/a2a/rest/tasks`, { headers: { "A2A-Version": "1.0" } });
    expect(rest.status).toBe(404);
    expect(reasonOf(((await rest.json()) as { error: { details: any[] } }).error.details)).toBe("ROUTE_NOT_FOUND");
  });

  it("the root document lists the hosted agents' cards", async () => {
    const body = (await (await worker(`${ORIGIN}/`)).json()) as { agents: Array<{ id: string; agentCard: string }> };
    expect(body.agents).toContainEqual({ id: "demo", agentCard: `${ORIGIN}/agents/demo/.well-known/agent-card.json` });
  });
});

describe("the orchestrator's card", () => {
  it("says plainly when the deployment runs the offline model, and not when a model is configured", () => {
    const orchestrator = hostedAgent("orchestrator")!;
    expect(orchestrator.description({} as Env)).toMatch(/offline model/);
    expect(orchestrator.description({ MODEL: "gpt-4.1-mini", OPENAI_API_KEY: "k" } as Env)).not.toMatch(/offline/);
  });
});

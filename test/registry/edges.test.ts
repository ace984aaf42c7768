import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { delegationTool } from "../../durable-objects/agents/orchestrator/tools/delegate";
import { cancelChildren } from "../../durable-objects/agents/orchestrator/tools/delegate-cancel";
import { ttlOf } from "../../workers/registry/card-fetch";
import { acceptCard } from "../../workers/registry/cards";
import { CardRefused } from "../../workers/registry/card-verify";
import { delegationToken } from "../../workers/registry/credentials";
import { SELF_ORIGIN_FALLBACK } from "../../workers/registry/self-origin";
import { listAgents, registryDb } from "../../workers/registry/store";
import { syncRegistry } from "../../workers/registry/sync";
import { eventually, ORIGIN, worker } from "../helpers/a2a";
import { admin, cardUrlOf, register, startAgent, statsOf, stopAgent, toolContext, uniqueId } from "../helpers/registry";

const card = (url: string) => ({
  name: "x",
  description: "x",
  version: "1",
  supportedInterfaces: [{ url, protocolBinding: "JSONRPC", protocolVersion: "1.0" }],
  capabilities: {},
  defaultInputModes: ["text/plain"],
  defaultOutputModes: ["text/plain"],
  skills: [],
});

describe("card caching", () => {
  it("keeps a card for its max-age, within 30 s and a day; no-store and no-cache revalidate soon", () => {
    expect(ttlOf("public, max-age=600")).toBe(600);
    expect(ttlOf("max-age=5")).toBe(30);
    expect(ttlOf("s-maxage=100, max-age=999999")).toBe(86_400);
    expect(ttlOf("no-store")).toBe(30);
    expect(ttlOf("private, no-cache")).toBe(30);
    expect(ttlOf(null)).toBe(300);
  });
});

describe("what a card may say", () => {
  it("refuses a card whose interfaces point where the SSRF guard forbids, or that speaks nothing usable", async () => {
    const accept = (json: Record<string, unknown>) => acceptCard(env, { requireSignature: false }, cardUrlOf("alpha"), json, null, 60);
    await expect(accept(card("http://169.254.169.254/latest"))).rejects.toThrow(/interface URLs are refused/);
    await expect(accept({ ...card("https://agent.example.com/a2a"), supportedInterfaces: [{ url: "agent.example.com:443", protocolBinding: "GRPC", protocolVersion: "1.0" }] })).rejects.toThrow(
      /no JSON-RPC or HTTP\+JSON interface/,
    );
    await expect(accept({ hello: "world" })).rejects.toBeInstanceOf(CardRefused);
    await expect(accept(card("https://agent.example.com/a2a"))).resolves.toMatchObject({ protocolVersions: ["1.0"], signature: "unsigned" });
  });
});

describe("AGENTS configuration", () => {
  it("syncs config entries in and out, configures hosted agents, and leaves admin entries alone", async () => {
    const fromConfig = uniqueId("cfg");
    const fromAdmin = uniqueId("adm");
    await register({ id: fromAdmin, replicas: [cardUrlOf("alpha")] });
    const configured = { ...env, AGENTS: JSON.stringify([{ id: fromConfig, replicas: [cardUrlOf("legacy")], roles: ["ops"] }, { id: "demo", limits: { timeoutMs: 45_000, retries: 1 } }, { id: "Bad Id", replicas: [] }]) };
    await syncRegistry(configured, { force: true });
    let agents = new Map((await listAgents(registryDb(env))).map((a) => [a.id, a]));
    expect(agents.get(fromConfig)).toMatchObject({ source: "config", roles: ["ops"] });
    expect(agents.get(fromConfig)!.replicaStates[0]!.protocolVersions).toEqual(["0.3"]);
    expect(agents.get("demo")).toMatchObject({ source: "hosted", roles: ["*"], limits: { timeoutMs: 45_000, retries: 1 } });
    expect(agents.get(fromAdmin)?.source).toBe("admin");
    expect((await admin("PUT", `/${fromConfig}`, { replicas: [cardUrlOf("alpha")] })).status).toBe(409);

    await syncRegistry({ ...env, AGENTS: "[]" }, { force: true });
    agents = new Map((await listAgents(registryDb(env))).map((a) => [a.id, a]));
    expect(agents.has(fromConfig)).toBe(false);
    expect(agents.get("demo")?.limits).toEqual({ timeoutMs: 120_000, retries: 2 });
    expect(agents.get(fromAdmin)?.source).toBe("admin");
  });
});

describe("cascade cancel", () => {
  it("cancels every child a parent still has waiting downstream, as the user it was made for", async () => {
    const id = uniqueId("waiting");
    await register({ id, replicas: [cardUrlOf("alpha")] });
    const { ctx } = toolContext();
    const tool = (await delegationTool(env, { role: "user" }))!;
    const asked = await tool.execute({ agent: id, message: "ask first" }, ctx);
    expect(asked.kind).toBe("input-required");
    const childTaskId = (asked as { state: { taskId: string } }).state.taskId;
    // The parent is cancelled while it waits for the user: no call is running, the registry knows the child.
    expect(await cancelChildren(env, ctx.taskId)).toEqual([childTaskId]);
    await eventually(async () => ((await statsOf("alpha")).cancels.includes(childTaskId) ? true : undefined), 5000, "CancelTask downstream");
    expect(await cancelChildren(env, ctx.taskId)).toEqual([]);
  });
});

describe("the platform's delegation tokens at its own hosted agents", () => {
  const call = (agent: string, token: string) =>
    worker(`${ORIGIN}/agents/${agent}/a2a/rest/tasks`, { headers: { "A2A-Version": "1.0", Authorization: `Bearer ${token}` } });

  it("are accepted for exactly the agent they name, and refused anywhere else or once expired", async () => {
    const caller = { owner: "delegated-user", tenant: "", role: "user" };
    const forDemo = await delegationToken(env, caller, `${SELF_ORIGIN_FALLBACK}/agents/demo`, 60);
    expect((await call("demo", forDemo)).status).toBe(200);
    const forRoot = await delegationToken(env, caller, SELF_ORIGIN_FALLBACK, 60);
    const refused = await call("demo", forRoot);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("WWW-Authenticate")).toMatch(/invalid_token/);
    const forElsewhere = await delegationToken(env, caller, `${cardUrlOf("alpha").replace("/.well-known/agent-card.json", "")}`, 60);
    expect((await call("demo", forElsewhere)).status).toBe(401);
    const expired = await delegationToken(env, caller, `${SELF_ORIGIN_FALLBACK}/agents/demo`, 30);
    const [header, payload, signature] = expired.split(".");
    const tampered = [header, btoa(JSON.stringify({ ...JSON.parse(atob(payload!.replace(/-/g, "+").replace(/_/g, "/"))), exp: 1 })).replace(/=+$/, ""), signature].join(".");
    expect((await call("demo", tampered)).status).toBe(401);
  });
});

describe("delegating through the gateway", () => {
  it("retries a gateway's 503 (its replica is down) and then fails with the reason", async () => {
    const fronted = uniqueId("fronted");
    await register({ id: fronted, replicas: [cardUrlOf("gw-down")], gateway: true });
    // A second entry whose card is the gateway's: calls to it go to the platform, which proxies to `gone`.
    const viaGateway = uniqueId("via-gw");
    await register({ id: viaGateway, replicas: [`${SELF_ORIGIN_FALLBACK}/agents/${fronted}/.well-known/agent-card.json`], credentials: { mode: "jwt" } });
    await stopAgent("gw-down");
    try {
      const started = Date.now();
      const { ctx } = toolContext();
      const outcome = await (await delegationTool(env, { role: "user" }))!.execute({ agent: viaGateway, message: "through the gateway" }, ctx);
      expect(outcome).toMatchObject({ kind: "result", isError: true });
      expect((outcome as { value: { error: string } }).value.error).toBe(`${viaGateway} is unavailable: it answered HTTP 503.`);
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      const health = (await admin("GET", `/${viaGateway}`)).body.replicas[0].health;
      expect(health).toMatchObject({ consecutiveFailures: 3, lastError: "it answered HTTP 503" });
    } finally {
      await startAgent("gw-down");
    }
  });
});

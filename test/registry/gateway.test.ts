import { flattenedVerify, importJWK, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import { canonicalCardPayload } from "../../workers/card-signing";
import { ORIGIN, worker } from "../helpers/a2a";
import { cardUrlOf, register, SDK, statsOf, uniqueId } from "../helpers/registry";

const V1 = { "Content-Type": "application/json", "A2A-Version": "1.0" };
const rpcBody = (method: string, params: unknown) => JSON.stringify({ jsonrpc: "2.0", id: 7, method, params });

/** Reads a streamed body to the end, keeping when its first and last bytes arrived. */
async function readTimed(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let first = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    first ||= Date.now();
    text += decoder.decode(value, { stream: true });
  }
  return { text, first, last: Date.now() };
}

/** The bytes the downstream server wrote for the stream of the task in `text`. */
async function upstreamBytes(server: string, text: string): Promise<string> {
  const taskId = /"(?:id|taskId)":"([0-9a-f-]{36})"/.exec(text)![1]!;
  const stream = (await statsOf(server)).streams.find((s) => s.body.includes(taskId));
  if (!stream) throw new Error(`no recorded stream for task ${taskId}`);
  return stream.body;
}

describe("gateway mode: a remote agent through the platform at /agents/{id}/", () => {
  it("serves the v1.0 card rewritten to the platform's URLs, its security and its signature", async () => {
    const id = uniqueId("gw");
    await register({ id, replicas: [cardUrlOf("alpha")], gateway: true });
    const response = await worker(`${ORIGIN}/agents/${id}/.well-known/agent-card.json`, {}, "none");
    expect(response.status).toBe(200);
    const card = (await response.json()) as any;
    expect(card.name).toBe("alpha");
    expect(card.skills.map((s: any) => s.id)).toEqual(["invoices"]);
    expect(card.supportedInterfaces).toEqual([
      { url: `${ORIGIN}/agents/${id}/a2a/jsonrpc`, protocolBinding: "JSONRPC", protocolVersion: "1.0" },
      { url: `${ORIGIN}/agents/${id}/a2a/rest`, protocolBinding: "HTTP+JSON", protocolVersion: "1.0" },
    ]);
    // No endpoint of the remote is left (its provider's own URL stays: that is who makes the agent).
    expect(JSON.stringify({ ...card, provider: undefined })).not.toContain(SDK.alpha);
    expect(card.securitySchemes).toHaveProperty("bearer");
    expect(card.capabilities.extendedAgentCard).toBe(false);
    // Signed again by the platform: the remote's own signature would not cover the rewritten card.
    const { keys } = (await (await worker(`${ORIGIN}/.well-known/jwks.json`)).json()) as { keys: JWK[] };
    const [signature] = card.signatures;
    const kid = JSON.parse(atob(signature.protected.replace(/-/g, "+").replace(/_/g, "/"))).kid;
    const payload = btoa(canonicalCardPayload(card)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    await expect(flattenedVerify({ ...signature, payload }, await importJWK(keys.find((k) => k.kid === kid)!, "ES256"))).resolves.toBeDefined();
  });

  it("serves a v0.3 agent's card as v0.3 (url, additionalInterfaces) to A2A-Version 0.3, pointing at the platform", async () => {
    const id = uniqueId("gw-legacy");
    await register({ id, replicas: [cardUrlOf("legacy")], gateway: true });
    const v03 = (await (await worker(`${ORIGIN}/agents/${id}/.well-known/agent-card.json`, { headers: { "A2A-Version": "0.3" } }, "none")).json()) as any;
    expect(v03).toMatchObject({
      protocolVersion: "0.3.0",
      url: `${ORIGIN}/agents/${id}/a2a/jsonrpc`,
      preferredTransport: "JSONRPC",
      additionalInterfaces: [
        { url: `${ORIGIN}/agents/${id}/a2a/jsonrpc`, transport: "JSONRPC" },
        { url: `${ORIGIN}/agents/${id}/a2a/rest`, transport: "HTTP+JSON" },
      ],
    });
    const v10 = (await (await worker(`${ORIGIN}/agents/${id}/.well-known/agent-card.json`, {}, "none")).json()) as any;
    expect(v10.supportedInterfaces.every((i: any) => i.protocolVersion === "0.3" && i.url.startsWith(`${ORIGIN}/agents/${id}/`))).toBe(true);
  });

  it.each([
    ["v1.0 JSON-RPC", "alpha", "/a2a/jsonrpc", V1, rpcBody("SendStreamingMessage", { message: { messageId: crypto.randomUUID(), role: "ROLE_USER", parts: [{ text: "slow stream" }] } })],
    ["v1.0 REST", "alpha", "/a2a/rest/message:stream", V1, JSON.stringify({ message: { messageId: crypto.randomUUID(), role: "ROLE_USER", parts: [{ text: "slow stream" }] } })],
    [
      "v0.3 JSON-RPC",
      "legacy",
      "/a2a/jsonrpc",
      { "Content-Type": "application/json" },
      rpcBody("message/stream", { message: { kind: "message", messageId: crypto.randomUUID(), role: "user", parts: [{ kind: "text", text: "slow stream" }] } }),
    ],
  ])("passes a %s stream through byte for byte, as it is written", async (_name, server, path, headers, body) => {
    const id = uniqueId("gw-stream");
    await register({ id, replicas: [cardUrlOf(server)], gateway: true });
    const response = await worker(`${ORIGIN}/agents/${id}${path}`, { method: "POST", headers, body });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/event-stream/);
    const { text, first, last } = await readTimed(response);
    expect(text).toBe(await upstreamBytes(server, text));
    expect(text.split("\n\n").filter(Boolean).length).toBeGreaterThanOrEqual(6);
    // Unbuffered: the first event arrived while the agent was still working (three chunks 300 ms apart).
    expect(last - first).toBeGreaterThanOrEqual(600);
  });

  it("authenticates the caller, checks the agent's roles, and never forwards the caller's credentials", async () => {
    const id = uniqueId("gw-ops");
    await register({ id, replicas: [cardUrlOf("alpha")], gateway: true, roles: ["ops"] });
    const send = (as: Parameters<typeof worker>[2]) =>
      worker(`${ORIGIN}/agents/${id}/a2a/jsonrpc`, { method: "POST", headers: V1, body: rpcBody("SendMessage", { message: { messageId: crypto.randomUUID(), role: "ROLE_USER", parts: [{ text: "gateway call" }] } }) }, as);
    expect((await send("none")).status).toBe(401);
    expect((await send("default")).status).toBe(403);
    const ok = await send({ claims: { sub: "operator", role: "ops" } });
    expect(ok.status).toBe(200);
    const result = ((await ok.json()) as any).result;
    expect(result.task.status.state).toBe("TASK_STATE_COMPLETED");
    const received = (await statsOf("alpha")).messages.find((m) => m.taskId === result.task.id)!;
    expect(received.headers.authorization).toBeNull();
    expect(received.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it("rate-limits calls per agent and caller", async () => {
    const id = uniqueId("gw-rate");
    await register({ id, replicas: [cardUrlOf("alpha")], gateway: true });
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      const response = await worker(`${ORIGIN}/agents/${id}/a2a/rest/tasks/${crypto.randomUUID()}`, { headers: { "A2A-Version": "1.0" } }, { claims: { sub: "rate-tester" } });
      statuses.push(response.status);
      await response.body?.cancel();
    }
    expect(statuses.slice(0, 20).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });

  it("serves only agents registered for it: others stay 404", async () => {
    const id = uniqueId("no-gw");
    await register({ id, replicas: [cardUrlOf("alpha")] });
    expect((await worker(`${ORIGIN}/agents/${id}/.well-known/agent-card.json`, {}, "none")).status).toBe(404);
    expect((await worker(`${ORIGIN}/agents/${id}/a2a/jsonrpc`, { method: "POST", headers: V1, body: rpcBody("GetTask", { id: "x" }) })).status).toBe(404);
  });
});

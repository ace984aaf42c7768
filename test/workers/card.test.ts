import { describe, expect, it } from "vitest";
import { AgentCardSchema } from "../../schema/a2a";
import { ORIGIN, worker } from "../helpers/a2a";

const CARD_URL = `${ORIGIN}/.well-known/agent-card.json`;

describe("agent card discovery (§7)", () => {
  it("serves the v1.0 card with absolute interface URLs and truthful capabilities", async () => {
    const response = await worker(CARD_URL);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("application/json");
    const card = AgentCardSchema.parse(await response.json());
    expect(card.supportedInterfaces).toEqual([
      { url: `${ORIGIN}/a2a/jsonrpc`, protocolBinding: "JSONRPC", protocolVersion: "1.0" },
      { url: `${ORIGIN}/a2a/rest`, protocolBinding: "HTTP+JSON", protocolVersion: "1.0" },
      { url: "wss://agent.test/a2a/ws", protocolBinding: "urn:a2a-edge:binding:jsonrpc-websocket", protocolVersion: "1.0" },
      { url: `${ORIGIN}/a2a/jsonrpc`, protocolBinding: "JSONRPC", protocolVersion: "0.3" },
      { url: `${ORIGIN}/a2a/rest`, protocolBinding: "HTTP+JSON", protocolVersion: "0.3" },
    ]);
    expect(card.capabilities).toEqual({ streaming: true, pushNotifications: true, extendedAgentCard: true });
    // The suite serves the conformance demo at the root (AGENT=demo): the root card is its card.
    expect(card.name).toBe("A2A conformance demo");
  });

  it("derives its skills from skills/*/SKILL.md", async () => {
    const card = AgentCardSchema.parse(await (await worker(CARD_URL)).json());
    const echo = card.skills.find((s) => s.id === "echo");
    expect(echo).toMatchObject({ name: "Echo", tags: ["echo", "demo", "connectivity"], examples: ["hello", "ping from my client"] });
    // a2a-conformance names `a2a-roles`, so only the extended card of an operator lists it.
    expect(card.skills.map((s) => s.id).sort()).toEqual(["echo"]);
  });

  it("carries caching validators and answers 304 to If-None-Match (CARD-CACHE-001/002)", async () => {
    const first = await worker(CARD_URL);
    const etag = first.headers.get("ETag");
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get("Cache-Control")).toMatch(/max-age=\d+/);
    const lastModified = first.headers.get("Last-Modified");
    expect(Number.isNaN(Date.parse(lastModified!))).toBe(false);
    const revalidated = await worker(CARD_URL, { headers: { "If-None-Match": etag! } });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe("");
    const bySince = await worker(CARD_URL, { headers: { "If-Modified-Since": lastModified! } });
    expect(bySince.status).toBe(304);
    const stale = await worker(CARD_URL, { headers: { "If-None-Match": '"something-else"' } });
    expect(stale.status).toBe(200);
  });

  it("the ETag differs per origin, since the interface URLs do", async () => {
    const here = (await worker(CARD_URL)).headers.get("ETag");
    const there = (await worker("https://other.test/.well-known/agent-card.json")).headers.get("ETag");
    expect(there).not.toBe(here);
  });

  it("answers HEAD with headers and no body, and allows cross-origin reads", async () => {
    const head = await worker(CARD_URL, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("ETag")).toBeTruthy();
    expect(await head.text()).toBe("");
    expect(head.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const preflight = await worker(CARD_URL, { method: "OPTIONS" });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("Access-Control-Allow-Methods")).toContain("GET");
  });
});

import { describe, expect, it } from "vitest";
import { ORIGIN, worker } from "../../helpers/a2a";
import { validateWireStrict } from "../../helpers/wire-schema";
import { validateV03 } from "../../helpers/wire-schema-v03";

const CARD_URL = `${ORIGIN}/.well-known/agent-card.json`;
const fetchCard = async (headers: Record<string, string> = {}, url = CARD_URL) => {
  const response = await worker(url, { headers });
  return { response, card: (await response.json()) as any };
};

describe("one URL, two cards: the request's A2A-Version picks", () => {
  it("no header (as the TCK fetches it): the strict v1.0 card, declaring the v0.3 interfaces too", async () => {
    const { response, card } = await fetchCard();
    expect(validateWireStrict("Agent Card", card)).toEqual([]);
    expect(card.supportedInterfaces.filter((i: any) => i.protocolVersion === "0.3")).toEqual([
      { url: `${ORIGIN}/a2a/jsonrpc`, protocolBinding: "JSONRPC", protocolVersion: "0.3" },
      { url: `${ORIGIN}/a2a/rest`, protocolBinding: "HTTP+JSON", protocolVersion: "0.3" },
    ]);
    for (const field of ["url", "protocolVersion", "preferredTransport", "additionalInterfaces", "supportsAuthenticatedExtendedCard"]) expect(card).not.toHaveProperty(field);
    expect(response.headers.get("Vary")).toBe("A2A-Version");
  });

  it.each([
    ["A2A-Version: 0.3", { "A2A-Version": "0.3" }, CARD_URL],
    ["A2A-Version: 0.3.0", { "A2A-Version": "0.3.0" }, CARD_URL],
    ["?A2A-Version=0.3", {}, `${CARD_URL}?A2A-Version=0.3`],
  ])("%s: a v0.3 card that validates against v0.3/a2a.json", async (_, headers, url) => {
    const { response, card } = await fetchCard(headers, url);
    expect(response.status).toBe(200);
    expect(validateV03("AgentCard", card)).toEqual([]);
    expect(card).toMatchObject({
      protocolVersion: "0.3.0",
      url: `${ORIGIN}/a2a/jsonrpc`,
      preferredTransport: "JSONRPC",
      additionalInterfaces: [
        { url: `${ORIGIN}/a2a/jsonrpc`, transport: "JSONRPC" },
        { url: `${ORIGIN}/a2a/rest`, transport: "HTTP+JSON" },
      ],
      capabilities: { streaming: true, pushNotifications: true },
      supportsAuthenticatedExtendedCard: true,
    });
    expect(card).not.toHaveProperty("supportedInterfaces");
    // Like the v1.0 card, the public v0.3 card lists only skills without `a2a-roles`.
    expect(card.skills.map((s: any) => s.id).sort()).toEqual(["echo"]);
  });

  it.each([
    ["A2A-Version: 1.0", { "A2A-Version": "1.0" }, CARD_URL],
    ["A2A-Version: 99.0 (discovery never fails on a version)", { "A2A-Version": "99.0" }, CARD_URL],
    ["a 1.0 header beside ?A2A-Version=0.3 (the header wins, as everywhere)", { "A2A-Version": "1.0" }, `${CARD_URL}?A2A-Version=0.3`],
  ])("%s: the v1.0 card", async (_, headers, url) => {
    const { card } = await fetchCard(headers, url);
    expect(validateWireStrict("Agent Card", card)).toEqual([]);
  });

  it("each card has its own ETag and revalidates to 304", async () => {
    const v1 = await worker(CARD_URL);
    const v03 = await worker(CARD_URL, { headers: { "A2A-Version": "0.3" } });
    const etag = v03.headers.get("ETag")!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(etag).not.toBe(v1.headers.get("ETag"));
    expect(v03.headers.get("Cache-Control")).toMatch(/max-age=\d+/);
    expect((await worker(CARD_URL, { headers: { "A2A-Version": "0.3", "If-None-Match": etag } })).status).toBe(304);
    const head = await worker(CARD_URL, { method: "HEAD", headers: { "A2A-Version": "0.3" } });
    expect(head.headers.get("ETag")).toBe(etag);
    expect(await head.text()).toBe("");
  });
});

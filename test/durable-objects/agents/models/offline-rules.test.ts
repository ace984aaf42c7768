import { describe, expect, it } from "vitest";
import { domainWords, fillArguments, topicOf } from "../../../../durable-objects/agents/models/offline";
import type { OfferedTool } from "../../../../durable-objects/agents/models/offline";
import { minimalValue } from "../../../../durable-objects/agents/models/offline/schema-value";

const tool = (name: string, properties: Record<string, unknown>, required: string[] = []): OfferedTool => ({ name, description: "", inputSchema: { type: "object", properties, required } as OfferedTool["inputSchema"] });

describe("offline model: reading arguments from a message", () => {
  it("takes a tool's domain words from its name, in snake, kebab or camel case, singular and plural", () => {
    expect(domainWords(tool("search_candidates", {}))).toEqual(["search", "searches", "candidates", "candidate"]);
    expect(domainWords(tool("crm__sendOffer", {}))).toEqual(["send", "sends", "offer", "offers"]);
    expect(domainWords(tool("get-it", {}))).toEqual([]);
  });

  it("fills enums, e-mails, dates and numbers by shape, and free text with the topic", () => {
    const offer = tool("send_offer", { email: { type: "string" }, startDate: { type: "string" }, level: { type: "string", enum: ["junior", "senior"] }, salary: { type: "number" }, note: { type: "string" } }, ["email", "startDate", "level", "salary", "note"]);
    expect(fillArguments(offer, "Send an offer to ada@example.com, senior, 95000, starting 2027-01-04 for the platform team")).toEqual({
      args: { email: "ada@example.com", startDate: "2027-01-04", level: "senior", salary: 95000, note: "starting platform team" },
    });
    expect(topicOf("search candidates who know Go, limit 5", tool("search_candidates", { limit: {} }))).toBe("Go");
  });

  it("names the first required argument the message does not give, and leaves out optional ones it does not", () => {
    const book = tool("book_room", { room: { type: "string", enum: ["red", "blue"] }, when: { type: "string" }, note: { type: "string" } }, ["room", "when"]);
    expect(fillArguments(book, "book the red room")).toEqual({ missing: "when" });
    expect(fillArguments(book, "book the room tomorrow 10")).toEqual({ missing: "room" });
    expect(fillArguments(book, "book the blue room tomorrow 10")).toEqual({ args: { room: "blue", when: "tomorrow 10" } });
  });
});

describe("offline model: structured output", () => {
  it("builds the smallest valid value for a schema", () => {
    expect(
      minimalValue({
        type: "object",
        properties: { skill: { enum: ["recruiting", "none"] }, n: { type: "integer", minimum: 2 }, tags: { type: "array", items: { type: "string" }, minItems: 1 }, maybe: { anyOf: [{ type: "string" }, { type: "null" }] }, k: { const: "x" }, opt: { type: "string" } },
        required: ["skill", "n", "tags", "maybe", "k"],
      }),
    ).toEqual({ skill: "none", n: 2, tags: ["none"], maybe: null, k: "x" });
  });
});

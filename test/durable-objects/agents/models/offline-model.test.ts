import type { ModelMessage } from "ai";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { extendOfflineRules, modelFor, OFFLINE_PREFIX, offlineCardNote, type StepRequest, type ToolSpec } from "../../../../durable-objects/agents/models";

// The offline model through the same ChatModel code as every provider: modelFor with nothing configured.

const search: ToolSpec = { name: "search_candidates", description: "Search the candidate pool.", inputSchema: { type: "object", properties: { skill: { type: "string" }, limit: { type: "integer" } }, required: ["skill"] } };
const schedule: ToolSpec = { name: "schedule_interview", description: "Book an interview.", inputSchema: { type: "object", properties: { candidate: { type: "string" }, date: { type: "string" } }, required: ["candidate", "date"] } };
const askUser: ToolSpec = { name: "ask_user", description: "Ask the user.", inputSchema: { type: "object", properties: { question: { type: "string" } }, required: ["question"] } };

function request(messages: ModelMessage[], tools: ToolSpec[] = [], signal = new AbortController().signal) {
  const deltas: string[] = [];
  const req: StepRequest = { system: "You are the orchestrator.", messages, tools, signal, onTextDelta: (delta) => deltas.push(delta) };
  return { req, deltas };
}

const user = (text: string): ModelMessage => ({ role: "user", content: text });
const called = (id: string, toolName: string, input: unknown): ModelMessage => ({ role: "assistant", content: [{ type: "tool-call", toolCallId: id, toolName, input }] });
const returned = (id: string, toolName: string, value: unknown): ModelMessage => ({ role: "tool", content: [{ type: "tool-result", toolCallId: id, toolName, output: { type: "json", value: value as never } }] });

describe("the offline model", () => {
  it("is what modelFor gives with no provider, and says so", async () => {
    const model = modelFor({});
    expect(model).toMatchObject({ id: "offline:rules", offline: true });
    const { req, deltas } = request([user("hello there")]);
    const result = await model.step(req);
    expect(result.text.startsWith(OFFLINE_PREFIX)).toBe(true);
    expect(result.text).toContain('You wrote: "hello there"');
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join("")).toBe(result.text);
    expect(result).toMatchObject({ toolCalls: [], finishReason: "stop" });
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.usage.estimated).toBeUndefined();
  });

  it("calls the tool a message is about, then answers from its result in the next step", async () => {
    const model = modelFor({});
    const ask = user("Search candidates with TypeScript, limit 5");
    const first = await model.step(request([ask], [search, schedule]).req);
    expect(first.finishReason).toBe("tool-calls");
    expect(first.toolCalls).toEqual([{ id: "offline-0-0", name: "search_candidates", input: { skill: "TypeScript", limit: 5 } }]);
    expect(first.text).toBe(`${OFFLINE_PREFIX}I will use search_candidates.`);
    const second = await model.step(request([ask, called("offline-0-0", "search_candidates", first.toolCalls[0]!.input), returned("offline-0-0", "search_candidates", [{ name: "Ada" }])], [search, schedule]).req);
    expect(second.toolCalls).toEqual([]);
    expect(second.text).toBe(`${OFFLINE_PREFIX}Here is what I found. search_candidates returned: [{"name":"Ada"}]`);
  });

  it("asks with ask_user for what a tool needs, then calls it with the answer", async () => {
    const model = modelFor({});
    const ask = user("Please schedule an interview with Ada");
    const first = await model.step(request([ask], [schedule, askUser]).req);
    expect(first.toolCalls).toEqual([{ id: "offline-0-0", name: "ask_user", input: { question: "To use schedule_interview I need the date. What should it be?" } }]);
    const history = [ask, called("offline-0-0", "ask_user", first.toolCalls[0]!.input), returned("offline-0-0", "ask_user", "2026-12-03T10:00")];
    const second = await model.step(request(history, [schedule, askUser]).req);
    expect(second.toolCalls).toEqual([{ id: "offline-1-0", name: "schedule_interview", input: { candidate: "Ada", date: "2026-12-03T10:00" } }]);
  });

  it("says what is missing when it cannot ask", async () => {
    const result = await modelFor({}).step(request([user("schedule an interview")], [schedule]).req);
    expect(result.toolCalls).toEqual([]);
    expect(result.text).toBe(`${OFFLINE_PREFIX}To use schedule_interview I need the candidate. What should it be?`);
  });

  it("answers the same prompt the same way (a re-issued step matches the first)", async () => {
    const model = modelFor({});
    const messages = [user("search candidates for Go")];
    const a = await model.step(request(messages, [search]).req);
    const b = await model.step(request(messages, [search]).req);
    expect(b).toEqual(a);
  });

  it("answers structured-output calls with a minimal valid object", async () => {
    const Intent = z.object({ skill: z.enum(["recruiting", "none"]), confidence: z.number().min(0).max(1), reason: z.string(), tags: z.array(z.string()), urgent: z.boolean().optional() });
    const { value } = await modelFor({}, "intent").object({ system: "Classify.", messages: [user("hi")], schema: Intent, name: "intent", signal: new AbortController().signal });
    expect(value).toEqual({ skill: "none", confidence: 0, reason: "none", tags: [] });
  });

  it("tries rules other code adds before its own", async () => {
    extendOfflineRules({ name: "test-zebra", description: "zebras", decide: (ctx) => (ctx.words.has("zebra") ? { say: "Stripes!" } : undefined) });
    const result = await modelFor({}).step(request([user("a zebra search candidates")], [search]).req);
    expect(result.text).toBe(`${OFFLINE_PREFIX}Stripes!`);
  });

  it("stops streaming when the run is cancelled", async () => {
    const abort = new AbortController();
    const { req, deltas } = request([user("hello, tell me a long story about nothing in particular")], [], abort.signal);
    const step = modelFor({ OFFLINE_MODEL_DELAY_MS: "200" }).step({ ...req, onTextDelta: (d) => (deltas.push(d), abort.abort(new Error("cancelled"))) });
    await expect(step).rejects.toThrow("cancelled");
    expect(deltas).toHaveLength(1);
  });

  it("gives the card a sentence saying so, only when it is in use", () => {
    expect(offlineCardNote({})).toContain("offline model");
    expect(offlineCardNote({ MODEL: "offline" })).toContain("offline model");
    expect(offlineCardNote({ MODEL: "gpt-4.1-mini", OPENAI_API_KEY: "k" })).toBe("");
    expect(offlineCardNote({ MODEL: "gpt-4.1-mini" })).toBe("");
  });
});

import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ModelError, modelFor, type StepRequest, type ToolSpec } from "../../../../durable-objects/agents/models";
import { callTools, fail, say, script, structured, type Script } from "../../../helpers/model-script";

// The OpenAI-compatible provider end to end in workerd: modelFor → the AI SDK → HTTP → the scripted server.

const KEY = (env as Env).OPENAI_API_KEY!;
const search: ToolSpec = { name: "search_candidates", description: "Find candidates.", inputSchema: { type: "object", properties: { skill: { type: "string" } }, required: ["skill"] } };

function stepOf(overrides: Partial<StepRequest> = {}) {
  const deltas: string[] = [];
  const events: string[] = [];
  const request: StepRequest = {
    system: "You are a test.",
    messages: [{ role: "user", content: "hello" }],
    tools: [search],
    signal: new AbortController().signal,
    onTextDelta: (delta) => {
      deltas.push(delta);
      events.push(`delta:${delta}`);
    },
    onStreamStart: () => events.push("start"),
    ...overrides,
  };
  return { request, deltas, events };
}

const quick = (s: Script, retries = "2") => ({ ...s.env, MODEL_RETRIES: retries });

afterEach(() => vi.restoreAllMocks());

describe("modelFor with an OpenAI-compatible endpoint", () => {
  it("streams text through onTextDelta in order, after onStreamStart, with the provider's usage", async () => {
    const s = await script([say("The answer is forty-two.", { chunks: 5, usage: { prompt_tokens: 21, completion_tokens: 8 } })]);
    const model = modelFor(s.env, "main");
    const { request, deltas, events } = stepOf();
    const result = await model.step(request);
    expect(model.id).toBe(`openai-compatible:${s.model}`);
    expect(model.offline).toBe(false);
    expect(deltas).toEqual(["The a", "nswer", " is f", "orty-", "two."]);
    expect(events[0]).toBe("start");
    expect(events.filter((e) => e === "start")).toHaveLength(1);
    expect(result).toEqual({ text: "The answer is forty-two.", toolCalls: [], usage: { inputTokens: 21, outputTokens: 8 }, finishReason: "stop" });
    const [sent] = await s.requests();
    expect(sent?.authorization).toBe(`Bearer ${KEY}`);
    expect(sent?.body.messages).toEqual([
      { role: "system", content: "You are a test." },
      { role: "user", content: "hello" },
    ]);
    expect(sent?.body.tools).toEqual([{ type: "function", function: { name: search.name, description: search.description, parameters: search.inputSchema } }]);
    expect(sent?.body.stream_options).toEqual({ include_usage: true });
  });

  it("assembles tool calls whose fragments are split anywhere, several in one response", async () => {
    const s = await script([
      callTools(
        [
          { id: "call_1", name: "search_candidates", arguments: { skill: "TypeScript", note: "ünïcode and \"quotes\"" }, pieces: 7 },
          { id: "call_2", name: "search_candidates", arguments: { skill: "Go" }, pieces: ['{"sk', "ill", '":"G', 'o"}'] },
        ],
        { text: "Searching." },
      ),
    ]);
    const { request } = stepOf();
    const result = await modelFor(s.env).step(request);
    expect(result.text).toBe("Searching.");
    expect(result.finishReason).toBe("tool-calls");
    expect(result.toolCalls).toEqual([
      { id: "call_1", name: "search_candidates", input: { skill: "TypeScript", note: 'ünïcode and "quotes"' } },
      { id: "call_2", name: "search_candidates", input: { skill: "Go" } },
    ]);
  });

  it("returns arguments that are not JSON as inputError, beside valid calls", async () => {
    const s = await script([callTools([{ id: "bad", name: "search_candidates", arguments: '{"skill": "Go",' }, { id: "empty", name: "search_candidates", arguments: "" }])]);
    const result = await modelFor(s.env).step(stepOf().request);
    expect(result.toolCalls).toEqual([
      { id: "bad", name: "search_candidates", input: undefined, inputError: '{"skill": "Go",' },
      { id: "empty", name: "search_candidates", input: {} },
    ]);
  });

  it("retries a 429 after its Retry-After, then succeeds", async () => {
    const s = await script([fail(429, { retryAfter: "1" }), say("after the wait")]);
    const log = vi.spyOn(console, "log");
    const started = Date.now();
    const { request, deltas } = stepOf();
    const result = await modelFor(s.env).step(request);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(result.text).toBe("after the wait");
    expect(deltas).toEqual(["after the wait"]);
    expect((await s.requests()).map((r) => r.status)).toEqual([429, 200]);
    expect(log.mock.calls.map(([line]) => JSON.parse(String(line)))).toContainEqual({ at: "model-retry", model: `openai-compatible:${s.model}`, attempt: 1, status: 429, delayMs: 1000 });
  });

  it("honours retry-after-ms over Retry-After, and an abort during a wait ends the step at once", async () => {
    const s = await script([fail(503, { retryAfterMs: 200, retryAfter: "30" }), fail(429, { retryAfter: "3600" }), say("ok")]);
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    const started = Date.now();
    const model = modelFor({ ...s.env, MODEL_RETRIES: "2" });
    // The second wait asks for an hour (capped at 10 s, see retry.test.ts); the run is cancelled during it.
    const abort = new AbortController();
    setTimeout(() => abort.abort(new Error("test over")), 1500);
    await expect(model.step(stepOf({ signal: abort.signal }).request)).rejects.toThrow("test over");
    const requests = await s.requests();
    expect(requests.map((r) => r.status)).toEqual([503, 429]);
    expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(190);
    expect(requests[1]!.at - requests[0]!.at).toBeLessThan(1000);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("fails with a ModelError carrying the status after a 500 that persists", async () => {
    const s = await script([fail(500, { times: 5, message: "the upstream model is down" })]);
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    const error = await modelFor(quick(s)).step(stepOf().request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ provider: "openai-compatible", status: 500, retryable: true, message: "openai-compatible 500: the upstream model is down" });
    expect(await s.requests()).toHaveLength(3);
  });

  it("does not retry a 400", async () => {
    const s = await script([fail(400, { message: "bad tool schema" }), say("never")]);
    await expect(modelFor(s.env).step(stepOf().request)).rejects.toMatchObject({ status: 400, retryable: false });
    expect(await s.requests()).toHaveLength(1);
  });

  it("never retries once the stream has begun: an error chunk mid-stream is final", async () => {
    const s = await script([say("half an ans", { chunks: 3, errorAfter: 2, error: { message: "overloaded" } }), say("never")]);
    const { request, deltas, events } = stepOf();
    const error = await modelFor(s.env).step(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).message).toBe("openai-compatible: the stream failed after it began: overloaded");
    expect(deltas).toEqual(["half"]);
    expect(events[0]).toBe("start");
    expect(await s.requests()).toHaveLength(1);
  });

  it("never retries once the stream has begun: a dropped connection is final", async () => {
    const s = await script([say("half an answer", { chunks: 4, cutAfter: 3 }), say("never")]);
    const { request, deltas } = stepOf();
    const error = await modelFor(s.env).step(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    // A lost connection is retryable in itself: only the begun stream keeps it from being retried.
    expect(error).toMatchObject({ status: undefined, retryable: true, message: expect.stringContaining("the stream failed after it began") });
    expect((error as Error).message).toContain("Network connection lost");
    expect(deltas.join("")).toBe("half an ");
    expect(await s.requests()).toHaveLength(1);
  });

  it("stops within a second when the run's signal aborts mid-stream, with the signal's reason", async () => {
    const s = await script([say("a slow answer that takes a while", { chunks: 8, delayMs: 400 })]);
    const abort = new AbortController();
    const { request, deltas } = stepOf({ signal: abort.signal, onTextDelta: (delta) => deltas.push(delta) });
    const step = modelFor(s.env).step(request);
    await expect.poll(() => deltas.length, { timeout: 3000 }).toBeGreaterThan(0);
    const aborted = Date.now();
    const reason = new Error("CancelTask");
    abort.abort(reason);
    await expect(step).rejects.toBe(reason);
    expect(Date.now() - aborted).toBeLessThan(1000);
    await expect.poll(async () => (await s.requests())[0]?.abandoned, { timeout: 3000 }).toBe(true);
    expect(deltas.length).toBeLessThan(8);
  });

  it("keeps the key out of errors even when the provider echoes it", async () => {
    const s = await script([fail(401, { message: `Incorrect API key provided: ${KEY}. Also Bearer abcdefghijklmnop` })]);
    const error = (await modelFor(s.env).step(stepOf().request).catch((e: unknown) => e)) as ModelError;
    expect(error.status).toBe(401);
    expect(error.message).not.toContain(KEY);
    expect(error.message).not.toContain("abcdefghijklmnop");
    expect(JSON.stringify(error)).not.toContain(KEY);
    expect(error.message).toContain("Incorrect API key provided: [redacted]");
  });

  it("retries a connection that cannot be made, then reports it without a status", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const model = modelFor({ OPENAI_BASE_URL: "http://127.0.0.1:9/v1", MODEL: "x", MODEL_RETRIES: "1" });
    const error = (await model.step(stepOf().request).catch((e: unknown) => e)) as ModelError;
    expect(error).toBeInstanceOf(ModelError);
    expect(error.status).toBeUndefined();
    expect(log.mock.calls.some(([line]) => String(line).includes('"at":"model-retry"'))).toBe(true);
  });

  it("estimates usage when the provider reports none, and says so", async () => {
    const s = await script([say("no usage here", { usage: null })]);
    const { usage } = await modelFor(s.env).step(stepOf().request);
    expect(usage.estimated).toBe(true);
    expect(usage.inputTokens).toBeGreaterThan(0);
    expect(usage.outputTokens).toBeGreaterThan(0);
  });

  it("sends tool calls and their results back in the next step's request", async () => {
    const s = await script([say("Found two.")]);
    await modelFor(s.env).step(
      stepOf({
        messages: [
          { role: "user", content: "find Go people" },
          { role: "assistant", content: [{ type: "tool-call", toolCallId: "c1", toolName: "search_candidates", input: { skill: "Go" } }] },
          { role: "tool", content: [{ type: "tool-result", toolCallId: "c1", toolName: "search_candidates", output: { type: "json", value: ["Ada", "Linus"] } }] },
        ],
      }).request,
    );
    const [sent] = await s.requests();
    expect(sent?.body.messages.slice(2)).toEqual([
      { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "search_candidates", arguments: '{"skill":"Go"}' } }] },
      { role: "tool", tool_call_id: "c1", content: '["Ada","Linus"]' },
    ]);
  });
});

describe("ChatModel.object over an OpenAI-compatible endpoint", () => {
  const Intent = z.object({ skill: z.string(), confidence: z.number().min(0).max(1) });

  it("asks for JSON with the schema and returns the validated value", async () => {
    const s = await script([structured({ skill: "none", confidence: 0.9 }, { usage: { prompt_tokens: 40, completion_tokens: 10 } })]);
    const answer = await modelFor(s.env, "intent").object({ system: "Classify.", messages: [{ role: "user", content: "hi" }], schema: Intent, name: "intent", signal: new AbortController().signal });
    expect(answer).toEqual({ value: { skill: "none", confidence: 0.9 }, usage: { inputTokens: 40, outputTokens: 10 } });
    const [sent] = await s.requests();
    expect(sent?.body.stream).toBeFalsy();
    expect(sent?.body.response_format).toMatchObject({ type: "json_schema", json_schema: { name: "intent", strict: false, schema: { type: "object", required: ["skill", "confidence"] } } });
  });

  it("refuses an answer that does not match the schema", async () => {
    const s = await script([structured({ skill: "none", confidence: 7 })]);
    const error = await modelFor(s.env, "intent").object({ system: "", messages: [{ role: "user", content: "hi" }], schema: Intent, name: "intent", signal: new AbortController().signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as Error).message).toContain("does not match intent");
  });

  it("uses INTENT_MODEL for intent and MODEL for the loop", async () => {
    const main = await script([say("main")]);
    const intent = await script([structured({ skill: "x", confidence: 1 })]);
    const both = { ...main.env, INTENT_MODEL: intent.model };
    expect(modelFor(both, "main").id).toBe(`openai-compatible:${main.model}`);
    expect(modelFor(both, "intent").id).toBe(`openai-compatible:${intent.model}`);
    await modelFor(both, "intent").object({ system: "", messages: [{ role: "user", content: "hi" }], schema: Intent, name: "intent", signal: new AbortController().signal });
    expect(await intent.requests()).toHaveLength(1);
    expect(await main.requests()).toHaveLength(0);
  });
});

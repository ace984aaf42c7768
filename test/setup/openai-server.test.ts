import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModelV4CallOptions, LanguageModelV4StreamPart } from "@ai-sdk/provider";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callTools, fail, say, script, structured, type Script } from "../helpers/model-script";

// The scripted server is only worth its tests if the real provider reads it as it reads OpenAI: these drive
// `@ai-sdk/openai-compatible` straight at it (no code of ours in between) and check what the provider makes of it.

const testEnv = env as Env & { OPENAI_BASE_URL: string; OPENAI_API_KEY: string };
const provider = createOpenAICompatible({ name: "scripted", baseURL: testEnv.OPENAI_BASE_URL, apiKey: testEnv.OPENAI_API_KEY, includeUsage: true, supportsStructuredOutputs: true });

const prompt: LanguageModelV4CallOptions["prompt"] = [{ role: "user", content: [{ type: "text", text: "hi" }] }];

async function stream(s: Script, options: Partial<LanguageModelV4CallOptions> = {}): Promise<LanguageModelV4StreamPart[]> {
  const { stream } = await provider.chatModel(s.model).doStream({ prompt, ...options });
  const parts: LanguageModelV4StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

const ofType = <T extends LanguageModelV4StreamPart["type"]>(parts: LanguageModelV4StreamPart[], type: T) =>
  parts.filter((part): part is Extract<LanguageModelV4StreamPart, { type: T }> => part.type === type);

describe("scripted OpenAI Chat Completions server, read by the AI SDK's openai-compatible provider", () => {
  it("streams text as content deltas, in order, and usage in the final chunk", async () => {
    const s = await script([say("Hello there, world", { chunks: 4, usage: { prompt_tokens: 12, completion_tokens: 7 } })]);
    const parts = await stream(s);
    expect(ofType(parts, "text-delta").map((part) => part.delta)).toEqual(["Hello", " ther", "e, wo", "rld"]);
    const [finish] = ofType(parts, "finish");
    expect(finish?.finishReason).toEqual({ unified: "stop", raw: "stop" });
    expect(finish?.usage.inputTokens.total).toBe(12);
    expect(finish?.usage.outputTokens.total).toBe(7);
    const [request] = await s.requests();
    expect(request?.body).toMatchObject({ model: s.model, stream: true, stream_options: { include_usage: true } });
    expect(request?.authorization).toBe(`Bearer ${testEnv.OPENAI_API_KEY}`);
  });

  it("splits tool calls into delta.tool_calls fragments (id and name first, arguments in pieces) that assemble", async () => {
    const s = await script([
      callTools([
        { name: "search_candidates", arguments: { skills: ["go", "sql"], city: "Zürich" }, pieces: 5 },
        { id: "call_b", name: "schedule", arguments: '{"at":"2026-12-01T10:00:00Z"}', pieces: ['{"a', 't":"2026-12-01', 'T10:00:00Z"', "}"] },
      ]),
    ]);
    const parts = await stream(s);
    const deltas = ofType(parts, "tool-input-delta");
    expect(deltas.length).toBeGreaterThanOrEqual(9);
    expect(ofType(parts, "tool-call").map(({ toolCallId, toolName, input }) => ({ toolCallId, toolName, input: JSON.parse(input) }))).toEqual([
      { toolCallId: "call_0_search_candidates", toolName: "search_candidates", input: { skills: ["go", "sql"], city: "Zürich" } },
      { toolCallId: "call_b", toolName: "schedule", input: { at: "2026-12-01T10:00:00Z" } },
    ]);
    expect(ofType(parts, "finish")[0]?.finishReason.unified).toBe("tool-calls");
  });

  it("interleaves the fragments of parallel calls by index", async () => {
    const s = await script([callTools([{ name: "a", arguments: { x: 1, y: "long enough to split" } }, { name: "b", arguments: { z: [1, 2, 3] } }], { interleave: true, text: "Let me look." })]);
    const parts = await stream(s);
    expect(ofType(parts, "text-delta").map((part) => part.delta).join("")).toBe("Let me look.");
    const order = ofType(parts, "tool-input-delta").map((part) => part.id);
    const switches = order.filter((id, i) => i > 0 && id !== order[i - 1]).length;
    expect(switches).toBeGreaterThanOrEqual(3);
    expect(ofType(parts, "tool-call").map((part) => [part.toolName, JSON.parse(part.input)])).toEqual([
      ["a", { x: 1, y: "long enough to split" }],
      ["b", { z: [1, 2, 3] }],
    ]);
  });

  it("sends invalid JSON arguments verbatim", async () => {
    const s = await script([callTools([{ name: "a", arguments: '{"x": 1,' }])]);
    const [call] = ofType(await stream(s), "tool-call");
    expect(call?.input).toBe('{"x": 1,');
  });

  it("answers 429 with Retry-After, and a 500 that persists for `times` requests", async () => {
    const s = await script([fail(429, { retryAfter: "2", retryAfterMs: 1500 }), fail(500, { times: 2, message: "upstream down" }), say("ok")]);
    const rejected = await Promise.resolve(provider.chatModel(s.model).doStream({ prompt })).catch((error: unknown) => error as { statusCode: number; responseHeaders: Record<string, string>; isRetryable: boolean });
    expect(rejected).toMatchObject({ statusCode: 429, isRetryable: true, responseHeaders: { "retry-after": "2", "retry-after-ms": "1500" } });
    for (let i = 0; i < 2; i++) {
      await expect(provider.chatModel(s.model).doStream({ prompt })).rejects.toMatchObject({ statusCode: 500, message: "upstream down" });
    }
    expect(ofType(await stream(s), "text-delta").map((part) => part.delta)).toEqual(["ok"]);
    expect((await s.requests()).map((request) => request.status)).toEqual([429, 500, 500, 200]);
  });

  it("fails mid-stream with an error chunk, or by cutting the connection", async () => {
    const s = await script([say("partial answer", { chunks: 3, errorAfter: 2, error: { message: "overloaded mid-way", type: "server_error" } }), say("partial answer", { chunks: 3, cutAfter: 2 })]);
    const withErrorChunk = await stream(s);
    expect(ofType(withErrorChunk, "text-delta").map((part) => part.delta)).toEqual(["parti"]);
    expect(ofType(withErrorChunk, "error")[0]?.error).toMatchObject({ message: "overloaded mid-way" });
    await expect(stream(s)).rejects.toThrow();
  });

  it("streams slowly with delayMs, and records a request the client abandoned", async () => {
    const s = await script([say("one two three four", { chunks: 4, delayMs: 300 })]);
    const abort = new AbortController();
    const started = Date.now();
    const { stream: parts } = await provider.chatModel(s.model).doStream({ prompt, abortSignal: abort.signal });
    const reader = parts.getReader();
    const seen: string[] = [];
    while (seen.length < 1) {
      const { value } = await reader.read();
      if (value?.type === "text-delta") seen.push(value.delta);
    }
    abort.abort();
    await expect(reader.read()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1000);
    await expect.poll(async () => (await s.requests())[0]?.abandoned, { timeout: 2000 }).toBe(true);
  });

  it("answers non-streaming requests with one chat.completion, and structured output as JSON text", async () => {
    const s = await script([structured({ skill: "none", confidence: 0.5 }, { usage: { prompt_tokens: 30, completion_tokens: 9 } }), callTools([{ name: "a", arguments: { x: 1 } }])]);
    const schema = { type: "object", properties: { skill: { type: "string" }, confidence: { type: "number" } }, required: ["skill", "confidence"] } as const;
    const answer = await provider.chatModel(s.model).doGenerate({ prompt, responseFormat: { type: "json", schema, name: "intent" } });
    expect(answer.content).toEqual([{ type: "text", text: '{"skill":"none","confidence":0.5}' }]);
    expect(answer.usage.inputTokens.total).toBe(30);
    const [request] = await s.requests();
    expect(request?.body.response_format).toMatchObject({ type: "json_schema", json_schema: { name: "intent", schema } });
    const calls = await provider.chatModel(s.model).doGenerate({ prompt });
    expect(calls.content).toMatchObject([{ type: "tool-call", toolCallId: "call_0_a", toolName: "a", input: '{"x":1}' }]);
  });

  it("finds a script by a marker in the messages, and says so when none matches or none is left", async () => {
    const s = await script([say("by marker")]);
    const marked: LanguageModelV4CallOptions["prompt"] = [{ role: "user", content: [{ type: "text", text: `go ${s.marker}` }] }];
    const parts = await stream({ ...s, model: "scripted" }, { prompt: marked });
    expect(ofType(parts, "text-delta").map((part) => part.delta)).toEqual(["by marker"]);
    await expect(provider.chatModel("scripted").doStream({ prompt })).rejects.toMatchObject({ statusCode: 400, message: expect.stringContaining("no script") });
    await expect(provider.chatModel(s.model).doStream({ prompt })).rejects.toMatchObject({ statusCode: 400, message: expect.stringContaining("no reply left") });
  });

  it("redelivers a reply the client abandoned when the script asks for it", async () => {
    const s = await script([say("slow answer", { chunks: 4, delayMs: 200 }), say("next")], { redeliverIncomplete: true });
    const abort = new AbortController();
    const { stream: first } = await provider.chatModel(s.model).doStream({ prompt, abortSignal: abort.signal });
    const reader = first.getReader();
    await reader.read();
    abort.abort();
    await reader.read().catch(() => undefined);
    await expect.poll(async () => (await s.requests())[0]?.abandoned, { timeout: 2000 }).toBe(true);
    expect(ofType(await stream(s), "text-delta").map((part) => part.delta).join("")).toBe("slow answer");
    expect(ofType(await stream(s), "text-delta").map((part) => part.delta).join("")).toBe("next");
  });
});

describe("the suite's HTTP servers when a client hangs up", () => {
  it("a request abandoned mid-body ends quietly, and the server goes on answering", async () => {
    const s = await script([say("still here")]);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"model":"'));
      },
    });
    const aborted = new AbortController();
    const pending = fetch(`${testEnv.OPENAI_BASE_URL}/chat/completions`, { method: "POST", body, signal: aborted.signal, headers: { "Content-Type": "application/json" } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    aborted.abort();
    await expect(pending).rejects.toThrow();
    // Before the guard, this hang-up was an unhandled rejection in the server's process, failing the whole run.
    const parts = await stream(s);
    expect(ofType(parts, "text-delta").map((part) => part.delta).join("")).toBe("still here");
  });
});

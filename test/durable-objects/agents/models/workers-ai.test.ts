import { afterEach, describe, expect, it, vi } from "vitest";
import { ModelError, modelFor, type StepRequest } from "../../../../durable-objects/agents/models";

// Workers AI has no local simulation, so its binding is a fake here: `run(model, inputs, options)` answers as the
// real binding does for `stream: true`, a ReadableStream of server-sent events in Workers AI's native format
// (`{"response": "..."}`, `tool_calls`, usage in the last event, `[DONE]`), or throws the binding's coded errors.

type Answer = { events: unknown[]; done?: boolean } | { error: string };

function fakeAi(answers: Answer[]) {
  const calls: { model: string; inputs: any; options: any }[] = [];
  const binding = {
    async run(model: string, inputs: unknown, options: unknown) {
      calls.push({ model, inputs, options });
      const answer = answers.shift();
      if (!answer) throw new Error("fake AI: no answer left");
      if ("error" in answer) throw new Error(answer.error);
      const lines = answer.events.map((event) => `data: ${JSON.stringify(event)}\n\n`);
      if (answer.done !== false) lines.push("data: [DONE]\n\n");
      const bytes = new TextEncoder();
      return new ReadableStream<Uint8Array>({
        start(controller) {
          for (const line of lines) controller.enqueue(bytes.encode(line));
          controller.close();
        },
      });
    },
  };
  return { AI: binding as unknown as Ai, calls };
}

const MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";

function request(overrides: Partial<StepRequest> = {}): StepRequest & { deltas: string[] } {
  const deltas: string[] = [];
  return {
    system: "Be brief.",
    messages: [{ role: "user", content: "hi" }],
    tools: [{ name: "lookup", description: "Look up.", inputSchema: { type: "object", properties: { q: { type: "string" } } } }],
    signal: new AbortController().signal,
    onTextDelta: (delta) => deltas.push(delta),
    deltas,
    ...overrides,
  };
}

afterEach(() => vi.restoreAllMocks());

describe("modelFor with the Workers AI binding", () => {
  it("streams text and tool calls, with usage from the last event", async () => {
    const { AI, calls } = fakeAi([
      {
        events: [
          { response: "Let me " },
          { response: "check." },
          { response: "", tool_calls: [{ id: "call_w1", index: 0, type: "function", function: { name: "lookup", arguments: '{"q":' } }] },
          { response: "", tool_calls: [{ index: 0, function: { arguments: '"ada"}' } }] },
          { response: "", finish_reason: "tool_calls", usage: { prompt_tokens: 33, completion_tokens: 12, total_tokens: 45 } },
        ],
      },
    ]);
    const model = modelFor({ AI, MODEL, OPENAI_BASE_URL: "http://ignored/v1" });
    expect(model.id).toBe(`workers-ai:${MODEL}`);
    const step = request();
    const result = await model.step(step);
    expect(step.deltas).toEqual(["Let me ", "check."]);
    // The provider makes Workers AI's call ids unique per response (`call_w1::cf-wai-tool-call::…`).
    expect(result).toEqual({
      text: "Let me check.",
      toolCalls: [{ id: expect.stringMatching(/^call_w1/), name: "lookup", input: { q: "ada" } }],
      usage: { inputTokens: 33, outputTokens: 12 },
      finishReason: "tool-calls",
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.model).toBe(MODEL);
    expect(calls[0]!.inputs).toMatchObject({ stream: true, messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "hi" }] });
    expect(calls[0]!.inputs.tools).toEqual([{ type: "function", function: { name: "lookup", description: "Look up.", parameters: { type: "object", properties: { q: { type: "string" } } } } }]);
  });

  it("retries the binding's out-of-capacity error (3040 → 429), then streams", async () => {
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    const { AI, calls } = fakeAi([{ error: "3040: Capacity temporarily exceeded, please try again." }, { events: [{ response: "fine" }, { response: "", usage: { prompt_tokens: 1, completion_tokens: 1 } }] }]);
    const step = request();
    const result = await modelFor({ AI, MODEL }).step(step);
    expect(result.text).toBe("fine");
    expect(calls).toHaveLength(2);
  });

  it("fails at once on a binding error that retrying cannot fix", async () => {
    const { AI, calls } = fakeAi([{ error: "5007: No such model" }, { events: [{ response: "never" }] }]);
    const error = await modelFor({ AI, MODEL }).step(request()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ provider: "workers-ai", status: 400, message: "workers-ai 400: 5007: No such model" });
    expect(calls).toHaveLength(1);
  });

  it("reports a stream that stops without finishing as a failure, not an answer", async () => {
    const { AI, calls } = fakeAi([{ events: [{ response: "Half of" }], done: false }, { events: [{ response: "never" }] }]);
    const step = request();
    const error = await modelFor({ AI, MODEL }).step(step).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as Error).message).toContain("the stream ended without finishing");
    expect(step.deltas).toEqual(["Half of"]);
    expect(calls).toHaveLength(1);
  });

  it("answers structured output for intent classification", async () => {
    const answer = { choices: [{ message: { content: '{"skill":"none"}' }, finish_reason: "stop" }], usage: { prompt_tokens: 9, completion_tokens: 4 } };
    const calls: any[] = [];
    const AI = { run: async (_model: string, inputs: unknown) => (calls.push(inputs), answer) } as unknown as Ai;
    const { z } = await import("zod");
    const result = await modelFor({ AI, MODEL }, "intent").object({ system: "", messages: [{ role: "user", content: "x" }], schema: z.object({ skill: z.string() }), name: "intent", signal: new AbortController().signal });
    expect(result).toEqual({ value: { skill: "none" }, usage: { inputTokens: 9, outputTokens: 4 } });
    expect(calls[0].response_format).toMatchObject({ type: "json_schema" });
  });
});

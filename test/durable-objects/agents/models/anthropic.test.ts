import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ModelError, modelFor, type StepRequest } from "../../../../durable-objects/agents/models";
import { callTools, fail, say, script, type Script } from "../../../helpers/model-script";

// Anthropic's native Messages API, against the scripted server's /v1/messages (the same scripts, Anthropic's wire).

const KEY = "sk-ant-scripted-test-key-9876543210";
const anthropicEnv = (s: Script, extra: Record<string, string> = {}) => ({
  MODEL: `anthropic:${s.model}`,
  ANTHROPIC_API_KEY: KEY,
  ANTHROPIC_BASE_URL: (env as Env).OPENAI_BASE_URL!,
  ...extra,
});

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

describe("modelFor with Anthropic's Messages API", () => {
  it("streams text and assembles input_json_delta tool arguments, with usage", async () => {
    const s = await script([callTools([{ id: "toolu_1", name: "lookup", arguments: { q: "Ada Lovelace" }, pieces: 4 }], { text: ["Let me ", "look."], usage: { prompt_tokens: 50, completion_tokens: 20 } })]);
    const model = modelFor(anthropicEnv(s));
    expect(model.id).toBe(`anthropic:${s.model}`);
    const step = request();
    const result = await model.step(step);
    expect(step.deltas).toEqual(["Let me ", "look."]);
    expect(result).toEqual({ text: "Let me look.", toolCalls: [{ id: "toolu_1", name: "lookup", input: { q: "Ada Lovelace" } }], usage: { inputTokens: 50, outputTokens: 20 }, finishReason: "tool-calls" });
    const [sent] = await s.requests();
    expect(sent?.path).toBe("/v1/messages");
    expect(sent?.authorization).toBe(KEY);
    expect(sent?.headers["anthropic-version"]).toBe("2023-06-01");
    expect(sent?.body).toMatchObject({ model: s.model, stream: true, system: [{ type: "text", text: "Be brief." }], tools: [{ name: "lookup", input_schema: { type: "object" } }] });
  });

  it("retries an overloaded 529, and fails a persistent one with a ModelError", async () => {
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    const s = await script([fail(529, { retryAfter: "0" }), say("fine"), fail(529, { times: 3, message: "Overloaded" })]);
    expect((await modelFor(anthropicEnv(s)).step(request())).text).toBe("fine");
    const error = await modelFor(anthropicEnv(s, { MODEL_RETRIES: "1" })).step(request()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ provider: "anthropic", status: 529, message: "anthropic 529: Overloaded" });
  });

  it("fails an error event mid-stream without retrying", async () => {
    const s = await script([say("Partial", { chunks: 3, errorAfter: 4, error: { message: "Overloaded" } }), say("never")]);
    const step = request();
    await expect(modelFor(anthropicEnv(s)).step(step)).rejects.toThrow(/after it began/);
    expect(step.deltas.length).toBeGreaterThan(0);
    expect(await s.requests()).toHaveLength(1);
  });

  it("answers structured output (Anthropic answers it as a forced `json` tool call)", async () => {
    const s = await script([callTools([{ name: "json", arguments: { skill: "none" } }])]);
    const answer = await modelFor(anthropicEnv(s), "intent").object({ system: "", messages: [{ role: "user", content: "x" }], schema: z.object({ skill: z.string() }), name: "intent", signal: new AbortController().signal });
    expect(answer.value).toEqual({ skill: "none" });
    const [sent] = await s.requests();
    expect(sent?.body.tool_choice).toMatchObject({ type: "any" });
  });
});

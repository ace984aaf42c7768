import { describe, expect, it } from "vitest";
import { costOf, priceOf, pricesOf } from "../../../../durable-objects/agents/models";

const million = { inputTokens: 1_000_000, outputTokens: 1_000_000 };

describe("model prices", () => {
  it("prices a model by its id, bare name, proxy path or dated snapshot", () => {
    expect(priceOf("openai-compatible:gpt-4.1-mini")).toEqual({ input: 0.4, output: 1.6 });
    expect(priceOf("claude-haiku-4-5-20251001")).toEqual({ input: 1, output: 5 });
    expect(priceOf("openai-compatible:anthropic/claude-haiku-4-5")).toEqual({ input: 1, output: 5 });
    expect(priceOf("gpt-4.1-mini-2025-04-14")).toEqual({ input: 0.4, output: 1.6 });
    expect(priceOf("workers-ai:@cf/meta/llama-3.3-70b-instruct-fp8-fast")).toEqual({ input: 0.293, output: 2.253 });
    expect(priceOf("openai-compatible:scripted/abc")).toEqual({ input: 0, output: 0 });
    expect(priceOf("openai-compatible:my-finetune")).toBeUndefined();
  });

  it("computes USD per call from usage", () => {
    expect(costOf("anthropic:claude-haiku-4-5", { inputTokens: 2000, outputTokens: 500 })).toBeCloseTo(0.0045, 10);
    expect(costOf("openai-compatible:gpt-4o-mini", million)).toBeCloseTo(0.75, 10);
    expect(costOf("offline:rules", million)).toBe(0);
    expect(costOf("openai-compatible:unknown-model", million)).toBe(0);
  });

  it("lets MODEL_PRICES override and extend the table, and refuses a bad one", () => {
    const env = { MODEL_PRICES: JSON.stringify({ "my-finetune": { input: 3, output: 6 }, "gpt-4o-mini": { input: 1, output: 1 } }) };
    expect(costOf("openai-compatible:my-finetune", million, env)).toBe(9);
    expect(costOf("openai-compatible:gpt-4o-mini", million, env)).toBe(2);
    expect(() => pricesOf({ MODEL_PRICES: "{" })).toThrow("MODEL_PRICES is not JSON");
    expect(() => pricesOf({ MODEL_PRICES: '{"x":{"input":-1,"output":1}}' })).toThrow(/MODEL_PRICES/);
  });
});

import { describe, expect, it } from "vitest";
import { chooseModel, modelFor } from "../../../../durable-objects/agents/models";

describe("which provider a deployment's MODEL goes to", () => {
  it("follows an explicit prefix", () => {
    expect(chooseModel("anthropic:claude-haiku-4-5", { OPENAI_BASE_URL: "http://proxy/v1" })).toEqual({ provider: "anthropic", model: "claude-haiku-4-5" });
    expect(chooseModel("openai:gpt-4.1-mini", {})).toEqual({ provider: "openai-compatible", model: "gpt-4.1-mini" });
    expect(chooseModel("workers-ai:@cf/meta/llama-3.1-8b-instruct", {})).toEqual({ provider: "workers-ai", model: "@cf/meta/llama-3.1-8b-instruct" });
    expect(chooseModel("offline", { OPENAI_API_KEY: "k" })).toEqual({ provider: "offline", model: "rules" });
  });

  it("infers the provider from the model name and what is configured", () => {
    expect(chooseModel("@cf/meta/llama-3.3-70b-instruct-fp8-fast", { OPENAI_BASE_URL: "http://proxy/v1" }).provider).toBe("workers-ai");
    expect(chooseModel("claude-haiku-4-5", { OPENAI_BASE_URL: "http://litellm:4000/v1" }).provider).toBe("openai-compatible");
    expect(chooseModel("gpt-4.1-mini", { OPENAI_API_KEY: "k" }).provider).toBe("openai-compatible");
    expect(chooseModel("claude-haiku-4-5", { ANTHROPIC_API_KEY: "k" }).provider).toBe("anthropic");
    expect(chooseModel(undefined, {})).toEqual({ provider: "offline", model: "rules" });
  });

  it("says what to set when the configuration cannot work", () => {
    expect(() => chooseModel("gpt-4.1-mini", {})).toThrow(/OPENAI_BASE_URL/);
    expect(() => chooseModel(undefined, { OPENAI_API_KEY: "k" })).toThrow(/MODEL is not set/);
    expect(() => modelFor({ MODEL: "@cf/meta/llama-3.1-8b-instruct" })).toThrow(/AI binding/);
    expect(() => modelFor({ MODEL: "anthropic:claude-haiku-4-5" })).toThrow(/ANTHROPIC_API_KEY/);
  });
});

import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { ChatModel } from "../../../../../durable-objects/agents/models/model";
import { ModelError } from "../../../../../durable-objects/agents/models/model";
import { classifyIntent, intentModelName } from "../../../../../durable-objects/agents/orchestrator/prompt/intent";
import { classifyOffline } from "../../../../../durable-objects/agents/orchestrator/prompt/offline-intent";
import { policyFor } from "../../../../../durable-objects/agents/orchestrator/prompt/roles";
import { modelFor } from "../../../../../durable-objects/agents/models";
import { script, structured } from "../../../../helpers/model-script";

type ObjectRequest = Parameters<ChatModel["object"]>[0];

/** A model whose structured output is scripted: it records each request and answers `answer(request)`. */
function fakeModel(answer: (request: ObjectRequest) => unknown, offline = false) {
  const requests: ObjectRequest[] = [];
  const model: ChatModel = {
    id: "fake:intent",
    offline,
    step: () => Promise.reject(new Error("not used")),
    async object<T>(request: { system: string; messages: any[]; schema: z.ZodType<T>; name: string; signal: AbortSignal }) {
      requests.push(request as ObjectRequest);
      const value = request.schema.parse(answer(request as ObjectRequest));
      return { value, usage: { inputTokens: 321, outputTokens: 12 } };
    },
  };
  return { model, requests };
}

const recruiter = policyFor("recruiter");
const viewer = policyFor("viewer");

describe("intent (level 2): offline classifier", () => {
  it("routes clear requests to their skill, and says none to what no skill covers", () => {
    const cases: Array<[string, string]> = [
      ["find candidates with postgres for the backend job", "candidate-search"],
      ["book a technical interview for Thursday at 10:00", "interview-scheduling"],
      ["how many applications are in each stage for the data role?", "pipeline-analytics"],
      ["what's the weather like in Lisbon?", "none"],
      ["write a limerick about cats", "none"],
    ];
    for (const [message, skill] of cases) expect({ message, skill: classifyOffline({ message, currentSkill: null, allowed: recruiter.skills }).skill }).toEqual({ message, skill });
  });

  it("a short follow-up stays in the current skill; the same words without one are out of scope", () => {
    expect(classifyOffline({ message: "yes, go ahead", currentSkill: "offer", allowed: recruiter.skills }).skill).toBe("offer");
    expect(classifyOffline({ message: "yes, go ahead", currentSkill: null, allowed: recruiter.skills }).skill).toBe("none");
    expect(classifyOffline({ message: "Tuesday at 3pm works", currentSkill: "interview-scheduling", allowed: recruiter.skills }).skill).toBe("interview-scheduling");
  });

  it("a request for a skill the role may not use is out of scope for it, not the nearest allowed skill", () => {
    const message = "record a pass for the phone screen, she meets every must-have";
    expect(classifyOffline({ message, currentSkill: null, allowed: recruiter.skills }).skill).toBe("screening");
    expect(classifyOffline({ message, currentSkill: null, allowed: viewer.skills, known: recruiter.skills }).skill).toBe("none");
  });

  it("classifyIntent reports source, shift, zero tokens and its latency when no model is configured", async () => {
    const intent = await classifyIntent({ message: "now book her onsite for next Wednesday at 9am", currentSkill: "screening", policy: recruiter });
    expect(intent).toMatchObject({ skill: "interview-scheduling", shift: true, source: "offline", usage: { inputTokens: 0, outputTokens: 0 } });
    expect(intent.latencyMs).toBeGreaterThanOrEqual(0);
    expect(intent.confidence).toBeGreaterThan(0);
    expect(intent.confidence).toBeLessThanOrEqual(1);
    const same = await classifyIntent({ message: "make it 45 minutes", currentSkill: "interview-scheduling", policy: recruiter });
    expect(same).toMatchObject({ skill: "interview-scheduling", shift: false });
    const offlineModel = fakeModel(() => ({ skill: "offer", shift: true, confidence: 1 }), true);
    expect(await classifyIntent({ message: "hi", currentSkill: null, policy: recruiter, model: offlineModel.model })).toMatchObject({ source: "offline" });
    expect(offlineModel.requests).toHaveLength(0);
  });
});

describe("intent (level 2): through the intent model (ChatModel.object)", () => {
  it("asks with an enum of the role's skills or none, and the role's catalog only", async () => {
    const { model, requests } = fakeModel(() => ({ skill: "pipeline-analytics", shift: false, confidence: 0.9 }));
    const intent = await classifyIntent({ message: "how is the funnel?", currentSkill: "candidate-search", policy: viewer, model, history: [{ role: "user", content: "find people" }, { role: "assistant", content: "Here are three." }] });
    expect(intent).toMatchObject({ skill: "pipeline-analytics", shift: true, confidence: 0.9, source: "model", model: "fake:intent", usage: { inputTokens: 321, outputTokens: 12 } });
    const [request] = requests;
    expect((z.toJSONSchema(request!.schema) as any).properties.skill.enum).toEqual(["none", ...viewer.skills]);
    expect(request!.name).toBe("intent");
    expect(request!.system).toContain("<name>candidate-search</name>");
    expect(request!.system).not.toContain("screening</name>");
    expect(request!.system).not.toContain("job-postings");
    expect(request!.messages.at(-1)).toEqual({ role: "user", content: "how is the funnel?" });
    expect(request!.messages).toHaveLength(3);
  });

  it("an answer outside the enum is not accepted, and the offline classifier decides instead", async () => {
    const { model } = fakeModel(() => ({ skill: "job-postings", shift: true, confidence: 1 }));
    const intent = await classifyIntent({ message: "close the designer posting", currentSkill: null, policy: viewer, model });
    expect(intent.source).toBe("offline");
    expect(intent.skill).not.toBe("job-postings");
    expect(intent.fallback).toMatch(/intent model failed/);
  });

  it("a provider failure falls back to offline; a cancelled run does not", async () => {
    const failing: ChatModel = {
      id: "fake:down", offline: false, step: () => Promise.reject(new Error("x")),
      object: () => Promise.reject(new ModelError("503 Service Unavailable", "fake", 503)),
    };
    const intent = await classifyIntent({ message: "find backend candidates", currentSkill: null, policy: recruiter, model: failing });
    expect(intent).toMatchObject({ source: "offline", skill: "candidate-search", fallback: expect.stringContaining("503") });
    const abort = new AbortController();
    abort.abort();
    await expect(classifyIntent({ message: "x", currentSkill: null, policy: recruiter, model: failing, signal: abort.signal })).rejects.toThrow();
  });

  it("shift agrees with the skill whatever the model says", async () => {
    const { model } = fakeModel(() => ({ skill: "offer", shift: false, confidence: 0.7 }));
    expect(await classifyIntent({ message: "offer her 90k", currentSkill: "screening", policy: recruiter, model })).toMatchObject({ skill: "offer", shift: true });
    const stay = fakeModel(() => ({ skill: "offer", shift: true, confidence: 0.7 }));
    expect(await classifyIntent({ message: "90k", currentSkill: "offer", policy: recruiter, model: stay.model })).toMatchObject({ skill: "offer", shift: false });
  });

  it("one structured-output call over the wire to the scripted Chat Completions server", async () => {
    const s = await script([structured({ skill: "offer", shift: false, confidence: 0.85 })]);
    const model = modelFor(s.env, "intent");
    const intent = await classifyIntent({ message: "offer her 95k starting in March", currentSkill: "screening", policy: recruiter, model });
    expect(intent).toMatchObject({ skill: "offer", shift: true, confidence: 0.85, source: "model", model: `openai-compatible:${s.model}` });
    expect(intent.usage.inputTokens).toBeGreaterThan(0);
    const [request] = await s.requests();
    expect(JSON.stringify(request!.body)).toContain("interview-scheduling");
    expect(JSON.stringify(request!.body)).not.toContain("job-postings");
    expect(request!.body.messages.at(-1)).toMatchObject({ role: "user", content: "offer her 95k starting in March" });
  });

  it("INTENT_MODEL names the intent model, defaulting to MODEL", () => {
    expect(intentModelName({ INTENT_MODEL: "haiku", MODEL: "sonnet" })).toBe("haiku");
    expect(intentModelName({ MODEL: "sonnet" })).toBe("sonnet");
    expect(intentModelName({})).toBeUndefined();
  });
});

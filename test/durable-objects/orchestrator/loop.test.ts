import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { callTools, fail, say, script } from "../../helpers/model-script";
import { call, getTask, notesOf, send, settled, start, stream, withTools } from "../../helpers/orchestrator";
import { askUser, result, type Tool } from "../../../durable-objects/agents/orchestrator/tools/tool";
import { eventually } from "../../helpers/a2a";

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const undo of cleanup.splice(0)) undo();
});

/** A read-only tool that answers from its arguments, counting its calls. */
function lookupTool(calls: unknown[] = []): Tool<{ city: string }> {
  return {
    name: "weather",
    description: "The weather in a city.",
    input: z.object({ city: z.string().min(1) }),
    sideEffects: false,
    async execute({ city }) {
      calls.push(city);
      return result({ city, sky: city === "Oslo" ? "snow" : "sun" });
    },
  };
}

const toolResults = (task: Awaited<ReturnType<typeof getTask>>) =>
  (task.history ?? []).flatMap((m) => m.parts.flatMap((p) => ((p.data as any)?.toolResult ? [(p.data as any).toolResult] : [])));

describe("the orchestrator's loop (model → text or tool calls → results → again)", () => {
  it("streams the answer as ordered, coalesced artifact chunks and ends with it as the last agent message", async () => {
    const words = Array.from({ length: 60 }, (_, i) => `w${i} `);
    const s = await script([{ text: words }]);
    const events = await stream(`${s.marker} tell me a story`);
    const chunks = events.map((e) => e.data.result).filter((r) => r.artifactUpdate).map((r) => r.artifactUpdate);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.length).toBeLessThan(words.length); // coalesced: fewer commits than tokens
    expect(chunks[0].append).toBeUndefined();
    expect(chunks.slice(1).every((c: any) => c.append === true)).toBe(true);
    expect(chunks.at(-1).lastChunk).toBe(true);
    expect(chunks.map((c: any) => c.artifact.parts[0].text).join("")).toBe(words.join(""));
    const final = events.at(-1)!.data.result.statusUpdate;
    expect(final.status.state).toBe("TASK_STATE_COMPLETED");
    expect(final.status.message.parts[0].text).toBe(words.join(""));
    const task = await getTask(final.taskId);
    expect(task.artifacts?.at(-1)?.parts.map((p) => p.text).join("")).toBe(words.join(""));
    expect(task.history?.at(-1)?.parts[0]?.text).toBe(words.join(""));
  });

  it("runs a two-round tool loop: calls, results fed back, then the answer", async () => {
    const seen: unknown[] = [];
    cleanup.push(withTools([lookupTool(seen)]));
    const s = await script([
      callTools([{ name: "weather", arguments: { city: "Oslo" } }], { text: "Checking." }),
      callTools([{ name: "weather", arguments: { city: "Rome" } }]),
      say("Snow in Oslo, sun in Rome."),
    ]);
    const task = await send(`${s.marker} weather in Oslo and Rome?`);
    expect(task.status.state).toBe("TASK_STATE_COMPLETED");
    expect(seen).toEqual(["Oslo", "Rome"]);
    expect(notesOf(task)).toEqual(["ROLE_USER", "model", "tool-result", "model", "tool-result", "answer"]);
    const requests = await s.requests();
    expect(requests).toHaveLength(3);
    // The second call sees the first call and its result, as the provider's wire format puts them.
    const second = requests[1]!.body.messages;
    expect(second.at(-2)).toMatchObject({ role: "assistant", tool_calls: [{ function: { name: "weather" } }] });
    expect(JSON.parse(second.at(-1).content)).toEqual({ city: "Oslo", sky: "snow" });
    expect(requests[0]!.body.tools.map((t: any) => t.function.name)).toEqual(expect.arrayContaining(["weather", "ask_user"]));
  });

  it("returns invalid arguments to the model as an error result, and the model corrects itself", async () => {
    const seen: unknown[] = [];
    cleanup.push(withTools([lookupTool(seen)]));
    const s = await script([
      callTools([{ name: "weather", arguments: { town: "Oslo" } }]),
      callTools([{ name: "weather", arguments: "{city: Oslo" }]),
      callTools([{ name: "no_such_tool", arguments: {} }]),
      callTools([{ name: "weather", arguments: { city: "Oslo" } }]),
      say("Snow."),
    ]);
    const task = await send(`${s.marker} weather?`);
    expect(task.status.state).toBe("TASK_STATE_COMPLETED");
    expect(seen).toEqual(["Oslo"]);
    const results = toolResults(task);
    expect(results.slice(0, 3).every((r) => r.isError)).toBe(true);
    expect(results[0].value.error).toMatch(/Invalid arguments/);
    expect(results[1].value.error).toMatch(/not valid JSON/);
    expect(results[2].value.error).toMatch(/No tool named no_such_tool/);
    expect(results[3].isError).toBeUndefined();
  });

  it("ask_user moves the task to INPUT_REQUIRED; the follow-up resumes the same loop with the answer as the result", async () => {
    const s = await script([
      callTools([{ name: "ask_user", arguments: { question: "Which city?" } }]),
      say("Got it: Oslo."),
    ]);
    const asked = await send(`${s.marker} what's the weather?`);
    expect(asked.status.state).toBe("TASK_STATE_INPUT_REQUIRED");
    expect(asked.status.message?.parts[0]?.text).toBe("Which city?");
    const answered = await send("Oslo", { taskId: asked.id, contextId: asked.contextId });
    expect(answered.status.state).toBe("TASK_STATE_COMPLETED");
    const requests = await s.requests();
    const last = requests[1]!.body.messages.at(-1);
    expect(last.role).toBe("tool");
    expect(JSON.parse(last.content)).toEqual({ answer: "Oslo" });
    // The answer is the tool's result, not a second user message.
    expect(requests[1]!.body.messages.filter((m: any) => m.role === "user")).toHaveLength(1);
  });

  it("carries the visible run state in the task's metadata", async () => {
    const s = await script([say("Hello.", { usage: { prompt_tokens: 120, completion_tokens: 8 } })]);
    const task = await send(`${s.marker} hi`);
    const run = (task.metadata as any).orchestration;
    expect(run).toMatchObject({ model: expect.any(String), stopReason: "answer", usage: { inputTokens: 120, outputTokens: 8 } });
    expect(run.steps).toEqual([expect.objectContaining({ kind: "model", step: 1, inputTokens: 120, outputTokens: 8, durationMs: expect.any(Number) })]);
  });
});

describe("limits end the run with a FAILED status naming the limit", () => {
  it("MAX_STEPS", async () => {
    cleanup.push(withTools([lookupTool()]));
    const loop = Array.from({ length: 5 }, () => callTools([{ name: "weather", arguments: { city: "Oslo" } }]));
    const s = await script(loop);
    const task = await send(`${s.marker} loop`, { metadata: { limits: { MAX_STEPS: 3 } } });
    expect(task.status.state).toBe("TASK_STATE_FAILED");
    expect(task.status.message?.parts[0]?.text).toMatch(/3 model steps \(MAX_STEPS\)/);
    expect((task.metadata as any).orchestration.stopReason).toBe("limit:MAX_STEPS");
    expect(await s.requests()).toHaveLength(3);
  });

  it.each([
    ["MAX_INPUT_TOKENS", { prompt_tokens: 500, completion_tokens: 1 }, 400],
    ["MAX_OUTPUT_TOKENS", { prompt_tokens: 1, completion_tokens: 500 }, 400],
    ["MAX_COST_USD", { prompt_tokens: 1000, completion_tokens: 100 }, 0.0005],
  ] as const)("%s", async (limit, usage, value) => {
    cleanup.push(withTools([lookupTool()]));
    const s = await script([callTools([{ name: "weather", arguments: { city: "Oslo" } }], { usage }), say("never")]);
    const task = await send(`${s.marker} go`, { metadata: { limits: { [limit]: value } } });
    expect(task.status.state).toBe("TASK_STATE_FAILED");
    expect(task.status.message?.parts[0]?.text).toContain(`(${limit})`);
    expect(await s.requests()).toHaveLength(1);
  });

  it("MAX_RUN_SECONDS stops a model call in flight", async () => {
    const s = await script([say("slow", { firstByteDelayMs: 5000 })]);
    const started = Date.now();
    const task = await send(`${s.marker} go`, { metadata: { limits: { MAX_RUN_SECONDS: 1 } } });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(task.status.state).toBe("TASK_STATE_FAILED");
    expect(task.status.message?.parts[0]?.text).toContain("(MAX_RUN_SECONDS)");
  });

  it("TOOL_TIMEOUT_MS gives the model an error result instead of waiting", async () => {
    const stuck: Tool<Record<string, never>> = {
      name: "stuck",
      description: "Never answers.",
      input: z.object({}),
      sideEffects: false,
      execute: () => new Promise(() => {}),
    };
    cleanup.push(withTools([stuck]));
    const s = await script([callTools([{ name: "stuck", arguments: {} }]), say("It timed out.")]);
    const task = await send(`${s.marker} go`, { metadata: { limits: { TOOL_TIMEOUT_MS: 200 } } });
    expect(task.status.state).toBe("TASK_STATE_COMPLETED");
    expect(toolResults(task)[0]).toMatchObject({ isError: true, value: { timedOut: true } });
  });
});

describe("cancellation", () => {
  it("CancelTask mid-stream aborts the model call and the task is CANCELED within a second", async () => {
    const s = await script([{ text: ["a ", "b ", "c ", "d ", "e ", "f ", "g ", "h"], delayMs: 500 }]);
    const task = await start(`${s.marker} go`);
    await eventually(async () => ((await s.requests()).length > 0 ? true : undefined));
    const before = Date.now();
    const canceled = await call("CancelTask", { id: task.id });
    expect(canceled.status.state).toBe("TASK_STATE_CANCELED");
    expect(Date.now() - before).toBeLessThan(1000);
    await eventually(async () => ((await s.requests())[0]!.abandoned ? true : undefined), 3000, "the model request to be abandoned");
    expect((await getTask(task.id)).status.state).toBe("TASK_STATE_CANCELED");
  });

  it("CancelTask mid-tool aborts the tool's signal", async () => {
    let aborted = false;
    let started = false;
    const waiting: Tool<Record<string, never>> = {
      name: "long_job",
      description: "Takes a while.",
      input: z.object({}),
      sideEffects: false,
      execute: (_args, ctx) =>
        new Promise((resolve) => {
          started = true;
          ctx.signal.addEventListener("abort", () => {
            aborted = true;
            resolve(result("stopped"));
          });
        }),
    };
    cleanup.push(withTools([waiting]));
    const s = await script([callTools([{ name: "long_job", arguments: {} }]), say("never")]);
    const task = await start(`${s.marker} go`);
    await eventually(async () => (started ? true : undefined));
    const canceled = await call("CancelTask", { id: task.id });
    expect(canceled.status.state).toBe("TASK_STATE_CANCELED");
    expect(aborted).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await s.requests()).toHaveLength(1);
    expect((await getTask(task.id)).status.state).toBe("TASK_STATE_CANCELED");
  });
});

describe("provider errors", () => {
  it("a 429 with Retry-After is retried, and the run goes on", async () => {
    const s = await script([fail(429, { retryAfter: "1" }), say("after the wait")]);
    const task = await send(`${s.marker} go`);
    expect(task.status.state).toBe("TASK_STATE_COMPLETED");
    const requests = await s.requests();
    expect(requests.map((r) => r.status)).toEqual([429, 200]);
    expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it("a 500 that persists fails the task with the provider's status and message, never as an answer", async () => {
    const s = await script([fail(500, { message: "upstream exploded", times: 10 })]);
    const task = await send(`${s.marker} go`);
    expect(task.status.state).toBe("TASK_STATE_FAILED");
    const text = task.status.message?.parts[0]?.text ?? "";
    expect(text).toMatch(/HTTP 500/);
    expect(text).toMatch(/upstream exploded/);
    expect(text).not.toContain("sk-scripted");
    expect(task.artifacts ?? []).toEqual([]);
  });
});

describe("asking twice and the task's own follow-ups", () => {
  it("a question asked by a tool that resumes stays in the same call", async () => {
    const confirm: Tool<{ what: string }> = {
      name: "confirm",
      description: "Asks the user to confirm.",
      input: z.object({ what: z.string() }),
      sideEffects: false,
      async execute({ what }) {
        return askUser(`Confirm ${what}?`, { what });
      },
      async resume(state, answer) {
        return result({ confirmed: answer.parts[0]?.text === "yes", what: (state as { what: string }).what });
      },
    };
    cleanup.push(withTools([confirm]));
    const s = await script([callTools([{ name: "confirm", arguments: { what: "the offer" } }]), say("Done.")]);
    const asked = await send(`${s.marker} send the offer`);
    expect(asked.status.message?.parts[0]?.text).toBe("Confirm the offer?");
    const done = await send("yes", { taskId: asked.id });
    expect(done.status.state).toBe("TASK_STATE_COMPLETED");
    expect(toolResults(done)).toEqual([{ id: expect.any(String), name: "confirm", value: { confirmed: true, what: "the offer" } }]);
    expect(await settled(done.id)).toMatchObject({ status: { state: "TASK_STATE_COMPLETED" } });
  });
});

describe("MCP tools in the loop", () => {
  it("a caller whose role may use the test MCP server gets its tools; the model calls one on the real server", async () => {
    const tester = { claims: { sub: `mcp-${crypto.randomUUID()}`, role: "mcp-tester" } } as const;
    const s = await script([callTools([{ name: "test__add", arguments: { a: 20, b: 22 } }]), say("It is 42.")]);
    const task = await send(`${s.marker} add 20 and 22`, {}, {}, tester);
    expect(task.status.state).toBe("TASK_STATE_COMPLETED");
    expect(toolResults(task)).toEqual([expect.objectContaining({ name: "test__add", value: expect.objectContaining({ sum: 42 }) })]);
    const offered = (await s.requests())[0]!.body.tools.map((t: any) => t.function.name);
    expect(offered).toEqual(expect.arrayContaining(["test__add", "test__echo", "ask_user"]));
  });

  it("a caller without that role is never offered them, and a forged call is refused", async () => {
    const s = await script([callTools([{ name: "test__add", arguments: { a: 1, b: 2 } }]), say("Refused.")]);
    const task = await send(`${s.marker} add`);
    expect((await s.requests())[0]!.body.tools.map((t: any) => t.function.name)).not.toContain("test__add");
    expect(toolResults(task)).toEqual([expect.objectContaining({ name: "test__add", isError: true })]);
  });
});

import { abortAllDurableObjects } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Task } from "../../../schema/a2a";
import { result, type Tool } from "../../../durable-objects/agents/orchestrator/tools/tool";
import { eventually } from "../../helpers/a2a";
import { callTools, say, script, type Reply } from "../../helpers/model-script";
import { getTask, notesOf, send, settled, start, withTools } from "../../helpers/orchestrator";

/**
 * A restart as a deploy or a crash does it: every object's instance is torn down at once, whatever it was doing
 * (its storage and alarms stay). The graceful `evictDurableObject` would wait for the run's work to finish first.
 */
const restart = () => abortAllDurableObjects();

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const undo of cleanup.splice(0)) undo();
});

/** A side-effecting tool that records each time it really ran (what a double booking would show). */
function bookingTool(ran: string[], options: { idempotent?: boolean; gate?: Promise<void> } = {}): Tool<{ room: string }> {
  return {
    name: "book_room",
    description: "Books a meeting room.",
    input: z.object({ room: z.string() }),
    sideEffects: true,
    ...(options.idempotent ? { idempotent: true } : {}),
    async execute({ room }, ctx) {
      ran.push(`${room}@${ctx.idempotencyKey}`);
      await options.gate;
      return result({ booked: room });
    },
  };
}

const lookup: Tool<{ q: string }> = {
  name: "lookup",
  description: "Looks something up.",
  input: z.object({ q: z.string() }),
  sideEffects: false,
  async execute({ q }) {
    return result({ q, found: q.length });
  },
};

/** A five-step run: three tool rounds (one of them side-effecting), then a streamed answer. */
function fiveSteps(slow: Partial<Reply>): Reply[] {
  return [
    callTools([{ name: "lookup", arguments: { q: "rooms" } }], { text: "Let me look.", ...slow }),
    callTools([{ name: "book_room", arguments: { room: "Fjord" } }], slow),
    callTools([{ name: "lookup", arguments: { q: "attendees" } }], slow),
    callTools([{ name: "lookup", arguments: { q: "agenda" } }], slow),
    { text: ["Booked ", "Fjord ", "for ", "everyone, ", "agenda ", "attached."], ...slow },
  ];
}

/** What two runs must agree on: the steps, the tool results, the answer and the artifacts' text. */
function outcomeOf(task: Task) {
  return {
    state: task.status.state,
    notes: notesOf(task),
    parts: (task.history ?? []).slice(1).map((m) =>
      m.parts.map((p) => {
        const data = p.data as any;
        if (data?.toolCall) return { toolCall: { name: data.toolCall.name, args: data.toolCall.args } };
        if (data?.toolResult) return { toolResult: { name: data.toolResult.name, value: data.toolResult.value } };
        return p;
      }),
    ),
    artifacts: (task.artifacts ?? []).map((a) => a.parts.map((p) => p.text).join("")),
  };
}

describe("durable runs: a restart mid-run finishes as if nothing happened", () => {
  it("restarted in every model call and mid-stream, a 5-step run ends with the same history and artifacts, each completed step requested once, the booking made once", async () => {
    const baselineRan: string[] = [];
    cleanup.push(withTools([lookup, bookingTool(baselineRan)]));
    const baselineScript = await script(fiveSteps({}));
    const baseline = await send(`${baselineScript.marker} book a room`);
    expect(baseline.status.state).toBe("TASK_STATE_COMPLETED");
    cleanup.splice(0).forEach((undo) => undo());

    const ran: string[] = [];
    cleanup.push(withTools([lookup, bookingTool(ran)]));
    // Every reply is slow to start, so each model call is in flight when the objects restart; the last one also
    // streams slowly, so it is cut mid-stream. A re-issued call (the same prompt) gets the same reply again.
    const replies = fiveSteps({ firstByteDelayMs: 400 });
    replies[4] = { ...replies[4]!, delayMs: 150 };
    const s = await script(replies, { samePromptSameReply: true });
    const task = await start(`${s.marker} book a room`);
    for (let step = 0; step < 5; step += 1) {
      // Step k's model call is in flight once 2k+1 requests arrived (each earlier step: one lost, one completed).
      await eventually(async () => ((await s.requests()).length >= 2 * step + 1 ? true : undefined), 10_000, `model call ${step + 1}`);
      if (step === 4) {
        // Mid-stream: some of the answer's chunks have been committed before the eviction.
        await eventually(async () => ((await getTask(task.id)).artifacts?.some((a) => a.parts.length >= 2) ? true : undefined), 10_000, "answer chunks");
      }
      await restart();
      // The next request (or the heartbeat alarm) brings the object back, and it resumes the run.
      await getTask(task.id);
    }
    const done = await settled(task.id, 20_000);
    expect(outcomeOf(done)).toEqual(outcomeOf(baseline));
    // Five steps, each prompt requested twice: once lost to a restart, once completed. A completed step is never
    // asked again: the prompts come in step order, and no step's prompt appears after the next step's.
    const prompts = (await s.requests()).map((r) => JSON.stringify(r.body.messages));
    const distinct = [...new Set(prompts)];
    expect(distinct).toHaveLength(5);
    expect(distinct.map((p) => prompts.filter((q) => q === p).length)).toEqual([2, 2, 2, 2, 2]);
    expect(prompts.map((p) => distinct.indexOf(p))).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    expect(ran).toHaveLength(1);
    expect(baselineRan).toHaveLength(1);
  });

  it("a side-effecting tool cut off by a restart is not run again: the model is told it was interrupted", async () => {
    const ran: string[] = [];
    cleanup.push(withTools([bookingTool(ran, { gate: new Promise(() => {}) })]));
    const s = await script([callTools([{ name: "book_room", arguments: { room: "Fjord" } }]), say("I could not confirm the booking.")]);
    const task = await start(`${s.marker} book it`);
    await eventually(async () => (ran.length === 1 ? true : undefined), 10_000, "the booking to start");
    await restart();
    await getTask(task.id);
    const done = await settled(task.id);
    expect(done.status.state).toBe("TASK_STATE_COMPLETED");
    expect(ran).toHaveLength(1);
    const results = (done.history ?? []).flatMap((m) => m.parts.flatMap((p) => ((p.data as any)?.toolResult ? [(p.data as any).toolResult] : [])));
    expect(results).toEqual([expect.objectContaining({ name: "book_room", isError: true, value: expect.objectContaining({ interrupted: true }) })]);
    const toModel = (await s.requests())[1]!.body.messages.at(-1);
    expect(toModel.content).toContain("interrupted by a restart");
  });

  it("an idempotent side-effecting tool cut off by a restart runs again with the same idempotency key", async () => {
    const ran: string[] = [];
    let calls = 0;
    const tool = bookingTool(ran, { idempotent: true });
    const gated: Tool<{ room: string }> = {
      ...tool,
      async execute(args, ctx) {
        calls += 1;
        if (calls === 1) {
          ran.push(`${args.room}@${ctx.idempotencyKey}`);
          await new Promise(() => {}); // the first attempt never finishes: the object is evicted under it
        }
        return tool.execute(args, ctx);
      },
    };
    cleanup.push(withTools([gated]));
    const s = await script([callTools([{ name: "book_room", arguments: { room: "Fjord" } }]), say("Booked.")]);
    const task = await start(`${s.marker} book it`);
    await eventually(async () => (ran.length === 1 ? true : undefined), 10_000, "the first attempt");
    await restart();
    await getTask(task.id);
    const done = await settled(task.id);
    expect(done.status.state).toBe("TASK_STATE_COMPLETED");
    expect(ran).toHaveLength(2);
    expect(new Set(ran.map((r) => r.split("@")[1])).size).toBe(1);
  });
});

import { describe, expect, it } from "vitest";
import { say, script } from "../../helpers/model-script";
import { send, settled, start } from "../../helpers/orchestrator";

const userTexts = (body: any) => body.messages.filter((m: any) => m.role === "user").map((m: any) => m.content);
const assistantTexts = (body: any) => body.messages.filter((m: any) => m.role === "assistant").map((m: any) => m.content);

describe("each run sees the whole conversation of its context", () => {
  it("a follow-up sent the moment a task completed sees that task's messages (from Postgres, in one read)", async () => {
    const s = await script([say("The first answer."), say("The second answer.")]);
    const contextId = crypto.randomUUID();
    const first = await send(`${s.marker} first question`, { contextId });
    expect(first.status.state).toBe("TASK_STATE_COMPLETED");
    const second = await send("second question", { contextId });
    expect(second.status.state).toBe("TASK_STATE_COMPLETED");
    expect(second.id).not.toBe(first.id);
    const [, secondRequest] = await s.requests();
    expect(userTexts(secondRequest!.body)).toEqual([`${s.marker} first question`, "second question"]);
    expect(assistantTexts(secondRequest!.body)).toEqual(["The first answer."]);
  });

  it("two messages sent at once in one context are answered in the order they arrived, the second seeing the first", async () => {
    const s = await script([say("Answer one.", { firstByteDelayMs: 600 }), say("Answer two.")]);
    const contextId = crypto.randomUUID();
    const one = await start(`${s.marker} message one`, { contextId });
    const two = await start("message two", { contextId });
    const [doneOne, doneTwo] = await Promise.all([settled(one.id), settled(two.id)]);
    expect(doneOne.status.state).toBe("TASK_STATE_COMPLETED");
    expect(doneTwo.status.state).toBe("TASK_STATE_COMPLETED");
    const requests = await s.requests();
    expect(requests).toHaveLength(2);
    expect(userTexts(requests[0]!.body)).toEqual([`${s.marker} message one`]);
    expect(userTexts(requests[1]!.body)).toEqual([`${s.marker} message one`, "message two"]);
    expect(assistantTexts(requests[1]!.body)).toEqual(["Answer one."]);
    expect(Date.parse(doneTwo.status.timestamp!)).toBeGreaterThanOrEqual(Date.parse(doneOne.status.timestamp!));
  });

  it("other contexts and other owners are never part of a conversation", async () => {
    const s = await script([say("A."), say("B.")]);
    await send(`${s.marker} secret in context one`, { contextId: crypto.randomUUID() });
    await send(`${s.marker} hello in context two`, { contextId: crypto.randomUUID() });
    const [, second] = await s.requests();
    expect(userTexts(second!.body)).toEqual([`${s.marker} hello in context two`]);
  });
});

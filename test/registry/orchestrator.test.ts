import { abortAllDurableObjects } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { derivedId } from "../../durable-objects/agents/orchestrator/tools/delegate-call";
import { eventually } from "../helpers/a2a";
import { callTools, say, script } from "../helpers/model-script";
import { call, getTask, notesOf, send, settled, start, stream, userMessage } from "../helpers/orchestrator";
import { cardUrlOf, register, statsOf, uniqueId } from "../helpers/registry";

const toolResults = (history: any[] = []) => history.flatMap((m) => m.parts.flatMap((p: any) => (p.data?.toolResult ? [p.data.toolResult] : [])));

describe("the orchestrator delegates through send_to_agent", () => {
  it("streams the child's status updates and artifacts in the parent's stream as they arrive, in order", async () => {
    const id = uniqueId("child");
    await register({ id, replicas: [cardUrlOf("alpha")] });
    const s = await script([callTools([{ name: "send_to_agent", arguments: { agent: id, message: "slow lane" } }]), say("The child is done.")]);
    const events = await stream(`${s.marker} ask the child`);
    const results = events.map((e) => e.data.result);
    const childEvents = results.filter((r) => (r.statusUpdate?.status.message?.metadata ?? r.artifactUpdate?.artifact.metadata)?.delegation);
    const shown = childEvents.map((r) => (r.statusUpdate ? `status:${r.statusUpdate.status.message.parts[0].text}` : `artifact:${r.artifactUpdate.artifact.parts[0].text}`));
    expect(shown).toEqual([`status:${id}: submitted`, "status:working on: slow lane", "artifact:slow-1 ", "artifact:slow-2 ", "artifact:slow-3 ", "status:done: slow lane"]);
    const childTaskId = childEvents[0].statusUpdate.status.message.metadata.delegation.taskId;
    expect(childEvents.every((r) => (r.statusUpdate?.status.message?.metadata ?? r.artifactUpdate?.artifact.metadata).delegation.agentId === id)).toBe(true);
    expect(childEvents.filter((r) => r.artifactUpdate).map((r) => [r.artifactUpdate.append ?? false, r.artifactUpdate.lastChunk ?? false])).toEqual([
      [false, false],
      [true, false],
      [true, true],
    ]);
    // The child's events come between the tool call and its result, and the answer follows.
    const task = await getTask(results[0].task.id);
    expect(task.status.state).toBe("TASK_STATE_COMPLETED");
    expect(toolResults(task.history)).toEqual([expect.objectContaining({ name: "send_to_agent", value: expect.objectContaining({ agent: id, taskId: childTaskId, state: "completed" }) })]);
    expect(task.artifacts!.some((a) => a.artifactId.startsWith(`${childTaskId}/`))).toBe(true);
    // The model saw the child's answer as the tool result.
    const toModel = (await s.requests())[1]!.body.messages.at(-1);
    expect(toModel.content).toContain("done: slow lane");
    // And the model was offered the agent, described from its card.
    const offered = (await s.requests())[0]!.body.tools.find((t: any) => t.function.name === "send_to_agent");
    expect(offered.function.parameters.properties.agent.enum).toContain(id);
  });

  it("surfaces a child's question as the parent's INPUT_REQUIRED and sends the user's answer back to the child", async () => {
    const id = uniqueId("asker");
    await register({ id, replicas: [cardUrlOf("legacy")] });
    const s = await script([callTools([{ name: "send_to_agent", arguments: { agent: id, message: "ask who" } }]), say("Greeted.")]);
    const waiting = await send(`${s.marker} greet me`);
    expect(waiting.status.state).toBe("TASK_STATE_INPUT_REQUIRED");
    expect(waiting.status.message?.parts).toEqual([{ text: "What is your name?" }]);
    const answered = await call("SendMessage", { message: userMessage("Grace", { taskId: waiting.id, contextId: waiting.contextId }) });
    const done = await settled(answered.task.id);
    expect(done.status.state).toBe("TASK_STATE_COMPLETED");
    const [result] = toolResults(done.history);
    expect(result.value).toMatchObject({ agent: id, state: "completed", text: "Hello, Grace" });
    const child = (await statsOf("legacy")).messages.filter((m) => m.taskId === result.value.taskId);
    expect(child.map((m) => m.text)).toEqual(["ask who", "Grace"]);
  });

  it("cancelling the parent cancels the running child downstream", async () => {
    const id = uniqueId("hanger");
    await register({ id, replicas: [cardUrlOf("alpha")] });
    const s = await script([callTools([{ name: "send_to_agent", arguments: { agent: id, message: "hang there" } }]), say("unreachable")]);
    const task = await start(`${s.marker} wait forever`);
    const child = await eventually(async () => (await statsOf("alpha")).messages.find((m) => m.text === "hang there" && m.referenceTaskIds.includes(task.id)), 10_000, "the child");
    const canceled = await call("CancelTask", { id: task.id });
    expect(canceled.status.state).toBe("TASK_STATE_CANCELED");
    await eventually(async () => ((await statsOf("alpha")).cancels.includes(child.taskId) ? true : undefined), 10_000, "CancelTask downstream");
  });

  it("cancelling the parent while a child waits for the user's answer cancels the child downstream", async () => {
    const id = uniqueId("waiter");
    await register({ id, replicas: [cardUrlOf("alpha")] });
    const s = await script([callTools([{ name: "send_to_agent", arguments: { agent: id, message: "ask first" } }]), say("unreachable")]);
    const waiting = await send(`${s.marker} ask, then be cancelled`);
    expect(waiting.status.state).toBe("TASK_STATE_INPUT_REQUIRED");
    const child = (await statsOf("alpha")).messages.find((m) => m.text === "ask first" && m.referenceTaskIds.includes(waiting.id))!;
    expect((await statsOf("alpha")).cancels).not.toContain(child.taskId);
    expect((await call("CancelTask", { id: waiting.id })).status.state).toBe("TASK_STATE_CANCELED");
    await eventually(async () => ((await statsOf("alpha")).cancels.includes(child.taskId) ? true : undefined), 10_000, "CancelTask downstream");
  });

  it("restarted mid-delegation, the run resumes and follows the same child: it is not created twice", async () => {
    const id = uniqueId("durable");
    await register({ id, replicas: [cardUrlOf("alpha")] });
    const s = await script([callTools([{ name: "send_to_agent", arguments: { agent: id, message: "slow and steady" } }]), say("All done.")], { samePromptSameReply: true });
    const task = await start(`${s.marker} delegate, then survive a restart`);
    // The child is working (its first chunk is 300 ms away) when every object restarts.
    await eventually(async () => ((await statsOf("alpha")).messages.some((m) => m.referenceTaskIds.includes(task.id)) ? true : undefined), 10_000, "the child");
    await abortAllDurableObjects();
    await getTask(task.id);
    const done = await settled(task.id, 20_000);
    expect(done.status.state).toBe("TASK_STATE_COMPLETED");
    const sent = (await statsOf("alpha")).messages.filter((m) => m.referenceTaskIds.includes(task.id));
    expect(sent).toHaveLength(1);
    const [result] = toolResults(done.history);
    expect(result.value).toMatchObject({ state: "completed", taskId: sent[0]!.taskId, text: "done: slow and steady" });
    // Its messageId came from the call's idempotency key: the same before and after the restart.
    const note = notesOf(done).includes("tool-result")
      ? (done.history!.find((m) => (m.metadata as any)?.orchestration?.kind === "tool-result")!.metadata as any).orchestration
      : undefined;
    expect(sent[0]!.messageId).toBe(await derivedId(`${task.id}/${note.step}/${note.callId}`));
  });
});

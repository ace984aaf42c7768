import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AgentExecutor } from "../../durable-objects/executor";
import { mintTaskId } from "../../workers/tasks";
import { makeMessage, rpc } from "../helpers/a2a";
import { DEFAULT_OWNER } from "../helpers/auth";

const stubOf = (taskId: string) => env.TASKS.get(env.TASKS.idFromName(taskId));
const SECRET = "postgres://admin:hunter2@db.internal/prod";

/** An agent with a bug: its exception text carries something no caller may see. */
const failingAgent: AgentExecutor = {
  async execute() {
    throw new Error(`could not reach ${SECRET}`);
  },
  async cancel() {},
};

/** Puts the failing agent into the task object that `taskId` names, before the message that runs it arrives. */
async function withFailingAgent(taskId: string): Promise<void> {
  await runInDurableObject(stubOf(taskId), (instance) => {
    (instance as unknown as { executor: AgentExecutor }).executor = failingAgent;
  });
}

function captureErrors(): unknown[] {
  const lines: unknown[] = [];
  vi.spyOn(console, "error").mockImplementation((line: unknown) => void lines.push(JSON.parse(String(line))));
  return lines;
}

describe("an agent that throws", () => {
  afterEach(() => vi.restoreAllMocks());

  it("fails the task with a generic message naming the request id; the log has the stack under that id", async () => {
    const lines = captureErrors();
    const message = makeMessage();
    const taskId = await mintTaskId({ tenant: "", owner: DEFAULT_OWNER }, message.messageId);
    await withFailingAgent(taskId);
    const { body } = await rpc("SendMessage", { message }, { "X-Request-ID": "agent-boom-1" });
    const task = body.result.task;
    expect(task.id).toBe(taskId);
    expect(task.status.state).toBe("TASK_STATE_FAILED");
    expect(task.status.message.parts).toEqual([{ text: "The agent failed; the server log has it under request agent-boom-1" }]);
    expect(JSON.stringify(body)).not.toContain("hunter2");
    expect(lines).toContainEqual({ at: "agent", requestId: "agent-boom-1", taskId, error: expect.stringMatching(/^Error: could not reach postgres:.*\n\s+at /) });
  });

  it("does the same when a follow-up runs it", async () => {
    const lines = captureErrors();
    const first = await rpc("SendMessage", { message: makeMessage({ messageId: `tck-input-required-${crypto.randomUUID()}` }) });
    const taskId = first.body.result.task.id;
    expect(first.body.result.task.status.state).toBe("TASK_STATE_INPUT_REQUIRED");
    await withFailingAgent(taskId);
    const { body } = await rpc("SendMessage", { message: makeMessage({ taskId }) }, { "X-Request-ID": "agent-boom-2" });
    expect(body.result.task.status.state).toBe("TASK_STATE_FAILED");
    expect(body.result.task.status.message.parts[0].text).toBe("The agent failed; the server log has it under request agent-boom-2");
    expect(JSON.stringify(body)).not.toContain("hunter2");
    expect(lines).toContainEqual(expect.objectContaining({ at: "agent", requestId: "agent-boom-2", taskId }));
  });
});

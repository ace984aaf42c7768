import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { demoAgent } from "../../durable-objects/agents/demo-agent";
import { makeMessage, rpc } from "../helpers/a2a";
import { captureLogs, type LogLine } from "../helpers/logs";

const SECRET = "postgres://admin:hunter2@db.internal/prod";
/** Messages whose id starts with this make the demo agent (served at the root in the tests) throw, like a bug would. */
const BOOM = "boom-";

describe("an agent that throws", () => {
  let logged: LogLine[];
  beforeEach(() => {
    const execute = demoAgent.execute.bind(demoAgent);
    vi.spyOn(demoAgent, "execute").mockImplementation(async (request, updater, context) => {
      if (request.message.messageId.startsWith(BOOM)) throw new Error(`could not reach ${SECRET}`);
      return execute(request, updater, context);
    });
    logged = captureLogs("error");
  });
  afterEach(() => vi.restoreAllMocks());

  it("fails the task with a generic message naming the request id; the log has the stack under that id", async () => {
    const { body } = await rpc("SendMessage", { message: makeMessage({ messageId: `${BOOM}${crypto.randomUUID()}` }) }, { "X-Request-ID": "agent-boom-1" });
    const task = body.result.task;
    expect(task.status.state).toBe("TASK_STATE_FAILED");
    expect(task.status.message.parts).toEqual([{ text: "The agent failed; the server log has it under request agent-boom-1" }]);
    expect(JSON.stringify(body)).not.toContain("hunter2");
    expect(logged).toContainEqual({ at: "agent", requestId: "agent-boom-1", taskId: task.id, error: expect.stringMatching(/^Error: could not reach postgres:.*\n\s+at /) });
  });

  it("does the same when a follow-up runs it", async () => {
    const first = await rpc("SendMessage", { message: makeMessage({ messageId: `tck-input-required-${crypto.randomUUID()}` }) });
    const taskId = first.body.result.task.id;
    expect(first.body.result.task.status.state).toBe("TASK_STATE_INPUT_REQUIRED");
    const { body } = await rpc("SendMessage", { message: makeMessage({ taskId, messageId: `${BOOM}${crypto.randomUUID()}` }) }, { "X-Request-ID": "agent-boom-2" });
    expect(body.result.task.status.state).toBe("TASK_STATE_FAILED");
    expect(body.result.task.status.message.parts[0].text).toBe("The agent failed; the server log has it under request agent-boom-2");
    expect(JSON.stringify(body)).not.toContain("hunter2");
    expect(logged).toContainEqual(expect.objectContaining({ at: "agent", requestId: "agent-boom-2", taskId }));
  });
});

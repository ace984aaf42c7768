import { Role, TaskState, type Message, type Task } from "@a2a-js/sdk";
import { ClientFactory, DefaultAgentCardResolver, JsonRpcTransportFactory, RestTransportFactory } from "@a2a-js/sdk/client";
import { describe, expect, it } from "vitest";
import { eventually, ORIGIN, worker } from "../helpers/a2a";

const fetchImpl = ((input: RequestInfo | URL, init?: RequestInit) => worker(new Request(input, init))) as typeof fetch;

/** The official JS SDK client, discovering the platform from its card, pinned to one binding. */
async function clientFor(binding: "JSONRPC" | "HTTP+JSON") {
  const factory = new ClientFactory({
    transports: [new JsonRpcTransportFactory({ fetchImpl }), new RestTransportFactory({ fetchImpl })],
    cardResolver: new DefaultAgentCardResolver({ fetchImpl }),
    preferredTransports: [binding],
  });
  return factory.createFromUrl(ORIGIN);
}

/** A user message in the SDK's own in-memory model (proto defaults, enum numbers, `$case` parts). */
const userMessage = (text: string, messageId: string = crypto.randomUUID()): Message => ({
  messageId,
  contextId: "",
  taskId: "",
  role: Role.ROLE_USER,
  parts: [{ content: { $case: "text", value: text }, metadata: undefined, filename: "", mediaType: "" }],
  metadata: undefined,
  extensions: [],
  referenceTaskIds: [],
});

const asTask = (result: Message | Task): Task => {
  if (!("status" in result)) throw new Error(`expected a task, got ${JSON.stringify(result)}`);
  return result;
};
const textOf = (message: Message | undefined) => (message?.parts[0]?.content?.$case === "text" ? message.parts[0].content.value : undefined);

describe.each(["JSONRPC", "HTTP+JSON"] as const)("official @a2a-js/sdk client over %s", (binding) => {
  it("sends a message and gets the completed task", async () => {
    const client = await clientFor(binding);
    const task = asTask(await client.sendMessage({ tenant: "", message: userMessage(`hello over ${binding}`), configuration: undefined, metadata: undefined }));
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const got = await client.getTask({ tenant: "", id: task.id, historyLength: undefined });
    expect(got.id).toBe(task.id);
    expect(got.contextId).toBe(task.contextId);
    expect(textOf(got.status?.message)).toBe(`You said: hello over ${binding}`);
  });

  it("cancels a task that is waiting for input", async () => {
    const client = await clientFor(binding);
    const message = userMessage("wait", `tck-input-required-${crypto.randomUUID()}`);
    const task = asTask(await client.sendMessage({ tenant: "", message, configuration: undefined, metadata: undefined }));
    expect(task.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const canceled = await client.cancelTask({ tenant: "", id: task.id, metadata: undefined });
    expect(canceled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
  });

  it("streams a message with sendMessageStream: task first, then the updates, then the end", async () => {
    const client = await clientFor(binding);
    const cases: string[] = [];
    const states: TaskState[] = [];
    const message = userMessage("stream", `tck-stream-artifact-chunked-${crypto.randomUUID()}`);
    for await (const event of client.sendMessageStream({ tenant: "", message, configuration: undefined, metadata: undefined })) {
      cases.push(event.payload!.$case);
      if (event.payload?.$case === "statusUpdate") states.push(event.payload.value.status!.state);
    }
    expect(cases).toEqual(["task", "statusUpdate", "artifactUpdate", "artifactUpdate", "statusUpdate"]);
    expect(states).toEqual([TaskState.TASK_STATE_WORKING, TaskState.TASK_STATE_COMPLETED]);
  });

  it("resubscribes to a running task with resubscribeTask", async () => {
    const client = await clientFor(binding);
    const message = { ...userMessage("slow"), metadata: { demoChunks: 3, demoIntervalMs: 30 } };
    const started = asTask(await client.sendMessage({ tenant: "", message, configuration: { acceptedOutputModes: [], taskPushNotificationConfig: undefined, historyLength: undefined, returnImmediately: true }, metadata: undefined }));
    const cases: string[] = [];
    let last: TaskState | undefined;
    for await (const event of client.resubscribeTask({ tenant: "", id: started.id })) {
      cases.push(event.payload!.$case);
      if (event.payload?.$case === "statusUpdate") last = event.payload.value.status!.state;
    }
    expect(cases[0]).toBe("task");
    expect(cases).toContain("artifactUpdate");
    expect(last).toBe(TaskState.TASK_STATE_COMPLETED);
  });

  it("lists the caller's tasks with listTasks, with and without a status filter", async () => {
    const client = await clientFor(binding);
    const contextId = `sdk-list-${crypto.randomUUID()}`;
    const done = asTask(await client.sendMessage({ tenant: "", message: { ...userMessage("listed"), contextId }, configuration: undefined, metadata: undefined }));
    const waiting = asTask(
      await client.sendMessage({ tenant: "", message: { ...userMessage("wait", `tck-input-required-${crypto.randomUUID()}`), contextId }, configuration: undefined, metadata: undefined }),
    );
    // What a caller writes when it wants everything: the SDK then sends "status":"UNRECOGNIZED" over JSON-RPC.
    const everything = { contextId } as Parameters<typeof client.listTasks>[0];
    const all = await eventually(async () => {
      const page = await client.listTasks(everything);
      return page.tasks.length === 2 && page.tasks.every((t) => t.status?.state !== TaskState.TASK_STATE_SUBMITTED) ? page : undefined;
    }, 10_000, "both tasks in the index");
    expect(all.tasks.map((t) => t.id).sort()).toEqual([done.id, waiting.id].sort());
    expect(all.totalSize).toBe(2);
    const filtered = await client.listTasks({ ...everything, status: TaskState.TASK_STATE_INPUT_REQUIRED });
    expect(filtered.tasks.map((t) => t.id)).toEqual([waiting.id]);
  });

  it("surfaces TaskNotFound as an error", async () => {
    const client = await clientFor(binding);
    await expect(client.getTask({ tenant: "", id: crypto.randomUUID(), historyLength: undefined })).rejects.toThrow(/not found/i);
  });
});

import { newHook } from "../../helpers/webhook";
import { Role, TaskState, type Message, type Task } from "@a2a-js/sdk";
import { ClientFactory, JsonRpcTransportFactory, RestTransportFactory, type Client } from "@a2a-js/sdk/client";
import { isLegacyAgentCard, LegacyJsonRpcTransport, LegacyRestTransport, parseLegacyAgentCard } from "@a2a-js/sdk/compat/v0_3/client";
import { describe, expect, it } from "vitest";
import { ORIGIN, rpc, worker } from "../../helpers/a2a";

/**
 * The official a2a-js v0.3 compat client (`@a2a-js/sdk/compat/v0_3/client`) against the platform, two ways:
 * its transports on their own, as a v0.3-only client uses them (no A2A-Version header at all), and the SDK's
 * ClientFactory with `legacyCompat` given the v0.3 card (it then sends `A2A-Version: 0.3`).
 */
const seen: Headers[] = [];
const fetchImpl = ((input: RequestInfo | URL, init?: RequestInit) => {
  const request = new Request(input, init);
  seen.push(request.headers);
  return worker(request);
}) as typeof fetch;

async function v03Card() {
  const response = await worker(`${ORIGIN}/.well-known/agent-card.json`, { headers: { "A2A-Version": "0.3" } });
  return (await response.json()) as { url: string; additionalInterfaces: { url: string; transport: string }[] };
}

type Binding = "JSONRPC" | "HTTP+JSON";

/** A Transport-shaped client for one binding, built the way `how` says. */
async function compatClient(binding: Binding, how: "transport" | "factory"): Promise<Pick<Client, "sendMessage" | "sendMessageStream" | "getTask" | "cancelTask" | "resubscribeTask" | "createTaskPushNotificationConfig" | "getTaskPushNotificationConfig" | "listTaskPushNotificationConfig" | "deleteTaskPushNotificationConfig" | "listTasks" | "getAgentCard">> {
  const card = await v03Card();
  if (how === "factory") {
    const legacyCompat = { enabled: true };
    const factory = new ClientFactory({
      transports: [new JsonRpcTransportFactory({ fetchImpl, legacyCompat }), new RestTransportFactory({ fetchImpl, legacyCompat })],
      preferredTransports: [binding],
    });
    return factory.createFromAgentCard(parseLegacyAgentCard(card));
  }
  const endpoint = card.additionalInterfaces.find((i) => i.transport === binding)!.url;
  const transport = binding === "JSONRPC" ? new LegacyJsonRpcTransport({ endpoint, fetchImpl }) : new LegacyRestTransport({ endpoint, fetchImpl });
  return Object.assign(transport, { getAgentCard: async () => parseLegacyAgentCard(card), listTaskPushNotificationConfig: transport.listTaskPushNotificationConfig.bind(transport) }) as never;
}

const userMessage = (text: string, messageId: string = crypto.randomUUID(), taskId = ""): Message => ({
  messageId,
  contextId: "",
  taskId,
  role: Role.ROLE_USER,
  parts: [{ content: { $case: "text", value: text }, metadata: undefined, filename: "", mediaType: "" }],
  metadata: undefined,
  extensions: [],
  referenceTaskIds: [],
});
const send = (message: Message, returnImmediately?: boolean) => ({
  tenant: "",
  message,
  configuration: returnImmediately === undefined ? undefined : { acceptedOutputModes: [], taskPushNotificationConfig: undefined, historyLength: undefined, returnImmediately },
  metadata: undefined,
});
const asTask = (result: Message | Task): Task => {
  if (!("status" in result)) throw new Error(`expected a task, got ${JSON.stringify(result)}`);
  return result;
};
const textOf = (message: Message | undefined) => (message?.parts[0]?.content?.$case === "text" ? message.parts[0].content.value : undefined);

describe("the v0.3 card, as the compat client reads it", () => {
  it("is recognised as a v0.3 card and names the platform's endpoints at protocol version 0.3", async () => {
    const card = await v03Card();
    expect(isLegacyAgentCard(card)).toBe(true);
    const parsed = parseLegacyAgentCard(card);
    expect(parsed.supportedInterfaces.map((i) => [i.protocolBinding, i.url, i.protocolVersion])).toEqual([
      ["JSONRPC", `${ORIGIN}/a2a/jsonrpc`, "0.3.0"],
      ["JSONRPC", `${ORIGIN}/a2a/jsonrpc`, "0.3"],
      ["HTTP+JSON", `${ORIGIN}/a2a/rest`, "0.3"],
    ]);
    expect(parsed.capabilities?.streaming).toBe(true);
  });

  it("the v1.0 card (what the SDK's resolver fetches) is not mistaken for a v0.3 one", async () => {
    const card = await (await worker(`${ORIGIN}/.well-known/agent-card.json`, { headers: { "A2A-Version": "1.0" } })).json();
    expect(isLegacyAgentCard(card)).toBe(false);
  });
});

describe.each([
  ["JSONRPC", "transport"],
  ["HTTP+JSON", "transport"],
  ["JSONRPC", "factory"],
  ["HTTP+JSON", "factory"],
] as const)("official v0.3 compat client over %s (%s)", (binding, how) => {
  it("sends a message and gets the completed task, then reads it back with getTask", async () => {
    const client = await compatClient(binding, how);
    seen.length = 0;
    const task = asTask(await client.sendMessage(send(userMessage(`hello over v0.3 ${binding}`))));
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const got = await client.getTask({ tenant: "", id: task.id, historyLength: undefined });
    expect(got).toMatchObject({ id: task.id, contextId: task.contextId });
    expect(textOf(got.status?.message)).toBe(`You said: hello over v0.3 ${binding}`);
    expect(got.history.map((m) => m.role)).toEqual([Role.ROLE_USER, Role.ROLE_AGENT]);
    // A v0.3-only client sends no version at all; through the factory the SDK says 0.3.
    expect(seen.map((h) => h.get("A2A-Version"))).toEqual(seen.map(() => (how === "factory" ? "0.3" : null)));
  });

  it("a direct Message reply comes back as a Message", async () => {
    const client = await compatClient(binding, how);
    const reply = await client.sendMessage(send(userMessage("reply", `tck-message-response-${crypto.randomUUID()}`)));
    expect("status" in reply).toBe(false);
    expect(textOf(reply as Message)).toBe("Direct message response");
  });

  it("returnImmediately (v0.3 blocking: false) answers before the agent finishes", async () => {
    const client = await compatClient(binding, how);
    const message = { ...userMessage("slow"), metadata: { demoDelayMs: 1500 } };
    const task = asTask(await client.sendMessage(send(message, true)));
    expect([TaskState.TASK_STATE_SUBMITTED, TaskState.TASK_STATE_WORKING]).toContain(task.status?.state);
  });

  it("cancels a task waiting for input", async () => {
    const client = await compatClient(binding, how);
    const task = asTask(await client.sendMessage(send(userMessage("wait", `tck-input-required-${crypto.randomUUID()}`))));
    expect(task.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const canceled = await client.cancelTask({ tenant: "", id: task.id, metadata: undefined });
    expect(canceled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
  });

  it("streams a message: task first, the updates, the end", async () => {
    const client = await compatClient(binding, how);
    const cases: string[] = [];
    const states: TaskState[] = [];
    const message = userMessage("stream", `tck-stream-artifact-chunked-${crypto.randomUUID()}`);
    for await (const event of client.sendMessageStream(send(message))) {
      cases.push(event.payload!.$case);
      if (event.payload?.$case === "statusUpdate") states.push(event.payload.value.status!.state);
      // (The SDK's v0.3 REST reader drops `append`; test/workers/v03/rest.test.ts checks it on the wire.)
      if (event.payload?.$case === "artifactUpdate" && cases.length === 4) expect(event.payload.value).toMatchObject({ lastChunk: true });
    }
    expect(cases).toEqual(["task", "statusUpdate", "artifactUpdate", "artifactUpdate", "statusUpdate"]);
    expect(states).toEqual([TaskState.TASK_STATE_WORKING, TaskState.TASK_STATE_COMPLETED]);
  });

  it("resubscribes to a running task", async () => {
    const client = await compatClient(binding, how);
    const started = asTask(await client.sendMessage(send({ ...userMessage("slow"), metadata: { demoChunks: 3, demoIntervalMs: 30 } }, true)));
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

  it("push config create/get/list/delete on a task it created", async () => {
    const client = await compatClient(binding, how);
    const taskId = asTask(await client.sendMessage(send(userMessage("wait", `tck-input-required-${crypto.randomUUID()}`)))).id;
    const url = newHook().url;
    const config = { tenant: "", id: "cfg-1", taskId, url, token: "tok", authentication: { scheme: "Bearer", credentials: "secret" } };
    const ref = { tenant: "", taskId, id: "cfg-1" };
    expect(await client.createTaskPushNotificationConfig(config)).toMatchObject({ id: "cfg-1", taskId, url });
    expect(await client.getTaskPushNotificationConfig(ref)).toMatchObject({ id: "cfg-1", url, token: "tok" });
    const listed = await client.listTaskPushNotificationConfig({ tenant: "", taskId, pageSize: 0, pageToken: "" });
    expect(JSON.stringify(listed)).toContain("cfg-1");
    await client.deleteTaskPushNotificationConfig(ref);
    await expect(client.getTaskPushNotificationConfig(ref)).rejects.toMatchObject({ name: "TaskNotFoundError" });
  });

  it("an unknown task is TaskNotFound", async () => {
    const client = await compatClient(binding, how);
    await expect(client.getTask({ tenant: "", id: crypto.randomUUID(), historyLength: undefined })).rejects.toMatchObject({ name: "TaskNotFoundError" });
  });

  it("a task it created is readable over v1.0, and a v1.0 task over it", async () => {
    const client = await compatClient(binding, how);
    const mine = asTask(await client.sendMessage(send(userMessage("from v0.3"))));
    const viaV1 = await rpc("GetTask", { id: mine.id });
    expect(viaV1.body.result).toMatchObject({ id: mine.id, contextId: mine.contextId, status: { state: "TASK_STATE_COMPLETED" } });
    const theirs = (await rpc("SendMessage", { message: { messageId: crypto.randomUUID(), role: "ROLE_USER", parts: [{ text: "from v1.0" }] } })).body.result.task;
    const viaV03 = await client.getTask({ tenant: "", id: theirs.id, historyLength: undefined });
    expect(viaV03).toMatchObject({ id: theirs.id, contextId: theirs.contextId });
    expect(textOf(viaV03.status?.message)).toBe("You said: from v1.0");
  });
});

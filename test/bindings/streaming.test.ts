import { env } from "cloudflare:workers";
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { JSONRPC_URL, ORIGIN, REST_URL, eventually, makeMessage, rest, rpc, worker } from "../helpers/a2a";
import { kindOf, readSse, type SseEvent } from "../helpers/sse";
import { delivered, newHook, summary } from "../helpers/webhook";
import { validateWireStrict } from "../helpers/wire-schema";

const V1 = { "A2A-Version": "1.0", "Content-Type": "application/json" };

function streamRpc(method: string, params: unknown, headers: Record<string, string> = {}) {
  return worker(JSONRPC_URL, { method: "POST", headers: { ...V1, ...headers }, body: JSON.stringify({ jsonrpc: "2.0", id: "s-1", method, params }) });
}

function streamRest(path: string, body?: unknown, headers: Record<string, string> = {}, verb = "POST") {
  return worker(`${REST_URL}${path}`, { method: verb, headers: { ...V1, ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

const results = (events: SseEvent[]) => events.map((e) => e.data.result);
const states = (stream: any[]) => stream.map((e) => e.task?.status.state ?? e.statusUpdate?.status.state ?? kindOf(e));

/** A task that streams `chunks` artifact chunks `intervalMs` apart, created without waiting for it. */
async function slowTask(chunks: number, intervalMs: number) {
  const { body } = await rpc("SendMessage", {
    message: makeMessage({ metadata: { demoChunks: chunks, demoIntervalMs: intervalMs } }),
    configuration: { returnImmediately: true },
  });
  return body.result.task as { id: string; contextId: string };
}

describe("SendStreamingMessage (§3.1.2, §5)", () => {
  it("JSON-RPC: one JSON-RPC response per data line, same id, task first, closed at the terminal state", async () => {
    const message = makeMessage({ messageId: `tck-stream-artifact-chunked-${crypto.randomUUID()}` });
    const response = await streamRpc("SendStreamingMessage", { message });
    expect(response.headers.get("Content-Type")).toBe("text/event-stream");
    const { events, ended } = await readSse(response);
    expect(ended).toBe(true);
    expect(events.every((e) => e.data.jsonrpc === "2.0" && e.data.id === "s-1")).toBe(true);
    const stream = results(events);
    for (const event of stream) expect(validateWireStrict("Stream Response", event)).toEqual([]);
    expect(stream.map(kindOf)).toEqual(["task", "statusUpdate", "artifactUpdate", "artifactUpdate", "statusUpdate"]);
    expect(states(stream)).toEqual(["TASK_STATE_SUBMITTED", "TASK_STATE_WORKING", "artifactUpdate", "artifactUpdate", "TASK_STATE_COMPLETED"]);
    expect(stream[2].artifactUpdate).not.toHaveProperty("append");
    expect(stream[3].artifactUpdate).toMatchObject({ append: true, lastChunk: true, artifact: { parts: [{ text: "chunk-2" }] } });
    const ids = events.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);

    const taskId = stream[0].task.id;
    const stored = await rpc("GetTask", { id: taskId });
    expect(stored.body.result.artifacts).toHaveLength(1);
    expect(stored.body.result.artifacts[0].parts).toEqual([{ text: "chunk-1 " }, { text: "chunk-2" }]);
  });

  it("slow mode with a delay streams one WORKING status (with its message), then the chunks", async () => {
    const message = makeMessage({ metadata: { demoDelayMs: 20, demoChunks: 2, demoIntervalMs: 5 } });
    const { events } = await readSse(await streamRest("/message:stream", { message }));
    const stream = events.map((e) => e.data);
    expect(states(stream)).toEqual(["TASK_STATE_SUBMITTED", "TASK_STATE_WORKING", "artifactUpdate", "artifactUpdate", "TASK_STATE_COMPLETED"]);
    expect(stream[1].statusUpdate.status.message.parts[0].text).toBe("Working for 20 ms.");
  });

  it("REST: bare StreamResponse frames", async () => {
    const response = await streamRest("/message:stream", { message: makeMessage({ messageId: `tck-stream-001-${crypto.randomUUID()}` }) });
    const { events } = await readSse(response);
    const stream = events.map((e) => e.data);
    for (const event of stream) expect(validateWireStrict("Stream Response", event)).toEqual([]);
    expect(stream.map(kindOf)).toEqual(["task", "statusUpdate", "artifactUpdate", "statusUpdate"]);
    expect(stream.at(-1).statusUpdate.status.state).toBe("TASK_STATE_COMPLETED");
    expect(stream[0]).not.toHaveProperty("jsonrpc");
  });

  it("a Message answer is the only event, and has no id", async () => {
    const response = await streamRest("/message:stream", { message: makeMessage({ messageId: `tck-message-response-${crypto.randomUUID()}` }) });
    const { events, ended } = await readSse(response);
    expect(ended).toBe(true);
    expect(events).toHaveLength(1);
    expect(events[0]!.id).toBeUndefined();
    expect(events[0]!.data.message.parts[0].text).toBe("Direct message response");
  });

  it("closes at an interrupted state, and a streamed follow-up starts with the task", async () => {
    const first = await readSse(await streamRest("/message:stream", { message: makeMessage({ messageId: `tck-input-required-${crypto.randomUUID()}` }) }));
    const taskId = first.events[0]!.data.task.id;
    expect(first.events.at(-1)!.data.statusUpdate.status.state).toBe("TASK_STATE_INPUT_REQUIRED");
    const follow = makeMessage({ messageId: `tck-complete-task-${crypto.randomUUID()}`, taskId });
    const second = await readSse(await streamRest("/message:stream", { message: follow }));
    expect(states(second.events.map((e) => e.data))).toEqual(["TASK_STATE_INPUT_REQUIRED", "TASK_STATE_WORKING", "TASK_STATE_COMPLETED"]);
  });

  it("an inline webhook on a streaming send gets the same events as the stream", async () => {
    const hook = newHook();
    const message = makeMessage({ messageId: `tck-stream-artifact-text-${crypto.randomUUID()}` });
    const configuration = { taskPushNotificationConfig: { id: "inline", url: hook.url } };
    const { events } = await readSse(await streamRest("/message:stream", { message, configuration }));
    const streamed = events.map((e) => e.data);
    const pushed = await delivered(hook.path, streamed.length);
    expect(pushed.map(summary)).toEqual(["task", "TASK_STATE_WORKING", "artifactUpdate", "TASK_STATE_COMPLETED"]);
    expect(pushed.map((r) => JSON.parse(r.body).artifactUpdate?.artifact)).toEqual(streamed.map((e) => e.artifactUpdate?.artifact));
  });

  it("errors before the first event are ordinary error responses", async () => {
    const done = await rpc("SendMessage", { message: makeMessage() });
    const terminal = await streamRpc("SendStreamingMessage", { message: makeMessage({ taskId: done.body.result.task.id }) });
    expect(terminal.headers.get("Content-Type")).toContain("application/json");
    expect(((await terminal.json()) as any).error.code).toBe(-32004);
    const unknown = await streamRest("/message:stream", { message: makeMessage({ taskId: crypto.randomUUID() }) });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).error.details[0].reason).toBe("TASK_NOT_FOUND");
  });
});

describe("SubscribeToTask (§3.1.6, §5)", () => {
  it("starts with the current task and ends at the terminal state; REST accepts GET and POST", async () => {
    for (const verb of ["POST", "GET"]) {
      const task = await slowTask(3, 30);
      const { events, ended } = await readSse(await streamRest(`/tasks/${task.id}:subscribe`, verb === "POST" ? {} : undefined, {}, verb));
      expect(ended).toBe(true);
      expect(kindOf(events[0]!.data)).toBe("task");
      expect(events.at(-1)!.data.statusUpdate.status.state).toBe("TASK_STATE_COMPLETED");
    }
  });

  it("two concurrent subscribers receive identical sequences", async () => {
    const task = await slowTask(6, 25);
    const [a, b] = await Promise.all([streamRpc("SubscribeToTask", { id: task.id }), streamRpc("SubscribeToTask", { id: task.id })]);
    const [left, right] = await Promise.all([readSse(a), readSse(b)]);
    const tail = (events: SseEvent[]) => events.slice(1).map((e) => [e.id, JSON.stringify(e.data.result)]);
    // Each starts with its own snapshot; every event after the later snapshot is the same, in the same order.
    const from = Math.max(Number(left.events[0]!.id), Number(right.events[0]!.id));
    const after = (events: SseEvent[]) => tail(events).filter(([id]) => Number(id) > from);
    expect(after(left.events)).toEqual(after(right.events));
    expect(after(left.events).length).toBeGreaterThanOrEqual(2);
  });

  it("a dropped subscriber resumes with Last-Event-ID: no gap, no duplicate", async () => {
    const task = await slowTask(8, 40);
    const full = readSse(await streamRpc("SubscribeToTask", { id: task.id }));
    const partial = await readSse(await streamRpc("SubscribeToTask", { id: task.id }), { until: (events) => events.length >= 3 });
    expect(partial.ended).toBe(false);
    const lastSeen = partial.events.at(-1)!.id!;
    const resumed = await readSse(await streamRpc("SubscribeToTask", { id: task.id }, { "Last-Event-ID": lastSeen }));
    const reference = (await full).events;
    const seen = [...partial.events, ...resumed.events].filter((e) => Number(e.id) > Number(partial.events[0]!.id));
    const expected = reference.filter((e) => Number(e.id) > Number(partial.events[0]!.id));
    expect(seen.map((e) => e.id)).toEqual(expected.map((e) => e.id));
    expect(seen.map((e) => e.data.result)).toEqual(expected.map((e) => e.data.result));
    expect(resumed.events.at(-1)!.data.result.statusUpdate.status.state).toBe("TASK_STATE_COMPLETED");
  });

  it("resuming a finished task returns only what was missed", async () => {
    const task = await slowTask(2, 10);
    const { events } = await readSse(await streamRpc("SubscribeToTask", { id: task.id }));
    const beforeEnd = events.at(-2)!.id!;
    const resumed = await readSse(await streamRpc("SubscribeToTask", { id: task.id }, { "Last-Event-ID": beforeEnd }));
    expect(resumed.events.map((e) => e.id)).toEqual([events.at(-1)!.id]);
  });

  it("subscribing to a terminal task is an error; to an unknown one, TaskNotFound", async () => {
    const done = await rpc("SendMessage", { message: makeMessage() });
    const terminal = await rest("POST", `/tasks/${done.body.result.task.id}:subscribe`, {});
    expect(terminal.status).toBe(400);
    expect(terminal.body.error.details[0].reason).toBe("UNSUPPORTED_OPERATION");
    const unknown = await rpc("SubscribeToTask", { id: crypto.randomUUID() });
    expect(unknown.body.error?.code).toBe(-32001);
  });

  it("keeps serving a subscriber after the task object is evicted with its sockets hibernated", async () => {
    const waiting = await rpc("SendMessage", { message: makeMessage({ messageId: `tck-input-required-${crypto.randomUUID()}` }) });
    const taskId = waiting.body.result.task.id;
    const reading = readSse(await streamRest(`/tasks/${taskId}:subscribe`, {}));
    const stub = env.TASKS.get(env.TASKS.idFromName(taskId));
    await evictDurableObject(stub, { webSockets: "hibernate" });
    expect(await runInDurableObject(stub, (_, state) => state.getWebSockets().length)).toBe(1);
    await rpc("SendMessage", { message: makeMessage({ messageId: `tck-complete-task-${crypto.randomUUID()}`, taskId }) });
    const { events, ended } = await reading;
    expect(ended).toBe(true);
    expect(states(events.map((e) => e.data))).toEqual(["TASK_STATE_INPUT_REQUIRED", "TASK_STATE_WORKING", "TASK_STATE_COMPLETED"]);
  });
});

describe("stream isolation", () => {
  it("a socket opened under another scope hears nothing of the task, even opened before the task exists", async () => {
    const taskId = crypto.randomUUID();
    const stub = env.TASKS.get(env.TASKS.idFromName(taskId));
    const open = (tenant: string, streamId: string) =>
      stub.fetch(`https://task-object/stream?taskId=${taskId}&streamId=${streamId}&mode=send&tenant=${tenant}&owner=anonymous`, {
        headers: { Upgrade: "websocket" },
      });
    const intruder = (await open("intruder", "s-intruder")).webSocket!;
    const owner = (await open("", "s-owner")).webSocket!;
    const heard = { intruder: [] as string[], owner: [] as string[] };
    intruder.accept();
    owner.accept();
    // Listeners return nothing: workerd warns about a handler that returns a value (push returns a number).
    intruder.addEventListener("message", (m) => void heard.intruder.push(m.data as string));
    owner.addEventListener("message", (m) => void heard.owner.push(m.data as string));
    const api = stub as unknown as { sendStreaming(input: unknown): Promise<{ ok: boolean }> };
    const sent = await api.sendStreaming({
      scope: { agent: "demo", tenant: "", owner: "anonymous" },
      taskId,
      isNew: true,
      caller: { authenticated: false },
      streamId: "s-owner",
      request: { message: makeMessage({ messageId: `tck-stream-001-${crypto.randomUUID()}` }) },
    });
    expect(sent.ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(heard.owner.length).toBe(4);
    expect(heard.intruder).toEqual([]);
  });
});

describe("JSON-RPC over WebSocket (the card's extra interface)", () => {
  it("answers unary calls with one frame and streams with one frame per event, then a stream-end notice", async () => {
    const card: any = await (await worker(`${ORIGIN}/.well-known/agent-card.json`)).json();
    const wsInterface = card.supportedInterfaces.find((i: any) => i.protocolBinding === "urn:a2a-edge:binding:jsonrpc-websocket");
    expect(wsInterface.url).toBe(`${ORIGIN}/a2a/ws`);
    const response = await worker(`${ORIGIN}/a2a/ws`, { headers: { Upgrade: "websocket", "A2A-Version": "1.0" } });
    expect(response.status).toBe(101);
    const socket = response.webSocket!;
    socket.accept();
    const frames: any[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no stream end after 5 s: ${JSON.stringify(frames)}`)), 5000);
      socket.addEventListener("message", (m) => {
        const frame = JSON.parse(m.data as string);
        frames.push(frame);
        if (frame.method === "a2a.streamEnd") {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    socket.send(JSON.stringify({ jsonrpc: "2.0", id: 7, method: "GetTask", params: { id: crypto.randomUUID() } }));
    socket.send(
      JSON.stringify({ jsonrpc: "2.0", id: 8, method: "SendStreamingMessage", params: { message: makeMessage({ messageId: `tck-stream-002-${crypto.randomUUID()}` }) } }),
    );
    await done;
    socket.close();
    expect(frames.find((f) => f.id === 7).error.code).toBe(-32001);
    const streamed = frames.filter((f) => f.id === 8).map((f) => kindOf(f.result));
    expect(streamed).toEqual(["task", "statusUpdate"]);
    expect(frames.at(-1)).toEqual({ jsonrpc: "2.0", method: "a2a.streamEnd", params: { id: 8 } });
  });

  it("a finished stream sends nothing after its a2a.streamEnd frame", async () => {
    const response = await worker(`${ORIGIN}/a2a/ws`, { headers: { Upgrade: "websocket", "A2A-Version": "1.0" } });
    const socket = response.webSocket!;
    socket.accept();
    const frames: any[] = [];
    socket.addEventListener("message", (m) => void frames.push(JSON.parse(m.data as string)));
    const ids = [21, 22, 23];
    for (const id of ids) {
      const message = makeMessage({ messageId: `tck-stream-00${id - 20}-${crypto.randomUUID()}` });
      socket.send(JSON.stringify({ jsonrpc: "2.0", id, method: "SendStreamingMessage", params: { message } }));
    }
    const ended = (id: number) => frames.some((f) => f.method === "a2a.streamEnd" && f.params.id === id);
    await eventually(async () => (ids.every(ended) ? true : undefined), 5000, "three stream ends");
    // Whatever a closing stream still had to say would arrive within this wait.
    await new Promise((resolve) => setTimeout(resolve, 500));
    socket.close();
    for (const id of ids) {
      const end = frames.findIndex((f) => f.method === "a2a.streamEnd" && f.params.id === id);
      expect(frames.slice(end + 1).filter((f) => f.id === id || f.params?.id === id), `after the end of stream ${id}`).toEqual([]);
      expect(frames.filter((f) => f.id === id && f.error), `errors on stream ${id}`).toEqual([]);
    }
  });

  it("refuses a plain HTTP request with a REST error", async () => {
    const response = await worker(`${ORIGIN}/a2a/ws`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error.details[0].reason).toBe("INVALID_REQUEST");
  });
});

import { env } from "cloudflare:workers";
import type { Message, Task } from "../../schema/a2a";
import type { Tool } from "../../durable-objects/agents/orchestrator/tools/tool";
import { registerTools } from "../../durable-objects/agents/orchestrator/tools";
import { ORIGIN, eventually, worker, type Credential } from "./a2a";
import { readSse, type SseEvent } from "./sse";

/** The orchestrator's own path (the suite's root agent is the conformance demo). */
export const ORCHESTRATOR = `${ORIGIN}/agents/orchestrator`;
const HEADERS = { "Content-Type": "application/json", "A2A-Version": "1.0" };

let nextId = 1;

/** One JSON-RPC call to the orchestrator; throws on a JSON-RPC error so a test sees it. */
export async function call<T = any>(method: string, params: unknown, as?: Credential): Promise<T> {
  const response = await worker(
    `${ORCHESTRATOR}/a2a/jsonrpc`,
    { method: "POST", headers: HEADERS, body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }) },
    as,
  );
  const body = (await response.json()) as { result?: T; error?: { code: number; message: string } };
  if (body.error) throw new Error(`${method} → ${body.error.code} ${body.error.message}`);
  return body.result!;
}

export function userMessage(text: string, extra: Partial<Message> = {}): Message {
  return { messageId: `m-${crypto.randomUUID()}`, role: "ROLE_USER", parts: [{ text }], ...extra };
}

/** SendMessage, blocking until the task is terminal or waits for input. */
export async function send(text: string, extra: Partial<Message> = {}, configuration: Record<string, unknown> = {}, as?: Credential): Promise<Task> {
  const result = await call<{ task: Task }>("SendMessage", { message: userMessage(text, extra), configuration }, as);
  return result.task;
}

/** SendMessage returning at once: the run goes on in its task object. */
export async function start(text: string, extra: Partial<Message> = {}): Promise<Task> {
  return send(text, extra, { returnImmediately: true });
}

export async function getTask(id: string): Promise<Task> {
  return call<Task>("GetTask", { id });
}

/** Waits until the task reaches a state where the run stopped (terminal or waiting for input). */
export async function settled(id: string, timeoutMs = 15_000): Promise<Task> {
  return eventually(async () => {
    const task = await getTask(id);
    return ["TASK_STATE_WORKING", "TASK_STATE_SUBMITTED"].includes(task.status.state) ? undefined : task;
  }, timeoutMs, `task ${id} to settle`);
}

/** SendStreamingMessage: every event of the run, until the stream ends. */
export async function stream(text: string, extra: Partial<Message> = {}): Promise<SseEvent[]> {
  const response = await worker(`${ORCHESTRATOR}/a2a/jsonrpc`, {
    method: "POST",
    headers: HEADERS,
    body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method: "SendStreamingMessage", params: { message: userMessage(text, extra) } }),
  });
  return (await readSse(response, { timeoutMs: 15_000 })).events;
}

/** The task object of a task, for eviction and alarms. */
export const taskStub = (id: string) => env.TASKS.get(env.TASKS.idFromName(id));

/** Tools a test adds to the orchestrator's runs for its own duration. */
export function withTools(tools: Tool[]): () => void {
  return registerTools(() => tools);
}

/** The orchestration notes of a task's history, in order: what the run committed, step by step. */
export const notesOf = (task: Task) =>
  (task.history ?? []).map((m) => (m.metadata as { orchestration?: { kind: string } } | undefined)?.orchestration?.kind ?? m.role);

import { A2AError, type SendMessageRequest, type SerializedA2AError } from "../schema/a2a";
import type { Caller, Scope } from "./sql";

/** A result that crosses Durable Object RPC intact (error class identity does not). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: SerializedA2AError };

export interface SendInput {
  scope: Scope;
  /** The id this object lives under; for a new task the Worker minted it from the message. */
  taskId: string;
  /** True when the message named no task, so this object may create one. */
  isNew: boolean;
  request: SendMessageRequest;
  /** "0.3" when a v0.3 client sent it: an inline webhook is then notified in the v0.3 shape. */
  protocolVersion?: "0.3";
  /** Who sent it, as the credentials said (the role decides what an agent's run may use). */
  caller: Caller;
  /** The sending request's X-Request-ID: an agent failure during the run it starts is logged under it. */
  requestId?: string;
}

/** Addresses one task's push configs; the scope is checked like every other task operation. */
export interface PushConfigRef {
  scope: Scope;
  taskId: string;
}

/** How a Worker asks to stream a task's events (query parameters of the WebSocket upgrade). */
export interface StreamRequest {
  taskId: string;
  streamId: string;
  agent: string;
  tenant: string;
  owner: string;
  /** "subscribe": SubscribeToTask (snapshot first, or a replay after `after`); "send": a stream the send RPC fills. */
  mode: "subscribe" | "send";
  /** Last-Event-ID: replay the events after this sequence number instead of a snapshot. */
  after?: number;
}

export function parseStreamRequest(url: URL): StreamRequest | undefined {
  const get = (name: string) => url.searchParams.get(name);
  const taskId = get("taskId");
  const streamId = get("streamId");
  const mode = get("mode");
  if (!taskId || !streamId || (mode !== "subscribe" && mode !== "send")) return undefined;
  const after = get("after");
  return {
    taskId,
    streamId,
    mode,
    agent: get("agent") ?? "",
    tenant: get("tenant") ?? "",
    owner: get("owner") ?? "",
    ...(after !== null && /^\d+$/.test(after) ? { after: Number(after) } : {}),
  };
}

/** Runs an RPC body, returning A2A errors as values and letting anything else fail the call. */
export async function outcome<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof A2AError) return { ok: false, error: error.toJSON() };
    throw error;
  }
}

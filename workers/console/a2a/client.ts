import { A2UI_CARD_EXTENSIONS } from "../../../schema/a2ui/extension";
import { readSse, type SseEvent } from "./sse";
import type { AgentCard, AgentInterface, Message, StreamResponse, Task } from "./types";

/** How the console signs in: an API key (`X-API-Key`) or a bearer token. */
export type Credentials = { kind: "none" } | { kind: "api-key"; value: string } | { kind: "bearer"; value: string };

/** An A2A error as the agent reported it (JSON-RPC error or REST error body), or a transport failure. */
export class A2AClientError extends Error {
  override name = "A2AClientError";
  constructor(
    message: string,
    readonly code?: number | string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** One streamed event with the SSE id it came with (our server numbers events; others may not). */
export interface StreamEvent {
  id?: number;
  payload: StreamResponse;
  raw: string;
}

const BINDINGS = ["JSONRPC", "HTTP+JSON"] as const;
const A2UI_URIS = new Set(A2UI_CARD_EXTENSIONS.map((extension) => extension.uri));

/** The v1.0 interface to talk to: JSON-RPC first, HTTP+JSON else (the two bindings a browser can use). */
export function pickInterface(card: AgentCard): AgentInterface {
  for (const binding of BINDINGS) {
    const found = card.supportedInterfaces?.find((face) => face.protocolBinding === binding && face.protocolVersion?.startsWith("1."));
    if (found) return found;
  }
  throw new A2AClientError("The card lists no A2A 1.0 JSON-RPC or HTTP+JSON interface this console can use");
}

/**
 * A small A2A v1.0 client for browsers, over JSON-RPC or HTTP+JSON, with streams read as SSE. Every request names
 * the version; a card that declares A2UI gets it activated (`A2A-Extensions`).
 */
export class A2AClient {
  readonly face: AgentInterface;
  private readonly extensions: string[];
  private nextId = 1;

  constructor(
    readonly card: AgentCard,
    private readonly credentials: Credentials,
  ) {
    this.face = pickInterface(card);
    this.extensions = (card.capabilities?.extensions ?? []).map((extension) => extension.uri).filter((uri) => A2UI_URIS.has(uri));
  }

  get rendersA2ui(): boolean {
    return this.extensions.length > 0;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const auth: Record<string, string> =
      this.credentials.kind === "api-key" ? { "X-API-Key": this.credentials.value } : this.credentials.kind === "bearer" ? { Authorization: `Bearer ${this.credentials.value}` } : {};
    return { "A2A-Version": "1.0", ...(this.extensions.length ? { "A2A-Extensions": this.extensions.join(", ") } : {}), ...auth, ...extra };
  }

  private get tenant(): string | undefined {
    return this.face.tenant || undefined;
  }

  private restUrl(path: string): string {
    return `${this.face.url.replace(/\/+$/, "")}${this.tenant ? `/${encodeURIComponent(this.tenant)}` : ""}${path}`;
  }

  private jsonRpc(method: string, params: Record<string, unknown>, options: { stream?: boolean; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<Response> {
    const body = JSON.stringify({ jsonrpc: "2.0", id: this.nextId++, method, params: this.tenant ? { ...params, tenant: this.tenant } : params });
    const accept = options.stream ? "text/event-stream" : "application/json";
    const headers = this.headers({ "Content-Type": "application/json", Accept: accept, ...options.headers });
    return this.fetch(this.face.url, { method: "POST", headers, body, ...(options.signal ? { signal: options.signal } : {}) });
  }

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(url, init);
    } catch (error) {
      throw new A2AClientError(`Could not reach ${new URL(url).origin}: ${(error as Error).message} (a different origin must allow this console with CORS)`);
    }
    if (!response.ok && !(response.headers.get("Content-Type") ?? "").includes("json")) {
      throw new A2AClientError(`${response.status} ${response.statusText} from ${url}`, undefined, response.status);
    }
    return response;
  }

  /** A unary call's result, or its error thrown as A2AClientError. */
  private async unary<T>(method: string, params: Record<string, unknown>, rest: { verb: "GET" | "POST"; path: string; body?: unknown }): Promise<T> {
    if (this.face.protocolBinding === "JSONRPC") {
      const envelope = (await (await this.jsonRpc(method, params)).json()) as { result?: T; error?: { code: number; message: string } };
      if (envelope.error) throw new A2AClientError(envelope.error.message, envelope.error.code);
      return envelope.result as T;
    }
    const response = await this.fetch(this.restUrl(rest.path), {
      method: rest.verb,
      headers: this.headers(rest.body !== undefined ? { "Content-Type": "application/json" } : {}),
      ...(rest.body !== undefined ? { body: JSON.stringify(rest.body) } : {}),
    });
    const body = (await response.json()) as T & { error?: { code: number; status: string; message: string } };
    if (!response.ok) throw new A2AClientError(body.error?.message ?? `HTTP ${response.status}`, body.error?.status, response.status);
    return body;
  }

  getTask(id: string, historyLength = 200): Promise<Task> {
    return this.unary("GetTask", { id, historyLength }, { verb: "GET", path: `/tasks/${encodeURIComponent(id)}?historyLength=${historyLength}` });
  }

  cancelTask(id: string): Promise<Task> {
    return this.unary("CancelTask", { id }, { verb: "POST", path: `/tasks/${encodeURIComponent(id)}:cancel`, body: {} });
  }

  listTasks(pageSize = 20): Promise<{ tasks: Task[] }> {
    return this.unary("ListTasks", { pageSize, historyLength: 0 }, { verb: "GET", path: `/tasks?pageSize=${pageSize}&historyLength=0` });
  }

  /** SendStreamingMessage: every event, in order, until the agent ends the stream. */
  sendStreaming(message: Message, onEvent: (event: StreamEvent) => void, signal: AbortSignal): Promise<void> {
    const request =
      this.face.protocolBinding === "JSONRPC"
        ? this.jsonRpc("SendStreamingMessage", { message }, { stream: true, signal })
        : this.fetch(this.restUrl("/message:stream"), { method: "POST", headers: this.headers({ "Content-Type": "application/json", Accept: "text/event-stream" }), body: JSON.stringify({ message }), signal });
    return this.readStream(request, onEvent, signal);
  }

  /** SubscribeToTask; with `lastEventId` the agent replays only what came after it (Last-Event-ID). */
  subscribe(id: string, onEvent: (event: StreamEvent) => void, signal: AbortSignal, lastEventId?: number): Promise<void> {
    const resume: Record<string, string> = lastEventId !== undefined ? { "Last-Event-ID": String(lastEventId) } : {};
    const request =
      this.face.protocolBinding === "JSONRPC"
        ? this.jsonRpc("SubscribeToTask", { id }, { stream: true, headers: resume, signal })
        : this.fetch(this.restUrl(`/tasks/${encodeURIComponent(id)}:subscribe`), { method: "GET", headers: this.headers({ Accept: "text/event-stream", ...resume }), signal });
    return this.readStream(request, onEvent, signal);
  }

  private async readStream(request: Promise<Response>, onEvent: (event: StreamEvent) => void, signal: AbortSignal): Promise<void> {
    const response = await request;
    const type = response.headers.get("Content-Type") ?? "";
    if (!type.includes("text/event-stream")) {
      // A refused call answers with one JSON error instead of a stream.
      const body = (await response.json()) as { error?: { code?: number | string; status?: string; message?: string } };
      throw new A2AClientError(body.error?.message ?? `HTTP ${response.status}: not an event stream`, body.error?.code ?? body.error?.status, response.status);
    }
    await readSse(response.body!, (event) => onEvent(this.decode(event)), signal);
  }

  private decode(event: SseEvent): StreamEvent {
    const parsed = JSON.parse(event.data) as { result?: StreamResponse; error?: { code: number; message: string } } & StreamResponse;
    if (this.face.protocolBinding === "JSONRPC" && parsed.error) throw new A2AClientError(parsed.error.message, parsed.error.code);
    const payload = this.face.protocolBinding === "JSONRPC" ? parsed.result! : parsed;
    const id = event.id !== undefined && /^\d+$/.test(event.id) ? Number(event.id) : undefined;
    return { payload, raw: event.data, ...(id !== undefined ? { id } : {}) };
  }
}

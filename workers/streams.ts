import type { Frame } from "../durable-objects/fanout";
import type { StreamRequest } from "../durable-objects/protocol";
import { A2AError, type StreamResponse } from "../schema/a2a";
import { taskStub } from "./tasks";

/** Where a feed delivers, in order: events with their sequence numbers, at most one error, then the end. */
export interface FeedSink {
  event(seq: number | undefined, event: StreamResponse): void;
  error(error: A2AError): void;
  end(): void;
}

/**
 * The Worker's end of a task object's event stream. Frames that arrive before a consumer attaches (the
 * send RPC commits while the response is being set up) are held, so none is lost and order is kept.
 */
export class TaskFeed {
  private sink: FeedSink | undefined;
  private readonly held: Array<(sink: FeedSink) => void> = [];
  private ended = false;

  constructor(private readonly socket: WebSocket) {
    socket.accept();
    socket.addEventListener("message", (message) => this.onFrame(message.data));
    socket.addEventListener("close", () => this.finish());
    // workerd raises "error" (Network connection lost) after the object closed a finished stream normally too:
    // only a stream that has not ended was interrupted.
    socket.addEventListener("error", () => {
      if (this.ended) return;
      this.emit((sink) => sink.error(new A2AError("Unavailable", "The task's event stream was interrupted; resubscribe with Last-Event-ID")));
      this.finish();
    });
  }

  attach(sink: FeedSink): void {
    this.sink = sink;
    for (const deliver of this.held.splice(0)) deliver(sink);
  }

  /** The consumer went away (client disconnected, or was dropped for being slow). */
  cancel(): void {
    this.ended = true;
    try {
      this.socket.close(1000, "consumer gone");
    } catch {
      // already closed
    }
  }

  private onFrame(data: unknown): void {
    if (typeof data !== "string") return;
    const frame = JSON.parse(data) as Frame;
    if ("error" in frame) this.emit((sink) => sink.error(A2AError.from(frame.error)));
    else this.emit((sink) => sink.event(frame.seq, frame.event));
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.emit((sink) => sink.end());
    try {
      this.socket.close(1000);
    } catch {
      // already closed
    }
  }

  private emit(deliver: (sink: FeedSink) => void): void {
    if (this.sink) deliver(this.sink);
    else this.held.push(deliver);
  }
}

/** Opens a stream from the task's object; a refusal (unknown task, terminal task) is thrown before any event. */
export async function openTaskStream(env: Env, stream: StreamRequest): Promise<TaskFeed> {
  const url = new URL("https://task-object/stream");
  for (const [key, value] of Object.entries(stream)) if (value !== undefined) url.searchParams.set(key, String(value));
  const response = await taskStub(env, stream.taskId).fetch(url, { headers: { Upgrade: "websocket" } });
  if (response.webSocket) return new TaskFeed(response.webSocket);
  const body = (await response.json().catch(() => undefined)) as { error?: Parameters<typeof A2AError.from>[0] } | undefined;
  throw body?.error ? A2AError.from(body.error) : new A2AError("Internal", `task stream refused with HTTP ${response.status}`);
}

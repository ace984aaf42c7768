import type { SerializedA2AError, StreamResponse } from "../schema/a2a";

/** One message from a task object to a Worker streaming its events: an event with its sequence, or an error. */
export type Frame = { seq?: number; event: StreamResponse } | { error: SerializedA2AError };

/**
 * The tag of every stream opened by one (tenant, owner). Broadcasts go only to the task owner's tag, so a
 * socket opened by anyone else (say, naming a task id a moment before its owner creates it) hears nothing.
 */
export async function scopeTag(scope: { tenant: string; owner: string }): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${scope.tenant}\u0000${scope.owner}`));
  return `scope:${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Close codes 1005/1006 describe a missing close frame and may not be sent back (workerd throws). */
const sendable = (code: number) => (code === 1005 || code === 1006 || code < 1000 ? 1000 : code);

/**
 * Fan-out from a task object to every Worker streaming its events, over hibernatable WebSockets: an idle
 * object with open streams is evicted from memory and woken by the next event, sockets intact. Each socket
 * carries its stream id as a tag so that one stream can be addressed on its own.
 */
export class Fanout {
  constructor(private readonly ctx: DurableObjectState) {}

  /** Accepts a new stream for the caller whose scope tag is `tag`, and returns the Worker's end of it. */
  accept(streamId: string, tag: string): WebSocket {
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    this.ctx.acceptWebSocket(server, [streamId, tag]);
    return client;
  }

  /** Sends to every stream of the task owner's scope, then closes them all when the event ends the streams. */
  broadcast(tag: string | undefined, frame: Frame, close: boolean): void {
    if (tag) this.deliver(this.ctx.getWebSockets(tag), frame, close);
  }

  /** Sends to one stream only (its opening snapshot, a direct reply, an error). */
  to(streamId: string, frame: Frame, close: boolean): void {
    this.deliver(this.ctx.getWebSockets(streamId), frame, close);
  }

  get size(): number {
    return this.ctx.getWebSockets().length;
  }

  onClose(ws: WebSocket, code: number, reason: string): void {
    try {
      ws.close(sendable(code), reason);
    } catch {
      // already closed from this side
    }
  }

  private deliver(sockets: WebSocket[], frame: Frame, close: boolean): void {
    if (sockets.length === 0) return;
    const text = JSON.stringify(frame);
    for (const ws of sockets) {
      try {
        ws.send(text);
        if (close) ws.close(1000, "end of stream");
      } catch {
        // A socket that cannot take a frame is gone; dropping it never delays the others.
        this.onClose(ws, 1011, "unwritable");
      }
    }
  }
}

import type { A2AError, StreamResponse } from "../../schema/a2a";
import type { TaskFeed } from "../streams";

const encoder = new TextEncoder();

export interface SseOptions {
  keepAliveMs: number;
  maxBufferedBytes: number;
}

/** How a binding puts an event or a mid-stream error into one `data:` line. */
export interface SseEncoding {
  event(event: StreamResponse): unknown;
  error(error: A2AError): unknown;
}

/**
 * Server-sent events from a task feed (REFERENCE §5): one JSON payload per `data:` line, the event's
 * sequence number as `id:` (so a client can resume with Last-Event-ID), a keepalive comment while idle, and
 * a last `event: error` frame for an error mid-stream. A consumer that falls `maxBufferedBytes` behind is
 * dropped: its stream ends, and only its own.
 */
export function sseResponse(feed: TaskFeed, encoding: SseEncoding, options: SseOptions): Response {
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  let open = true;
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const close = () => {
          if (!open) return;
          open = false;
          clearInterval(keepAlive);
          controller.close();
        };
        const write = (text: string) => {
          if (!open) return;
          if ((controller.desiredSize ?? 1) <= 0) {
            feed.cancel();
            close();
            return;
          }
          controller.enqueue(encoder.encode(text));
        };
        keepAlive = setInterval(() => write(": keep-alive\n\n"), options.keepAliveMs);
        feed.attach({
          event: (seq, event) => write(`${seq === undefined ? "" : `id: ${seq}\n`}data: ${JSON.stringify(encoding.event(event))}\n\n`),
          error: (error) => write(`event: error\ndata: ${JSON.stringify(encoding.error(error))}\n\n`),
          end: close,
        });
      },
      cancel() {
        open = false;
        clearInterval(keepAlive);
        feed.cancel();
      },
    },
    { highWaterMark: options.maxBufferedBytes, size: (chunk) => chunk.byteLength },
  );
  return new Response(body, {
    headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-cache", "X-Accel-Buffering": "no" },
  });
}

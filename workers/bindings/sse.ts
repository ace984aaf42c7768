import type { StreamResponse } from "../../schema/a2a";

const encoder = new TextEncoder();

/** Server-sent events, one JSON payload per `data:` line (the TCK parses each line on its own). */
export function sseResponse(events: AsyncIterable<StreamResponse>, frame: (event: StreamResponse) => unknown): Response {
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      for await (const event of events) controller.enqueue(encoder.encode(`data: ${JSON.stringify(frame(event))}\n\n`));
      controller.close();
    },
  });
  return new Response(body, { headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" } });
}

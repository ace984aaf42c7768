/** One server-sent event as a client sees it. */
export interface SseEvent {
  id?: string;
  event?: string;
  data: any;
}

/**
 * Reads SSE frames until the stream ends, `until` says stop, or `timeoutMs` passes (then it throws, so no
 * test can hang). With `until`, the reader is cancelled: the connection is dropped as a client would drop it.
 */
export async function readSse(response: Response, options: { until?: (events: SseEvent[]) => boolean; timeoutMs?: number } = {}) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let buffer = "";
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new Error(`SSE stream still open after ${options.timeoutMs ?? 10_000} ms (${events.length} events)`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), remaining)));
    const chunk = await Promise.race([reader.read(), timeout]);
    clearTimeout(timer);
    if (chunk === "timeout") continue;
    if (chunk.done) break;
    buffer += chunk.value;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event: Partial<SseEvent> = {};
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) comments.push(line);
        else if (line.startsWith("id: ")) event.id = line.slice(4);
        else if (line.startsWith("event: ")) event.event = line.slice(7);
        else if (line.startsWith("data: ")) event.data = JSON.parse(line.slice(6));
      }
      if ("data" in event) events.push(event as SseEvent);
    }
    if (options.until?.(events)) {
      await reader.cancel();
      return { events, comments, ended: false };
    }
  }
  return { events, comments, ended: true };
}

/** The StreamResponse member name of an event: task, message, statusUpdate or artifactUpdate. */
export const kindOf = (streamResponse: Record<string, unknown>) => Object.keys(streamResponse)[0];

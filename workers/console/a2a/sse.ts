/** One server-sent event: its `id:` (the server's sequence number, if it sends one) and its `data:` lines. */
export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/**
 * Reads a `text/event-stream` body event by event (WHATWG HTML §9.2.6): `data:` lines joined by newlines,
 * comments (`: keep-alive`) skipped, `id:` kept. Resolves when the server ends the stream; rejects when the
 * connection breaks or `signal` aborts.
 */
export async function readSse(body: ReadableStream<Uint8Array>, onEvent: (event: SseEvent) => void, signal?: AbortSignal): Promise<void> {
  const reader = body.pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader();
  const abort = () => void reader.cancel().catch(() => {});
  signal?.addEventListener("abort", abort, { once: true });
  let buffer = "";
  let data: string[] = [];
  let id: string | undefined;
  let event: string | undefined;
  const dispatch = () => {
    if (data.length > 0) onEvent({ data: data.join("\n"), ...(id !== undefined ? { id } : {}), ...(event ? { event } : {}) });
    data = [];
    event = undefined;
  };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (signal?.aborted) throw signal.reason;
      if (done) break;
      buffer += value;
      let newline: number;
      // A CR at the very end may be the first half of a CRLF split across chunks: wait for the next one.
      while ((newline = buffer.search(/\r\n|\r(?!$)|\n/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith("\r\n", newline) ? 2 : 1));
        if (line === "") dispatch();
        else if (!line.startsWith(":")) {
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (field === "data") data.push(text);
          else if (field === "id" && !text.includes("\0")) id = text;
          else if (field === "event") event = text;
        }
      }
    }
  } finally {
    signal?.removeEventListener("abort", abort);
  }
}

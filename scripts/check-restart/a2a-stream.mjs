// A2A JSON-RPC calls and server-sent-event streams, as a client outside the Worker sees them.
const HEADERS = { "Content-Type": "application/json", "A2A-Version": "1.0" };

let nextId = 1;

/** One JSON-RPC call; throws on a JSON-RPC error. */
export async function rpc(url, method, params) {
  const res = await fetch(url, { method: "POST", headers: HEADERS, body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }), signal: AbortSignal.timeout(60_000) });
  const body = await res.json();
  if (body.error) throw new Error(`${method} → ${body.error.code} ${body.error.message}`);
  return body.result;
}

/**
 * Opens a streaming JSON-RPC call (SendStreamingMessage, SubscribeToTask) and collects its events as
 * { id, result } in arrival order until the stream ends, fails (the server died) or is aborted.
 * `lastEventId` resumes after that event (Last-Event-ID).
 * @returns {{ events: { id?: number, result?: any, error?: any }[], ended: Promise<{ how: "closed" | "broken", error?: string }>,
 *   abort: () => void, onEvent: (listener: (event: any) => void) => void }}
 */
export function openStream(url, method, params, { lastEventId } = {}) {
  const controller = new AbortController();
  const events = [];
  const listeners = new Set();
  const headers = { ...HEADERS, Accept: "text/event-stream", ...(lastEventId !== undefined ? { "Last-Event-ID": String(lastEventId) } : {}) };
  const ended = (async () => {
    try {
      const res = await fetch(url, { method: "POST", headers, body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }), signal: controller.signal });
      if (!res.ok || !res.headers.get("content-type")?.includes("text/event-stream")) {
        return { how: "broken", error: `${method} → HTTP ${res.status}: ${(await res.text()).slice(0, 300)}` };
      }
      const decoder = new TextDecoder();
      let buffer = "";
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let at;
        while ((at = buffer.indexOf("\n\n")) >= 0) {
          const event = parseEvent(buffer.slice(0, at));
          buffer = buffer.slice(at + 2);
          if (!event) continue;
          events.push(event);
          for (const listener of listeners) listener(event);
        }
      }
      return { how: "closed" };
    } catch (error) {
      return { how: "broken", error: String(error?.cause?.message ?? error?.message ?? error) };
    }
  })();
  return { events, ended, abort: () => controller.abort(), onEvent: (listener) => listeners.add(listener) };
}

/** One SSE event block: `id:` and a JSON-RPC envelope in `data:`; comments (keep-alives) give undefined. */
function parseEvent(block) {
  let id;
  const data = [];
  for (const line of block.split("\n")) {
    if (line.startsWith("id:")) id = Number(line.slice(3).trim());
    else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
  }
  if (data.length === 0) return undefined;
  const envelope = JSON.parse(data.join("\n"));
  return { ...(id !== undefined ? { id } : {}), ...(envelope.error ? { error: envelope.error } : { result: envelope.result }) };
}

/** Resolves once `predicate` holds for the stream's events (checked at each new event), or rejects after `timeoutMs`. */
export function waitForEvents(stream, predicate, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    if (predicate(stream.events)) return resolve();
    const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    stream.onEvent(() => {
      if (predicate(stream.events)) {
        clearTimeout(timer);
        resolve();
      }
    });
    stream.ended.then(() => {
      clearTimeout(timer);
      if (predicate(stream.events)) resolve();
      else reject(new Error(`the stream ended while waiting for ${what}`));
    });
  });
}

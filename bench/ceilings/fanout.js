// Fan-out ceiling (bench/streaming.mjs): the platform's streaming design with nothing else in it. One Durable
// Object per "task" holds every subscriber's hibernatable WebSocket; each event is one SQLite row, then one
// send per socket; the Worker serving each SSE response only copies the frames it receives into the body.
// It speaks just enough of the platform's wire format (snapshot, status updates, artifact chunks stamped with
// `committedAt`) for the same subscribers to read it.
//   POST /start {demoDelayMs, demoChunks, demoIntervalMs}  → {"id": …}, the run goes on in the object
//   POST /subscribe/<id>                                   → text/event-stream
import { DurableObject } from "cloudflare:workers";

const encoder = new TextEncoder();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class FanoutObject extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, body TEXT NOT NULL)");
    this.seq = 0;
    /** @type {Set<ReadableStreamDefaultController>} subscribers served by the object itself (/direct) */
    this.direct = new Set();
    this.state = "TASK_STATE_SUBMITTED";
  }

  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/start") {
      const { demoDelayMs = 0, demoChunks = 1, demoIntervalMs = 0 } = await request.json();
      this.id = url.searchParams.get("id");
      this.commit({ statusUpdate: { taskId: this.id, status: { state: "TASK_STATE_WORKING" } } });
      this.ctx.waitUntil(this.run(demoDelayMs, demoChunks, demoIntervalMs));
      return Response.json({ id: this.id });
    }
    if (url.pathname === "/direct") {
      // The object answers the SSE request itself: no WebSocket, no Worker-side copy (not hibernatable).
      let stream;
      const body = new ReadableStream({
        start: (controller) => {
          stream = controller;
          this.direct.add(controller);
          controller.enqueue(encoder.encode(frame(this.seq, { task: { id: this.id, status: { state: this.state }, artifacts: [] } })));
        },
        cancel: () => this.direct.delete(stream),
      });
      return new Response(body, { headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" } });
    }
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    server.send(frame(this.seq, { task: { id: this.id, status: { state: this.state }, artifacts: [] } }));
    return new Response(null, { status: 101, webSocket: client });
  }

  async run(delayMs, chunks, intervalMs) {
    await sleep(delayMs);
    for (let i = 1; i <= chunks; i++) {
      if (i > 1) await sleep(intervalMs);
      const artifact = { artifactId: "a", parts: [{ text: `chunk-${i} ` }], metadata: { committedAt: Date.now() } };
      this.commit({ artifactUpdate: { taskId: this.id, artifact, append: i > 1, lastChunk: i === chunks } });
    }
    this.commit({ statusUpdate: { taskId: this.id, status: { state: "TASK_STATE_COMPLETED" } } }, true);
  }

  commit(event, close = false) {
    const seq = ++this.seq;
    this.state = event.statusUpdate?.status.state ?? this.state;
    const text = frame(seq, event);
    this.ctx.storage.sql.exec("INSERT INTO events (seq, body) VALUES (?, ?)", seq, text);
    const bytes = encoder.encode(text);
    for (const controller of this.direct) {
      controller.enqueue(bytes);
      if (close) controller.close();
    }
    if (close) this.direct.clear();
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(text);
        if (close) ws.close(1000, "end of stream");
      } catch {
        // gone
      }
    }
  }

  webSocketClose(ws, code) {
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code);
    } catch {
      // already closed
    }
  }
}

const frame = (seq, event) => `id: ${seq}\ndata: ${JSON.stringify(event)}\n\n`;

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/start") {
      const id = crypto.randomUUID();
      return env.OBJECTS.get(env.OBJECTS.idFromName(id)).fetch(`https://object/start?id=${id}`, { method: "POST", body: await request.text() });
    }
    const direct = /^\/direct\/([^/]+)$/.exec(url.pathname);
    if (direct) return env.OBJECTS.get(env.OBJECTS.idFromName(direct[1])).fetch("https://object/direct");
    const match = /^\/subscribe\/([^/]+)$/.exec(url.pathname);
    if (!match) return new Response("ok");
    const upgrade = await env.OBJECTS.get(env.OBJECTS.idFromName(match[1])).fetch("https://object/subscribe", { headers: { Upgrade: "websocket" } });
    const socket = upgrade.webSocket;
    if (!socket) return new Response("no stream", { status: 502 });
    socket.accept();
    const body = new ReadableStream({
      start(controller) {
        socket.addEventListener("message", (message) => controller.enqueue(encoder.encode(message.data)));
        socket.addEventListener("close", () => {
          try {
            controller.close();
            socket.close(1000);
          } catch {
            // already closed
          }
        });
      },
      cancel() {
        socket.close(1000);
      },
    });
    return new Response(body, { headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" } });
  },
};

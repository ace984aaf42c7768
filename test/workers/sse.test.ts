import { describe, expect, it } from "vitest";
import { sseResponse } from "../../workers/bindings/sse";
import { TaskFeed } from "../../workers/streams";
import { readSse } from "../helpers/sse";

/** A feed whose far end the test drives, as a task object would. */
function feedPair() {
  const [near, far] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
  far.accept();
  const feed = new TaskFeed(near);
  const emit = (seq: number) => far.send(JSON.stringify({ seq, event: { statusUpdate: { taskId: "t", contextId: "c", status: { state: "TASK_STATE_WORKING" }, metadata: { pad: "x".repeat(200) } } } }));
  return { feed, emit, end: () => far.close(1000, "done") };
}

const encoding = { event: (event: unknown) => event, error: (error: Error) => ({ error: error.message }) };
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("SSE writer at the Worker edge", () => {
  it("sends a keepalive comment while the stream is idle", async () => {
    const { feed, end } = feedPair();
    const response = sseResponse(feed, encoding, { keepAliveMs: 40, maxBufferedBytes: 1 << 20 });
    setTimeout(end, 200);
    const { comments, ended } = await readSse(response);
    expect(ended).toBe(true);
    expect(comments.filter((c) => c === ": keep-alive").length).toBeGreaterThanOrEqual(2);
  });

  it("drops a consumer that falls too far behind, and only that one", async () => {
    const slow = feedPair();
    const fast = feedPair();
    const slowResponse = sseResponse(slow.feed, encoding, { keepAliveMs: 60_000, maxBufferedBytes: 2_000 });
    const fastResponse = sseResponse(fast.feed, encoding, { keepAliveMs: 60_000, maxBufferedBytes: 1 << 20 });
    const fastReading = readSse(fastResponse);
    for (let seq = 1; seq <= 50; seq++) {
      slow.emit(seq);
      fast.emit(seq);
    }
    fast.end();
    await settle(100);
    // The slow consumer reads only now: what was buffered up to the bound, then the end of its stream.
    const slowRead = await readSse(slowResponse);
    expect(slowRead.ended).toBe(true);
    expect(slowRead.events.length).toBeGreaterThan(0);
    expect(slowRead.events.length).toBeLessThan(50);
    expect(slowRead.events.map((e) => Number(e.id))).toEqual(slowRead.events.map((_, i) => i + 1));
    const fastRead = await fastReading;
    expect(fastRead.events.map((e) => Number(e.id))).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });
});

// Many SSE subscribers on one task: each reads its stream to the end and records what arrived and when.
// The lag of a chunk is its arrival (Date.now() when the bytes holding it reach the subscriber's thread)
// minus the `committedAt` the task object stamped on it; both clocks are this machine's wall clock, in ms.
// The subscribers are shared out over worker threads: one thread reading 1,000 sockets would time-stamp the
// last socket of every burst only after handling the 999 before it, and call that lag.
import http from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";

/** The event-loop monitor's timer; what it records beyond this is how long the loop was blocked. */
const LOOP_RESOLUTION_MS = 5;
const TERMINAL = new Set(["TASK_STATE_COMPLETED", "TASK_STATE_FAILED", "TASK_STATE_CANCELED", "TASK_STATE_REJECTED"]);

/**
 * @typedef {{ index: number, connectedAt?: number, snapshotArtifacts?: number, events: number, chunks: Set<number>,
 *   lastSeq?: number, outOfOrder: number, terminal?: string, endedAt?: number, error?: string }} Subscriber
 */

function frameFields(frame) {
  let id;
  let event;
  const data = [];
  for (const line of frame.split("\n")) {
    if (line === "" || line.startsWith(":")) continue; // a comment (keep-alive)
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + (line[colon + 1] === " " ? 2 : 1));
    if (field === "data") data.push(value);
    else if (field === "id") id = value;
    else if (field === "event") event = value;
  }
  return { id, event, data: data.length ? data.join("\n") : undefined };
}

/**
 * One thread's share: opens `count` subscriptions at once and reads each to its end.
 * @param {{ url: string, method?: string, headers?: Record<string, string>, body?: string }} target  the subscribe request
 * @param {{ count: number, timeoutMs: number }} options  `timeoutMs` bounds the whole run, from now
 * @returns {{ subscribers: Subscriber[], lags: number[][], connected: Promise<void>, done: Promise<void>,
 *   loopDelay: import("node:perf_hooks").IntervalHistogram, abort: (why: string) => void }}
 *   `lags[i]` are the lags of chunk i+1 over every subscriber that got it; `connected` resolves once each
 *   subscriber has its snapshot or has failed, `done` once every stream has ended or failed.
 */
function subscribeShare(target, { count, timeoutMs }) {
  const url = new URL(target.url);
  // One socket per subscriber, never pooled or reused: 1,000 concurrent streams need 1,000 connections.
  const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY, maxTotalSockets: Number.POSITIVE_INFINITY });
  const body = target.body ?? "";
  const headers = { ...target.headers, accept: "text/event-stream", "content-length": String(Buffer.byteLength(body)) };
  const lags = [];
  const subscribers = [];
  const requests = [];
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loopDelay.enable();

  let pendingConnect = count;
  let pendingDone = count;
  let onConnected;
  let onDone;
  const connected = new Promise((resolve) => (onConnected = resolve));
  const done = new Promise((resolve) => (onDone = resolve));
  const connectedOne = (sub) => {
    if (sub.counted) return;
    sub.counted = true;
    if (--pendingConnect === 0) onConnected();
  };
  const finish = (sub, error) => {
    if (sub.finished) return;
    sub.finished = true;
    if (error && !sub.error) sub.error = error;
    sub.endedAt ??= Date.now();
    connectedOne(sub);
    if (--pendingDone === 0) {
      clearTimeout(timer);
      loopDelay.disable();
      agent.destroy();
      onDone();
    }
  };

  const onEvent = (sub, fields, now) => {
    if (fields.event === "error") {
      sub.error = `error event: ${fields.data}`;
      return;
    }
    if (fields.data === undefined) return;
    const seq = fields.id === undefined ? undefined : Number(fields.id);
    if (seq !== undefined) {
      if (sub.lastSeq !== undefined && seq <= sub.lastSeq) sub.outOfOrder++;
      sub.lastSeq = seq;
    }
    const event = JSON.parse(fields.data);
    sub.events++;
    if (event.task) {
      sub.connectedAt ??= now;
      sub.snapshotArtifacts = event.task.artifacts?.length ?? 0;
      connectedOne(sub);
    } else if (event.artifactUpdate) {
      const artifact = event.artifactUpdate.artifact;
      const n = Number(/chunk-(\d+)/.exec(artifact?.parts?.[0]?.text ?? "")?.[1]);
      const committedAt = artifact?.metadata?.committedAt;
      if (!Number.isInteger(n) || n < 1) return;
      if (sub.chunks.has(n)) sub.outOfOrder++;
      sub.chunks.add(n);
      if (typeof committedAt === "number") (lags[n - 1] ??= []).push(now - committedAt);
    } else if (event.statusUpdate) {
      const state = event.statusUpdate.status?.state;
      if (TERMINAL.has(state)) sub.terminal = state;
    }
  };

  for (let index = 0; index < count; index++) {
    /** @type {Subscriber} */
    const sub = { index, events: 0, chunks: new Set(), outOfOrder: 0 };
    subscribers.push(sub);
    const req = http.request(url, { method: target.method ?? "POST", headers, agent }, (res) => {
      const type = res.headers["content-type"] ?? "";
      if (res.statusCode !== 200 || !type.startsWith("text/event-stream")) {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (text += c));
        res.on("end", () => finish(sub, `HTTP ${res.statusCode} ${type}: ${text.slice(0, 300)}`));
        res.on("error", (e) => finish(sub, `HTTP ${res.statusCode}: ${e.message}`));
        return;
      }
      res.setEncoding("utf8");
      let buffer = "";
      res.on("data", (text) => {
        const now = Date.now();
        buffer += text;
        let cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const frame = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          try {
            onEvent(sub, frameFields(frame.replaceAll("\r", "")), now);
          } catch (error) {
            sub.error ??= `unreadable frame: ${error.message}: ${frame.slice(0, 200)}`;
          }
        }
      });
      res.on("end", () => finish(sub, buffer.trim() ? `stream ended mid-frame: ${buffer.slice(0, 200)}` : undefined));
      res.on("error", (e) => finish(sub, e.message));
      res.on("aborted", () => finish(sub, "response aborted"));
    });
    req.on("error", (e) => finish(sub, e.code ?? e.message));
    req.setNoDelay(true);
    req.end(body);
    requests.push(req);
  }

  const abort = (why) => {
    for (const [i, req] of requests.entries()) {
      if (subscribers[i].finished) continue;
      subscribers[i].error ??= why;
      req.destroy();
      finish(subscribers[i]);
    }
  };
  const timer = setTimeout(() => abort(`timed out after ${timeoutMs} ms`), timeoutMs);
  return { subscribers, lags, connected, done, loopDelay, abort };
}

// In a worker thread: run one share, report when it is connected and when it is done.
if (!isMainThread && workerData?.sseFanout) {
  const { target, count, timeoutMs } = workerData;
  const share = subscribeShare(target, { count, timeoutMs });
  parentPort.on("message", (message) => message.abort && share.abort(message.abort));
  share.connected.then(() => parentPort.postMessage({ connected: true, at: Math.max(0, ...share.subscribers.map((s) => s.connectedAt ?? 0)) }));
  share.done.then(() => {
    const subscribers = share.subscribers.map(({ counted: _c, finished: _f, chunks, ...s }) => ({ ...s, chunks: [...chunks] }));
    parentPort.postMessage({ done: true, subscribers, lags: share.lags, loopDelayP99: Math.max(0, share.loopDelay.percentile(99) / 1e6 - LOOP_RESOLUTION_MS) });
  });
}

/**
 * Opens `count` subscriptions at once, shared out over `threads` worker threads, and reads each to its end.
 * @param {{ url: string, method?: string, headers?: Record<string, string>, body?: string }} target  the subscribe request
 * @param {{ count: number, timeoutMs: number, threads?: number }} options  `timeoutMs` bounds the whole run, from now
 * @returns {{ connected: Promise<number>, done: Promise<{ subscribers: (Subscriber & { chunks: number[] })[],
 *   lags: number[][], loopDelayP99: number }>, abort: (why: string) => void }}
 *   `connected` resolves (with the time the last snapshot arrived) once every subscriber has its snapshot or
 *   has failed; `done` once every stream has ended or failed. `lags[i]` are the lags of chunk i+1 over every
 *   subscriber that got it; `loopDelayP99` is the worst thread's event-loop delay p99 in ms.
 */
export function openSubscribers(target, { count, timeoutMs, threads = 2 }) {
  const n = Math.max(1, Math.min(threads, count));
  const workers = Array.from({ length: n }, (_, i) => {
    const share = Math.floor(count / n) + (i < count % n ? 1 : 0);
    return new Worker(new URL(import.meta.url), { workerData: { sseFanout: true, target, count: share, timeoutMs } });
  });
  const connectedAt = [];
  const reports = [];
  let onConnected;
  let onDone;
  const connected = new Promise((resolve) => (onConnected = resolve));
  const done = new Promise((resolve, reject) => (onDone = { resolve, reject }));
  for (const worker of workers) {
    worker.on("message", (message) => {
      if (message.connected && connectedAt.push(message.at) === n) onConnected(Math.max(...connectedAt));
      if (message.done) {
        reports.push(message);
        void worker.terminate();
        if (reports.length < n) return;
        const subscribers = reports.flatMap((r) => r.subscribers).map((s, index) => ({ ...s, index }));
        const lags = [];
        for (const r of reports) for (const [i, l] of r.lags.entries()) if (l) (lags[i] ??= []).push(...l);
        onDone.resolve({ subscribers, lags, loopDelayP99: Math.max(...reports.map((r) => r.loopDelayP99)) });
      }
    });
    worker.on("error", (error) => {
      for (const w of workers) void w.terminate();
      onDone.reject(new Error(`a subscriber thread failed: ${error.message}`));
    });
  }
  return { connected, done, abort: (why) => workers.forEach((w) => w.postMessage({ abort: why })) };
}

/** The value at quantile q (0..1) of ascending `sorted`, nearest rank. */
export function quantile(sorted, q) {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

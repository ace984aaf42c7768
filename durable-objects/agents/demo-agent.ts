import type { Artifact } from "../../schema/a2a";
import { textOf, type AgentExecutor, type TaskUpdater } from "../executor";

type Behaviour = (task: TaskUpdater) => void | Promise<void>;

const complete: Behaviour = (task) => task.status("TASK_STATE_COMPLETED", "Hello from TCK");
/** WORKING once: a task already working (a follow-up, slow mode's delay) gets no second, empty status event. */
const working = (task: TaskUpdater) => {
  if (task.snapshot()?.status.state !== "TASK_STATE_WORKING") task.status("TASK_STATE_WORKING");
};
const withArtifact =
  (parts: Artifact["parts"]): Behaviour =>
  (task) => {
    task.artifact({ artifactId: crypto.randomUUID(), name: "output", parts });
    task.status("TASK_STATE_COMPLETED");
  };
/** The streaming scenarios go through WORKING first, so a stream shows a status update before the artifact. */
const streamed =
  (parts: Artifact["parts"]): Behaviour =>
  (task) => {
    working(task);
    return withArtifact(parts)(task);
  };
const TEXT_FILE = { raw: btoa("tck"), mediaType: "text/plain", filename: "output.txt" };

/**
 * The official TCK's system-under-test conventions, keyed by `messageId` prefix (TCK-CONVENTIONS.md).
 * Order matters: the longer `tck-artifact-file-url` must be tried before `tck-artifact-file`.
 */
const TCK_BEHAVIOURS: ReadonlyArray<readonly [string, Behaviour]> = [
  ["tck-complete-task", complete],
  ["tck-artifact-text", withArtifact([{ text: "Generated text content" }])],
  ["tck-artifact-file-url", withArtifact([{ url: "https://example.com/output.txt", mediaType: "text/plain", filename: "output.txt" }])],
  ["tck-artifact-file", withArtifact([TEXT_FILE])],
  ["tck-artifact-data", withArtifact([{ data: { key: "value", count: 42 } }])],
  ["tck-message-response", (task) => task.reply("Direct message response")],
  ["tck-input-required", (task) => task.status("TASK_STATE_INPUT_REQUIRED", "Please provide more input to continue.")],
  ["tck-reject-task", (task) => task.status("TASK_STATE_REJECTED", "Task rejected by the agent.")],
  ["tck-stream-002", (task) => task.status("TASK_STATE_COMPLETED", "Stream complete")],
  ["tck-stream-artifact-chunked", (task) => chunked(task, ["chunk-1 ", "chunk-2"], 0)],
  ["tck-stream-artifact-file", streamed([TEXT_FILE])],
  // tck-stream-001, -003, -ordering-001 and -artifact-text: working, one text artifact, completed.
  ["tck-stream-", streamed([{ text: "Streamed text content" }])],
  [
    "test-resubscribe-message-id",
    async (task) => {
      working(task);
      await sleep(4000, task.signal);
      task.status("TASK_STATE_COMPLETED", "Resubscribe test complete");
    },
  ],
];

/**
 * Working, then one artifact built from `chunks` (each appended, the last marked lastChunk), then completed.
 * With `stamp`, each chunk's metadata carries `committedAt` (ms): updater calls commit synchronously, so a
 * subscriber can measure its lag from commit to arrival (bench/streaming).
 */
async function chunked(task: TaskUpdater, chunks: string[], intervalMs: number, stamp = false): Promise<void> {
  working(task);
  const artifactId = crypto.randomUUID();
  for (const [i, text] of chunks.entries()) {
    if (i > 0 && intervalMs > 0) await sleep(intervalMs, task.signal);
    const metadata = stamp ? { metadata: { committedAt: Date.now() } } : {};
    task.artifact({ artifactId, name: "output", parts: [{ text }], ...metadata }, { append: i > 0, lastChunk: i === chunks.length - 1 });
  }
  task.status("TASK_STATE_COMPLETED");
}

const bounded = (value: unknown, max: number) => (typeof value === "number" && Number.isFinite(value) ? Math.min(Math.max(0, Math.floor(value)), max) : 0);

/**
 * Slow mode, for demos and benchmarks, from `message.metadata`: `demoDelayMs` (at most 60 s) works that long
 * first; `demoChunks` (at most 1,000) streams that many text chunks into one artifact, `demoIntervalMs`
 * (at most 10 s) apart, each chunk's metadata stamped with `committedAt` (ms since the epoch).
 */
function slowMode(metadata: Record<string, unknown> | undefined) {
  return {
    delayMs: bounded(metadata?.demoDelayMs, 60_000),
    chunks: bounded(metadata?.demoChunks, 1000),
    intervalMs: bounded(metadata?.demoIntervalMs, 10_000),
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

/**
 * The built-in demo agent: follows the TCK conventions so any conformance kit can drive a deployed platform,
 * and otherwise echoes the user's text back, completing the task.
 */
export const demoAgent: AgentExecutor = {
  async execute(request, task) {
    const slow = slowMode(request.message.metadata);
    if (slow.delayMs > 0) {
      task.status("TASK_STATE_WORKING", `Working for ${slow.delayMs} ms.`);
      await sleep(slow.delayMs, task.signal);
    }
    if (slow.chunks > 0) {
      const chunks = Array.from({ length: slow.chunks }, (_, i) => `chunk-${i + 1} `);
      return chunked(task, chunks, slow.intervalMs, true);
    }
    const behaviour = TCK_BEHAVIOURS.find(([prefix]) => request.message.messageId.startsWith(prefix))?.[1];
    if (behaviour) return behaviour(task);
    const text = textOf(request.message);
    task.status("TASK_STATE_COMPLETED", text ? `You said: ${text}` : "Received your message.");
  },
  async cancel(_request, task) {
    task.status("TASK_STATE_CANCELED", "Canceled at the client's request.");
  },
};

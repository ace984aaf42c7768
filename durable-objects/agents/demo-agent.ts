import type { Artifact } from "../../schema/a2a";
import { textOf, type AgentExecutor, type TaskUpdater } from "../executor";

type Behaviour = (task: TaskUpdater) => void;

const complete: Behaviour = (task) => task.status("TASK_STATE_COMPLETED", "Hello from TCK");
const withArtifact =
  (parts: Artifact["parts"]): Behaviour =>
  (task) => {
    task.artifact({ artifactId: crypto.randomUUID(), name: "output", parts });
    task.status("TASK_STATE_COMPLETED");
  };

/**
 * The official TCK's system-under-test conventions, keyed by `messageId` prefix (TCK-CONVENTIONS.md).
 * Order matters: the longer `tck-artifact-file-url` must be tried before `tck-artifact-file`.
 */
const TCK_BEHAVIOURS: ReadonlyArray<readonly [string, Behaviour]> = [
  ["tck-complete-task", complete],
  ["tck-artifact-text", withArtifact([{ text: "Generated text content" }])],
  ["tck-artifact-file-url", withArtifact([{ url: "https://example.com/output.txt", mediaType: "text/plain", filename: "output.txt" }])],
  ["tck-artifact-file", withArtifact([{ raw: btoa("tck"), mediaType: "text/plain", filename: "output.txt" }])],
  ["tck-artifact-data", withArtifact([{ data: { key: "value", count: 42 } }])],
  ["tck-message-response", (task) => task.reply("Direct message response")],
  ["tck-input-required", (task) => task.status("TASK_STATE_INPUT_REQUIRED", "Please provide more input to continue.")],
  ["tck-reject-task", (task) => task.status("TASK_STATE_REJECTED", "Task rejected by the agent.")],
];

/** `message.metadata.demoDelayMs` (at most 60 s) makes the agent work that long first: for demos and tests. */
function demoDelay(metadata: Record<string, unknown> | undefined): number {
  const value = metadata?.demoDelayMs;
  return typeof value === "number" && Number.isFinite(value) ? Math.min(Math.max(0, value), 60_000) : 0;
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
    const delayMs = demoDelay(request.message.metadata);
    if (delayMs > 0) {
      task.status("TASK_STATE_WORKING", `Working for ${delayMs} ms.`);
      await sleep(delayMs, task.signal);
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

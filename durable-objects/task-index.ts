import type { IndexRows } from "./index-writer";
import { retryDelayMs } from "./retry";
import { INDEX_BATCH, type PendingIndexWrite, type Stored, type TaskStorage } from "./sql";

/** A task object's unacknowledged changes as the rows Postgres stores. */
export function indexRows(write: PendingIndexWrite): IndexRows {
  const { scope, task } = write;
  return {
    ...(task
      ? {
          task: {
            id: task.task.id,
            agent: scope.agent,
            tenant: scope.tenant,
            owner: scope.owner,
            context_id: task.task.contextId,
            state: task.task.status.state,
            status_timestamp: task.task.status.timestamp ?? task.createdAt,
            version: task.version,
            snapshot: JSON.stringify(task.task),
            created_at: task.createdAt,
          },
        }
      : {}),
    messages: write.messages.map(({ seq, message, body, committedAt }) => ({
      message_id: message.messageId,
      task_id: message.taskId ?? null,
      agent: scope.agent,
      tenant: scope.tenant,
      owner: scope.owner,
      context_id: message.contextId ?? "",
      role: message.role,
      seq,
      committed_at: committedAt,
      message: body,
    })),
  };
}

export interface IndexerDeps {
  /** Whether a database is configured at all (without one, nothing is indexed). */
  enabled: boolean;
  /** Sends one write to Postgres (through the task's index writer); resolves once Postgres has it. */
  send: (rows: IndexRows) => Promise<void>;
  storage: TaskStorage;
  current: () => Stored;
  /** The task object's alarm for this purpose: when to write next (undefined: no need), and whether one is set. */
  schedule: (at: number | undefined) => void;
  scheduled: () => boolean;
}

/**
 * How far ahead the alarm is set while a write runs at once. It only fires if this instance dies before the
 * write lands (a deploy, an eviction mid-write): the commit and the alarm are stored together.
 */
export const SAFETY_NET_MS = 10_000;

/**
 * Keeps Postgres in step with one task object. Every commit starts a write at once, after the commits of the
 * same turn (so a run that goes SUBMITTED → WORKING → COMPLETED in one turn is one write); one write runs at a
 * time, and commits made meanwhile go in the next. The alarm is set with the commit and cleared when Postgres
 * has everything, so a task that indexes at once costs no alarm invocation. A failed write is retried with
 * backoff, forever, from the durable alarm (an outage never loses a write).
 */
export class TaskIndexer {
  private attempts = 0;
  /** A write is running, or starts after this turn. */
  private busy = false;
  /** Commits arrived while a write was running. */
  private again = false;
  /** Callers of `flushed`, resolved when Postgres has every commit. */
  private readonly flushWaiters: Array<() => void> = [];

  constructor(private readonly deps: IndexerDeps) {}

  request(): void {
    if (!this.deps.enabled) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    // Backing off after a failure: the alarm's retry picks this commit up.
    if (this.attempts > 0) return;
    this.busy = true;
    if (!this.deps.scheduled()) this.deps.schedule(Date.now() + SAFETY_NET_MS);
    setTimeout(() => void this.drain(), 0);
  }

  /**
   * Resolves once Postgres has every commit made so far. During an outage it waits while the alarm retries
   * (callers bound the wait themselves).
   */
  flushed(): Promise<void> {
    if (!this.deps.enabled) return Promise.resolve();
    const { storage, current } = this.deps;
    const pending = storage.pendingIndexWrite(current());
    if (!this.busy && !pending.task && pending.messages.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.flushWaiters.push(resolve);
      this.request();
    });
  }

  /** The alarm's turn: writes what is pending, unless a write is already running (it will take this too). */
  async write(): Promise<void> {
    if (this.busy) {
      // A write slower than the safety net: keep the alarm set until it lands.
      this.again = true;
      this.deps.schedule(Date.now() + SAFETY_NET_MS);
      return;
    }
    this.busy = true;
    await this.drain();
  }

  /** Writes until Postgres has every commit, then clears the alarm; on failure leaves a retry on the alarm. */
  private async drain(): Promise<void> {
    try {
      let outcome: "done" | "more" | "failed";
      do {
        this.again = false;
        outcome = await this.writeOnce();
        if (outcome === "failed") return;
      } while (this.again || outcome === "more");
      this.deps.schedule(undefined);
      for (const resolve of this.flushWaiters.splice(0)) resolve();
    } finally {
      this.busy = false;
    }
  }

  /**
   * One statement with what Postgres lacks: "more" when that was a full batch of messages, "failed" when it
   * failed (a retry is then on the alarm). Commits made while it ran are flagged by `request`, not re-read.
   */
  private async writeOnce(): Promise<"done" | "more" | "failed"> {
    const { enabled, storage, current } = this.deps;
    if (!enabled) return "done";
    const write = storage.pendingIndexWrite(current());
    if (!write.task && write.messages.length === 0) return "done";
    try {
      await this.deps.send(indexRows(write));
      storage.markIndexed(write);
      this.attempts = 0;
      return write.messages.length >= INDEX_BATCH ? "more" : "done";
    } catch (error) {
      this.attempts += 1;
      const delay = retryDelayMs(this.attempts);
      console.warn(JSON.stringify({ at: "task-index", attempt: this.attempts, retryInMs: delay, error: (error instanceof Error ? error.message : String(error)).slice(0, 300) }));
      this.deps.schedule(Date.now() + delay);
      return "failed";
    }
  }
}

import type { TaskUpdater } from "../../executor";

/** A chunk goes out once this many characters wait, or this long after the first of them arrived. */
export const COALESCE_CHARS = 64;
export const COALESCE_MS = 50;

/**
 * Streams one model step's text into one artifact, coalesced: a fast model sends a token at a time, and every
 * chunk is a commit (SQLite, fan-out, webhooks), so pieces are gathered until 64 characters or 50 ms. The first
 * chunk replaces the artifact (a step re-issued after a restart starts it over); `finish` sends the rest with
 * `lastChunk`.
 */
export class TextStream {
  private pending = "";
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sent = 0;
  private closed = false;

  constructor(
    private readonly updater: Pick<TaskUpdater, "artifact">,
    private readonly artifactId: string,
    private readonly name: string,
  ) {}

  push(delta: string): void {
    if (this.closed || delta === "") return;
    this.pending += delta;
    if (this.pending.length >= COALESCE_CHARS) this.flush(false);
    else this.timer ??= setTimeout(() => this.flush(false), COALESCE_MS);
  }

  /** Sends what is left as the last chunk; a step that streamed no text leaves no artifact. */
  finish(): void {
    if (this.closed) return;
    if (this.sent > 0 || this.pending !== "") this.flush(true);
    this.close();
  }

  /** Stops without a last chunk (the step failed or was canceled); nothing more is sent. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private flush(last: boolean): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending === "" && !last) return;
    const text = this.pending;
    this.pending = "";
    const first = this.sent === 0;
    this.sent += 1;
    try {
      this.updater.artifact(
        { artifactId: this.artifactId, name: this.name, parts: [{ text }] },
        { append: !first, ...(last ? { lastChunk: true } : {}) },
      );
    } catch {
      // The task ended under us (canceled): a timer's flush has no one to report to, and the run stops anyway.
      this.close();
    }
  }
}

import type { A2uiClientAction } from "@a2ui/web_core/v0_9";
import { A2UI_MEDIA_TYPE, A2UI_VERSION } from "../../../schema/a2ui/extension";
import { A2uiHost, isA2uiPart } from "../a2ui/host";
import { A2AClientError, type A2AClient, type StreamEvent } from "../a2a/client";
import { INTERRUPTED, TERMINAL, type Message, type Part, type Task } from "../a2a/types";
import { addMessage, applyEvent, newTaskView, type TaskView } from "./task-view";

/** What the chat shows, in order: a user message not yet in a task, a task, or an agent's direct reply. */
export type ChatItem = { kind: "user"; message: Message } | { kind: "task"; taskId: string } | { kind: "reply"; message: Message };

export type StreamState = "idle" | "streaming" | "reconnecting" | "done" | "error";

const MAX_RECONNECTS = 8;
const backoff = (attempt: number) => Math.min(5000, 250 * 2 ** attempt);
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });

export const isSettled = (task: Task) => TERMINAL.has(task.status.state) || INTERRUPTED.has(task.status.state);

/**
 * One conversation (an A2A context) with one agent: sends messages, follows each task's stream, resumes a
 * dropped stream where it broke, and keeps the task views and A2UI surfaces the panels draw.
 */
export class Conversation {
  contextId: string | undefined;
  currentTaskId: string | undefined;
  readonly views = new Map<string, TaskView>();
  readonly items: ChatItem[] = [];
  readonly host: A2uiHost;
  stream: { state: StreamState; detail?: string; reconnects: number; duplicatesDropped: number } = { state: "idle", reconnects: 0, duplicatesDropped: 0 };
  error: string | undefined;
  private abort: AbortController | undefined;

  constructor(
    readonly client: A2AClient,
    private readonly changed: () => void,
    /** Called when a task settles (terminal or waiting for input): a task list may have changed. */
    private readonly settled: () => void = () => {},
  ) {
    this.host = new A2uiHost((action) => void this.sendAction(action));
  }

  get current(): TaskView | undefined {
    return this.currentTaskId ? this.views.get(this.currentTaskId) : undefined;
  }

  /** Sends a user message: to the current task while it waits for input, otherwise as a new task in this context. */
  async send(parts: Part[], metadata: Record<string, unknown> = {}): Promise<void> {
    const waiting = this.current && INTERRUPTED.has(this.current.task.status.state) ? this.current.task : undefined;
    const message: Message = {
      messageId: crypto.randomUUID(),
      role: "ROLE_USER",
      parts,
      ...(this.contextId ? { contextId: this.contextId } : {}),
      ...(waiting ? { taskId: waiting.id } : {}),
      metadata: { ...(this.client.rendersA2ui ? this.host.metadata() : {}), ...metadata },
    };
    // A follow-up belongs in its task, where the agent's answer will follow it; a new task's first message waits outside.
    if (waiting) addMessage(this.views.get(waiting.id)!, message);
    else this.items.push({ kind: "user", message });
    this.error = undefined;
    this.changed();
    await this.follow((onEvent, signal) => this.client.sendStreaming(message, onEvent, signal));
  }

  /** A click in a rendered surface: an A2UI action, sent as a data part on the same task and context. */
  sendAction(action: A2uiClientAction): Promise<void> {
    const part: Part = { data: [{ version: A2UI_VERSION, action }] as never, mediaType: A2UI_MEDIA_TYPE, metadata: { mimeType: A2UI_MEDIA_TYPE } };
    return this.send([part]);
  }

  async cancel(): Promise<void> {
    const task = this.current?.task;
    if (!task) return;
    try {
      this.apply({ payload: { task: await this.client.cancelTask(task.id) }, raw: "" });
    } catch (error) {
      this.error = (error as Error).message;
      this.changed();
    }
  }

  /** Opens a task by id (from the task list): its snapshot, then its live stream if it is still running. */
  async open(taskId: string): Promise<void> {
    const task = await this.client.getTask(taskId);
    this.apply({ payload: { task }, raw: JSON.stringify({ task }) });
    if (!isSettled(task)) await this.follow((onEvent, signal) => this.client.subscribe(task.id, onEvent, signal));
  }

  stop(): void {
    this.abort?.abort();
  }

  /** Follows a stream; when it breaks (or ends early) before the task settles, resubscribes after the last event seen. */
  private async follow(start: (onEvent: (event: StreamEvent) => void, signal: AbortSignal) => Promise<void>): Promise<void> {
    this.abort?.abort();
    const controller = (this.abort = new AbortController());
    let call = start;
    let attempt = 0;
    this.setStream("streaming");
    for (;;) {
      let received = false;
      try {
        await call((event) => {
          received = true;
          this.apply(event);
        }, controller.signal);
      } catch (error) {
        if (controller.signal.aborted) return;
        if (error instanceof A2AClientError && error.code !== undefined) {
          // The agent refused: a subscription to a task that ended meanwhile has nothing to replay; read it instead.
          if (this.current && call !== start) return this.settle();
          this.error = error.message;
          return this.setStream("error", error.message);
        }
      }
      if (controller.signal.aborted) return;
      const view = this.current;
      if (view && isSettled(view.task)) return this.settle();
      if (!view) {
        this.error = "The connection closed before the agent created a task.";
        return this.setStream("error", this.error);
      }
      attempt = received ? 0 : attempt + 1;
      if (attempt >= MAX_RECONNECTS) return this.setStream("error", `gave up after ${MAX_RECONNECTS} attempts to resume the stream`);
      this.stream.reconnects += 1;
      this.setStream("reconnecting", view.lastEventId !== undefined ? `resuming after event ${view.lastEventId}` : "resuming from a snapshot");
      await sleep(backoff(attempt), controller.signal);
      if (controller.signal.aborted) return;
      const taskId = view.task.id;
      call = (onEvent, signal) => this.client.subscribe(taskId, onEvent, signal, this.views.get(taskId)?.lastEventId);
      this.setStream("streaming");
    }
  }

  /** The task settled (or ended): read it once more for its full history and metadata (usage, child tasks). */
  private async settle(): Promise<void> {
    const id = this.currentTaskId;
    this.setStream("done");
    this.settled();
    if (!id) return;
    try {
      this.apply({ payload: { task: await this.client.getTask(id) }, raw: "" });
    } catch {
      // The stream already delivered the task; a failed refresh only leaves metadata older.
    }
  }

  private setStream(state: StreamState, detail?: string): void {
    this.stream = { ...this.stream, state, ...(detail ? { detail } : { detail: undefined }) };
    this.changed();
  }

  /** One event into its task's view (events already applied, by SSE id, are dropped), then its A2UI parts. */
  private apply(event: StreamEvent): void {
    const { payload } = event;
    if (payload.message) {
      this.contextId ??= payload.message.contextId;
      this.items.push({ kind: "reply", message: payload.message });
      this.changed();
      return;
    }
    const about = payload.task ?? payload.statusUpdate ?? payload.artifactUpdate;
    if (!about) return;
    const taskId = "id" in about ? (about.id as string) : (about as { taskId: string }).taskId;
    let view = this.views.get(taskId);
    if (view && event.id !== undefined && view.lastEventId !== undefined && event.id <= view.lastEventId && !payload.task) {
      this.stream.duplicatesDropped += 1;
      return;
    }
    if (!view) {
      view = newTaskView(payload.task ?? { id: taskId, contextId: about.contextId, status: { state: "TASK_STATE_SUBMITTED" } });
      this.views.set(taskId, view);
      this.items.push({ kind: "task", taskId });
    }
    this.contextId ??= about.contextId;
    this.currentTaskId = taskId;
    applyEvent(view, payload, event.id);
    if (event.raw) view.events.push({ ...(event.id !== undefined ? { id: event.id } : {}), at: new Date().toISOString(), kind: Object.keys(payload)[0] ?? "?", raw: event.raw });
    this.renderSurfaces(view);
    this.changed();
  }

  private renderSurfaces(view: TaskView): void {
    // Only the agent's messages carry surfaces; a user's A2UI part is an action going the other way.
    for (const message of view.task.history ?? []) if (message.role === "ROLE_AGENT") message.parts.forEach((part, i) => isA2uiPart(part) && this.host.process(`m:${message.messageId}:${i}`, part));
    for (const artifact of view.task.artifacts ?? []) artifact.parts.forEach((part, i) => isA2uiPart(part) && this.host.process(`a:${artifact.artifactId}:${i}`, part));
  }
}

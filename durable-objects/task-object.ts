import { DurableObject } from "cloudflare:workers";
import {
  A2AError,
  type Message,
  type Part,
  type ResultOf,
  type SendMessageRequest,
  type SendMessageResponse,
  type SerializedA2AError,
  type Task,
  type TaskPushNotificationConfig,
  type TaskState,
} from "../schema/a2a";
import { executorFor } from "./agents";
import { AlarmScheduler } from "./alarms";
import { agentMessage, type AgentContext, type AgentExecutor, type TaskUpdater } from "./executor";
import { PushNotifications, type ConfigView, type Registration } from "./push/push-notifications";
import { apply, isInterrupted, isTerminal, toStreamResponse, viewTask, type TaskEvent } from "./reducer";
import { TaskStorage, type Caller, type Scope, type Stored } from "./sql";
import { Fanout, scopeTag, type Frame } from "./fanout";
import { outcome, parseStreamRequest, type Outcome, type PushConfigRef, type SendInput, type StreamRequest } from "./protocol";
import { openingFrames } from "./subscription";
import { sendToIndex } from "./index-writer";
import { TaskIndexer } from "./task-index";
import type { TurnState } from "./context-object";

interface Run {
  controller: AbortController;
  /** The user message that started it. */
  messageId: string;
}

/**
 * While a resumable agent runs, the object's alarm fires this often: each firing keeps the object from being
 * evicted as idle, and after a restart (a deploy, a crash) it is what brings the object back to resume the run.
 */
export const RUN_HEARTBEAT_MS = 5_000;

/** Events are kept this long after they were committed, so a dropped stream can resume (Last-Event-ID). */
export const EVENT_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * One Durable Object per task: the single writer of its state. Every change goes through `commit`, which
 * reduces, writes SQLite synchronously, wakes waiters and schedules the Postgres index write, with no
 * `await` in between, so nothing can observe a half-applied event.
 */
export class TaskObject extends DurableObject<Env> {
  private readonly storage: TaskStorage;
  private readonly fanout: Fanout;
  private stored: Stored;
  /** The stream tag of the task owner's scope (see scopeTag); set before the task exists. */
  private tag: string | undefined;
  private run: Run | undefined;
  private readonly waiters = new Set<() => void>();
  private readonly alarms: AlarmScheduler<"index" | "push" | "run">;
  private readonly push: PushNotifications;
  private readonly indexer: TaskIndexer;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.storage = new TaskStorage(ctx.storage.sql);
    this.fanout = new Fanout(ctx);
    this.stored = this.storage.load();
    this.alarms = new AlarmScheduler(ctx.storage, ["index", "push", "run"], { resumed: this.stored.kind !== "empty" });
    this.indexer = new TaskIndexer({
      enabled: Boolean(env.DATABASE_URL),
      send: (rows) => sendToIndex(env, ctx.id.name ?? ctx.id.toString(), rows),
      storage: this.storage,
      current: () => this.stored,
      schedule: (at) => this.alarms.set("index", at),
      scheduled: () => this.alarms.due("index") !== undefined,
    });
    this.push = new PushNotifications({
      sql: ctx.storage.sql,
      nextEvent: (seq) => this.storage.nextEvent(seq),
      env,
      task: () => (this.stored.kind === "task" ? { id: this.stored.task.id, seq: this.stored.version } : undefined),
      schedule: (at) => this.alarms.set("push", at),
    }, this.storage.hadTable("push_configs"));
    const stored = this.stored;
    if (stored.kind !== "empty") {
      void ctx.blockConcurrencyWhile(async () => {
        this.tag = await scopeTag(stored.scope);
        this.recoverRun();
      });
    }
  }

  async send(input: SendInput): Promise<Outcome<SendMessageResponse>> {
    return outcome(async () => {
      // The one await before the checks: from here to the run's start nothing else can interleave.
      const callerTag = await scopeTag(input.scope);
      this.deliverMessage(input, callerTag);
      const { configuration } = input.request;
      await this.settled(configuration?.returnImmediately ?? false);
      return this.response(configuration?.historyLength);
    });
  }

  /**
   * SendStreamingMessage: the Worker has already opened stream `streamId` (mode "send"), so every event of
   * the run reaches it. Starts with the task (or the reply), then the run's events arrive through commit().
   */
  async sendStreaming(input: SendInput & { streamId: string }): Promise<Outcome<null>> {
    return outcome(async () => {
      const callerTag = await scopeTag(input.scope);
      this.deliverMessage(input, callerTag, input.streamId);
      return null;
    });
  }

  /**
   * What both sends share: a repeated messageId answers with what it already produced, a follow-up resumes
   * the task, a new message starts one; an inline webhook is registered from the first event it should see.
   * A stream gets its opening frame (the task, or the stored reply) before the run's first event.
   */
  private deliverMessage(input: SendInput, callerTag: string, streamId?: string): void {
    const { request, scope, taskId } = input;
    const webhook = request.configuration?.taskPushNotificationConfig;
    const current = this.stored;
    if (current.kind === "reply") {
      this.checkScope(current.scope, scope, taskId);
      if (current.request.messageId !== request.message.messageId) throw new A2AError("TaskNotFound", `Task ${taskId} not found`, { taskId });
      if (streamId) this.fanout.to(streamId, { event: { message: current.reply } }, true);
      return;
    }
    if (current.kind === "task") {
      this.checkScope(current.scope, scope, taskId);
      const known = current.task.history?.some((m) => m.messageId === request.message.messageId) === true;
      if (!known) {
        this.checkFollowUp(current.task, request);
        if (webhook) this.push.checkRoom(webhook.id, taskId);
      }
      if (streamId) {
        const frame = { seq: current.version, event: { task: viewTask(current.task) } };
        this.fanout.to(streamId, frame, known && !isActive(current.task.status.state));
      }
      if (!known) {
        this.followUp(current.task, request, scope, input.caller);
        this.registerInline(webhook, current.version, { taskId, tenant: scope.tenant }, input.protocolVersion);
      }
      return;
    }
    if (!input.isNew) throw new A2AError("TaskNotFound", `Task ${taskId} not found`, { taskId });
    this.startNewTask(input, callerTag);
    this.registerInline(webhook, 0, { taskId, tenant: scope.tenant }, input.protocolVersion);
  }

  /**
   * Opens a stream of this task's events for a Worker (a WebSocket upgrade). Refusals are answered before
   * any event, as `{error}` JSON with a non-101 status, so the Worker can answer with an ordinary error.
   */
  override async fetch(request: Request): Promise<Response> {
    const stream = parseStreamRequest(new URL(request.url));
    if (!stream || request.headers.get("Upgrade") !== "websocket") return new Response("expected a stream upgrade", { status: 400 });
    try {
      const tag = await scopeTag(stream);
      const start = stream.mode === "subscribe" ? this.subscription(stream) : { frames: [], close: false };
      const client = this.fanout.accept(stream.streamId, tag);
      start.frames.forEach((frame, i) => this.fanout.to(stream.streamId, frame, start.close && i === start.frames.length - 1));
      return new Response(null, { status: 101, webSocket: client });
    } catch (error) {
      if (error instanceof A2AError) return Response.json({ error: error.toJSON() }, { status: error.spec.http });
      throw error;
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.fanout.onClose(ws, code, reason);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.fanout.onClose(ws, 1011, "stream error");
  }

  private subscription(stream: StreamRequest): { frames: Frame[]; close: boolean } {
    const task = this.task({ agent: stream.agent, tenant: stream.tenant, owner: stream.owner }, stream.taskId);
    return openingFrames(this.storage, task, this.stored.kind === "task" ? this.stored.version : 0, stream.after);
  }

  async get(input: { scope: Scope; taskId: string; historyLength?: number | undefined }): Promise<Outcome<Task>> {
    return outcome(async () => viewTask(this.task(input.scope, input.taskId), { historyLength: input.historyLength }));
  }

  async cancel(input: { scope: Scope; taskId: string; metadata?: Record<string, unknown> | undefined }): Promise<Outcome<Task>> {
    return outcome(async () => {
      const task = this.task(input.scope, input.taskId);
      if (isTerminal(task.status.state)) {
        throw new A2AError("TaskNotCancelable", `Task ${task.id} is already ${task.status.state}`, {
          taskId: task.id,
          state: task.status.state,
        });
      }
      this.run?.controller.abort(new Error("canceled"));
      const canceled = new AbortController();
      canceled.abort();
      try {
        const executor = executorFor(input.scope.agent);
        await executor.cancel({ taskId: task.id, contextId: task.contextId }, this.updater(task.history![0]!, input.scope, canceled.signal), this.agentContext(input.scope));
      } catch (error) {
        console.warn(JSON.stringify({ at: "cancel", taskId: task.id, error: String(error) }));
      }
      if (!isTerminal(this.currentTask().status.state)) {
        this.commit({ kind: "status", status: { state: "TASK_STATE_CANCELED", timestamp: now() }, metadata: input.metadata }, input.scope);
      }
      return viewTask(this.currentTask());
    });
  }

  async createPushConfig(input: PushConfigRef & { config: Registration }): Promise<Outcome<TaskPushNotificationConfig>> {
    return outcome(async () => {
      const view = this.pushView(input);
      return this.push.register(input.config, this.stored.kind === "task" ? this.stored.version : 0, view);
    });
  }

  async getPushConfig(input: PushConfigRef & { id: string }): Promise<Outcome<TaskPushNotificationConfig>> {
    return outcome(async () => this.push.get(input.id, this.pushView(input)));
  }

  async listPushConfigs(
    input: PushConfigRef & { pageSize?: number | undefined; pageToken?: string | undefined },
  ): Promise<Outcome<ResultOf<"ListTaskPushNotificationConfigs">>> {
    return outcome(async () => this.push.list(this.pushView(input), input.pageSize, input.pageToken));
  }

  async deletePushConfig(input: PushConfigRef & { id: string }): Promise<Outcome<Record<string, never>>> {
    return outcome(async () => {
      this.pushView(input);
      this.push.delete(input.id);
      return {};
    });
  }

  /**
   * Whether the run started by `turnId` is still going (in memory, or recorded to resume), and whether Postgres
   * has everything this task committed: a conversation's next run waits for both (durable-objects/context-object.ts).
   */
  async turnState(turnId: string): Promise<TurnState> {
    const running = this.run?.messageId === turnId || this.storage.run()?.messageId === turnId;
    const pending = this.stored.kind === "empty" ? undefined : this.storage.pendingIndexWrite(this.stored);
    return { running, indexed: !pending || (!pending.task && pending.messages.length === 0) };
  }

  /** The one alarm serves every purpose that is due (durable-objects/alarms.ts). */
  override async alarm(): Promise<void> {
    await this.alarms.run({ index: () => this.indexer.write(), push: () => this.push.onAlarm(), run: async () => this.heartbeat() });
  }

  /** A message to a task that waits for input: it joins the history and the agent runs again. */
  private followUp(task: Task, request: SendMessageRequest, scope: Scope, caller: Caller): void {
    this.checkFollowUp(task, request);
    const userMessage: Message = { ...request.message, taskId: task.id, contextId: task.contextId };
    this.commit({ kind: "message", message: userMessage }, scope);
    if (task.status.state !== "TASK_STATE_WORKING") {
      this.commit({ kind: "status", status: { state: "TASK_STATE_WORKING", timestamp: now() } }, scope);
    }
    this.startRun(userMessage, { configuration: request.configuration, metadata: request.metadata }, scope, caller, false);
  }

  /** A follow-up is refused before anything is sent or written: terminal task, other context, busy run. */
  private checkFollowUp(task: Task, request: SendMessageRequest): void {
    const { message } = request;
    if (isTerminal(task.status.state)) {
      throw new A2AError(
        "UnsupportedOperation",
        `Task ${task.id} is ${task.status.state} and accepts no more messages; start a new task in context ${task.contextId}`,
        { taskId: task.id, state: task.status.state },
      );
    }
    if (message.contextId !== undefined && message.contextId !== task.contextId) {
      throw new A2AError("InvalidParams", `message.contextId does not match the context of task ${task.id}`, { taskId: task.id }, [
        { field: "message.contextId", description: `task ${task.id} belongs to context ${task.contextId}` },
      ]);
    }
    if (this.run) {
      throw new A2AError("UnsupportedOperation", `Task ${task.id} is still working; send follow-ups when it asks for input`, {
        taskId: task.id,
        state: task.status.state,
      });
    }
  }

  /** The first message of a task: its owner's stream tag is fixed before any event can be broadcast. */
  private startNewTask(input: SendInput, tag: string): void {
    this.tag = tag;
    const { request } = input;
    const contextId = request.message.contextId ?? crypto.randomUUID();
    const message = { ...request.message, taskId: input.taskId, contextId };
    // A resumable run needs a task to record itself in before it starts.
    if (executorFor(input.scope.agent).resumable) this.ensureTask(message, input.scope);
    this.startRun(message, { configuration: request.configuration, metadata: request.metadata }, input.scope, input.caller, false);
  }

  private agentContext(scope: Scope): AgentContext {
    return { env: this.env, agentId: scope.agent };
  }

  /**
   * Runs the agent for `message`. A resumable agent's run is recorded first (with the alarm that keeps the
   * object alive and brings it back after a restart), and the record goes when the run ends.
   */
  private startRun(message: Message, request: Pick<SendMessageRequest, "configuration" | "metadata">, scope: Scope, caller: Caller, resumed: boolean): void {
    const executor = executorFor(scope.agent);
    const run: Run = { controller: new AbortController(), messageId: message.messageId };
    this.run = run;
    if (executor.resumable) {
      if (!resumed) this.storage.setRun({ messageId: message.messageId, caller, startedAt: Date.now() });
      this.alarms.set("run", Date.now() + RUN_HEARTBEAT_MS);
    }
    const updater = this.updater(message, scope, run.controller.signal);
    const execution = {
      taskId: message.taskId!,
      contextId: message.contextId!,
      message,
      task: this.stored.kind === "task" ? this.stored.task : undefined,
      configuration: request.configuration,
      metadata: request.metadata,
      caller: { ...caller, owner: scope.owner, tenant: scope.tenant },
      resumed,
    };
    void (async () => {
      try {
        await executor.execute(execution, updater, this.agentContext(scope));
        this.concludeRun(message, scope, "The agent finished without reporting a final state.");
      } catch (error) {
        if (!run.controller.signal.aborted) {
          console.error(JSON.stringify({ at: "agent", taskId: message.taskId, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
          this.concludeRun(message, scope, `The agent failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      } finally {
        if (this.run === run) {
          this.run = undefined;
          if (executor.resumable) {
            this.storage.setRun(undefined);
            this.alarms.set("run", undefined);
          }
        }
        this.wake();
      }
    })();
  }

  /** A run that ends while its task is still active (or never created) fails the task rather than leaving it hanging. */
  private concludeRun(message: Message, scope: Scope, reason: string): void {
    if (this.stored.kind === "reply") return;
    if (this.stored.kind === "task" && !isActive(this.stored.task.status.state)) return;
    this.ensureTask(message, scope);
    this.commit({ kind: "status", status: { state: "TASK_STATE_FAILED", message: agentMessage(message, reason), timestamp: now() } }, scope);
  }

  /**
   * After an eviction or restart no run survives in memory. A resumable agent's recorded run starts again
   * (it resumes from what it committed); any other active task is failed rather than left working forever.
   */
  private recoverRun(): void {
    if (this.run || this.stored.kind !== "task") return;
    const { task, scope } = this.stored;
    const record = this.storage.run();
    if (record && executorFor(scope.agent).resumable) {
      const message = task.history?.find((m) => m.messageId === record.messageId);
      if (message && isActive(task.status.state)) {
        console.log(JSON.stringify({ at: "run-resume", taskId: task.id, messageId: record.messageId }));
        this.startRun(message, { configuration: undefined, metadata: undefined }, scope, record.caller, true);
        return;
      }
      this.storage.setRun(undefined);
    }
    if (!isActive(task.status.state)) return;
    const reason = "The agent's run was interrupted when the task's host restarted.";
    this.commit({ kind: "status", status: { state: "TASK_STATE_FAILED", message: agentMessage(task.history![0]!, reason), timestamp: now() } }, scope);
  }

  /** The run alarm: a live run only needs the next beat; a run lost to a restart is resumed. */
  private heartbeat(): void {
    if (this.run) this.alarms.set("run", Date.now() + RUN_HEARTBEAT_MS);
    else this.recoverRun();
  }

  private updater(message: Message, scope: Scope, signal: AbortSignal): TaskUpdater {
    const object = this;
    return {
      taskId: message.taskId!,
      contextId: message.contextId!,
      signal,
      status(state: TaskState, content?: string | Part[], options = {}) {
        object.ensureTask(message, scope);
        const status = { state, timestamp: now(), ...(content ? { message: agentMessage(message, content, options.messageMetadata) } : {}) };
        object.commit({ kind: "status", status, ...(options.eventMetadata ? { metadata: options.eventMetadata } : {}) }, scope);
      },
      artifact(artifact, options = {}) {
        object.ensureTask(message, scope);
        object.commit({ kind: "artifact", artifact, append: options.append, lastChunk: options.lastChunk }, scope);
      },
      metadata(patch) {
        object.ensureTask(message, scope);
        object.commit({ kind: "metadata", metadata: patch }, scope);
      },
      flushed: () => object.indexer.flushed(),
      reply(content) {
        if (object.stored.kind !== "empty") throw new Error("reply() must be the first and only event of a new task");
        const { taskId: _taskId, ...request } = message;
        const reply = { ...agentMessage(message, content) };
        delete reply.taskId;
        object.storage.init("reply", scope);
        object.storage.writeExchange(request, reply, Date.now());
        object.stored = { kind: "reply", scope, request, reply };
        object.fanout.broadcast(object.tag, { event: { message: reply } }, true);
        object.indexer.request();
        object.wake();
      },
      snapshot: () => (object.stored.kind === "task" ? object.stored.task : undefined),
    };
  }

  private ensureTask(message: Message, scope: Scope): void {
    if (this.stored.kind === "task") return;
    if (this.stored.kind === "reply") throw new Error("the agent already replied with a message; no task can follow");
    this.storage.init("task", scope);
    const task: Task = {
      id: message.taskId!,
      contextId: message.contextId!,
      status: { state: "TASK_STATE_SUBMITTED", timestamp: now() },
      history: [message],
    };
    this.commit({ kind: "created", task }, scope);
  }

  private commit(event: TaskEvent, scope: Scope): Task {
    const previous = this.stored.kind === "task" ? this.stored : undefined;
    const task = apply(previous?.task, event);
    const version = (previous?.version ?? 0) + 1;
    const messages =
      event.kind === "created"
        ? (task.history ?? [])
        : event.kind === "message"
          ? [event.message]
          : event.kind === "status" && event.status.message
            ? [event.status.message]
            : [];
    const streamed = toStreamResponse(task, event);
    const change = { messages, artifact: event.kind === "artifact" ? event.artifact : undefined, event: streamed };
    const at = Date.now();
    // One statement: all rows of the event land together or not at all, and memory changes only after SQLite accepted them.
    this.storage.write(task, version, change, at);
    this.stored = { kind: "task", scope, task, version };
    if (streamed) {
      // A stream ends after an event that leaves the task terminal or waiting for input (REFERENCE §5, §11.7).
      const ends = event.kind === "status" && !isActive(task.status.state);
      this.fanout.broadcast(this.tag, { seq: version, event: streamed }, ends);
    }
    // Webhooks read the same log: nothing a push config has yet to deliver is pruned.
    if (version % 64 === 0) this.storage.pruneEvents(at - EVENT_RETENTION_MS, this.push.neededAfter());
    this.indexer.request();
    this.push.afterCommit();
    this.wake();
    return task;
  }

  /** A write already due (or backing off) will pick up this change too. */
  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Blocking sends return at a terminal or interrupted state; `returnImmediately` at the first committed event. */
  private settled(returnImmediately: boolean): Promise<void> {
    const done = () => {
      if (this.stored.kind === "reply") return true;
      if (this.stored.kind === "task" && (returnImmediately || !isActive(this.stored.task.status.state))) return true;
      return this.run === undefined;
    };
    if (done()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!done()) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  private response(historyLength: number | undefined): SendMessageResponse {
    if (this.stored.kind === "reply") return { message: this.stored.reply };
    return { task: viewTask(this.currentTask(), { historyLength }) };
  }

  private task(scope: Scope, taskId: string): Task {
    if (this.stored.kind !== "task") throw new A2AError("TaskNotFound", `Task ${taskId} not found`, { taskId });
    this.checkScope(this.stored.scope, scope, taskId);
    return this.stored.task;
  }

  /** A webhook given with the message (REFERENCE §2.1) gets the events committed after `fromSeq`. */
  private registerInline(webhook: Registration | undefined, fromSeq: number, view: ConfigView, protocolVersion?: "0.3"): void {
    if (webhook && this.stored.kind !== "reply") this.push.register({ ...webhook, ...(protocolVersion ? { protocolVersion } : {}) }, fromSeq, view);
  }

  private pushView(ref: PushConfigRef): ConfigView {
    this.task(ref.scope, ref.taskId);
    return { taskId: ref.taskId, tenant: ref.scope.tenant };
  }

  private currentTask(): Task {
    if (this.stored.kind !== "task") throw new Error("no task");
    return this.stored.task;
  }

  /** Another caller's task is indistinguishable from a missing one (REFERENCE §8: do not reveal existence). */
  private checkScope(owner: Scope, caller: Scope, taskId: string): void {
    if (owner.tenant !== caller.tenant || owner.owner !== caller.owner) {
      throw new A2AError("TaskNotFound", `Task ${taskId} not found`, { taskId });
    }
  }
}

const now = () => new Date().toISOString();

const isActive = (state: TaskState) => !isTerminal(state) && !isInterrupted(state);

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
import { database } from "./db";
import type { AgentExecutor, TaskUpdater } from "./executor";
import { PushNotifications, type ConfigView, type Registration } from "./push/push-notifications";
import { apply, isInterrupted, isTerminal, toStreamResponse, viewTask, type TaskEvent } from "./reducer";
import { TaskStorage, type Scope, type Stored } from "./sql";
import { writeTaskIndex } from "./task-index";
import { retryDelayMs } from "./retry";

/** A result that crosses Durable Object RPC intact (error class identity does not). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: SerializedA2AError };

export interface SendInput {
  scope: Scope;
  /** The id this object lives under; for a new task the Worker minted it from the message. */
  taskId: string;
  /** True when the message named no task, so this object may create one. */
  isNew: boolean;
  request: SendMessageRequest;
}

/** Addresses one task's push configs; the scope is checked like every other task operation. */
export interface PushConfigRef {
  scope: Scope;
  taskId: string;
}

interface Run {
  controller: AbortController;
}

/**
 * One Durable Object per task: the single writer of its state. Every change goes through `commit`, which
 * reduces, writes SQLite synchronously, wakes waiters and schedules the Postgres index write, with no
 * `await` in between, so nothing can observe a half-applied event.
 */
export class TaskObject extends DurableObject<Env> {
  private readonly storage: TaskStorage;
  private readonly executor: AgentExecutor;
  private stored: Stored;
  private run: Run | undefined;
  private readonly waiters = new Set<() => void>();
  private readonly alarms: AlarmScheduler<"index" | "push">;
  private readonly push: PushNotifications;
  private indexAttempts = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.storage = new TaskStorage(ctx.storage.sql);
    this.executor = executorFor(env);
    this.stored = this.storage.load();
    this.alarms = new AlarmScheduler(ctx.storage, this.storage, ["index", "push"]);
    this.push = new PushNotifications({
      sql: ctx.storage.sql,
      env,
      task: () => (this.stored.kind === "task" ? { id: this.stored.task.id, seq: this.stored.version } : undefined),
      schedule: (at) => this.alarms.set("push", at),
    });
    this.failOrphanedRun();
  }

  async send(input: SendInput): Promise<Outcome<SendMessageResponse>> {
    return outcome(async () => {
      const { request, scope } = input;
      const returnImmediately = request.configuration?.returnImmediately ?? false;
      const webhook = request.configuration?.taskPushNotificationConfig;
      const current = this.stored;
      if (current.kind === "reply") {
        this.checkScope(current.scope, scope, input.taskId);
        if (current.request.messageId === request.message.messageId) return { message: current.reply };
        throw new A2AError("TaskNotFound", `Task ${input.taskId} not found`, { taskId: input.taskId });
      }
      if (current.kind === "task") {
        this.checkScope(current.scope, scope, input.taskId);
        const known = current.task.history?.some((m) => m.messageId === request.message.messageId);
        if (!known) {
          if (webhook) this.push.checkRoom(webhook.id, input.taskId);
          this.followUp(current.task, request, scope);
          this.registerInline(webhook, current.version, { taskId: input.taskId, tenant: scope.tenant });
        }
      } else {
        if (!input.isNew) throw new A2AError("TaskNotFound", `Task ${input.taskId} not found`, { taskId: input.taskId });
        const contextId = request.message.contextId ?? crypto.randomUUID();
        this.startRun({ ...request.message, taskId: input.taskId, contextId }, request, scope);
        this.registerInline(webhook, 0, { taskId: input.taskId, tenant: scope.tenant });
      }
      await this.settled(returnImmediately);
      return this.response(request.configuration?.historyLength);
    });
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
        await this.executor.cancel({ taskId: task.id, contextId: task.contextId }, this.updater(task.history![0]!, input.scope, canceled.signal));
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

  /** The one alarm serves every purpose that is due (durable-objects/alarms.ts). */
  override async alarm(): Promise<void> {
    await this.alarms.run({ index: () => this.writeIndex(), push: () => this.push.onAlarm() });
  }

  /** Retries the Postgres index write until it lands; the task keeps working from SQLite meanwhile. */
  private async writeIndex(): Promise<void> {
    const db = database(this.env);
    if (!db) return;
    const write = this.storage.pendingIndexWrite(this.stored);
    if (!write.task && write.messages.length === 0) return;
    try {
      await writeTaskIndex(db, write);
      this.storage.markIndexed(write);
      this.indexAttempts = 0;
      const rest = this.storage.pendingIndexWrite(this.stored);
      if (rest.task || rest.messages.length > 0) this.scheduleIndex();
    } catch (error) {
      this.indexAttempts += 1;
      const delay = retryDelayMs(this.indexAttempts);
      // drizzle's message repeats every parameter (user data); the cause says what went wrong.
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      console.warn(JSON.stringify({ at: "task-index", attempt: this.indexAttempts, retryInMs: delay, error: String(cause).slice(0, 300) }));
      this.alarms.set("index", Date.now() + delay);
    }
  }

  private followUp(task: Task, request: SendMessageRequest, scope: Scope): void {
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
    const userMessage: Message = { ...message, taskId: task.id, contextId: task.contextId };
    this.commit({ kind: "message", message: userMessage }, scope);
    if (task.status.state !== "TASK_STATE_WORKING") {
      this.commit({ kind: "status", status: { state: "TASK_STATE_WORKING", timestamp: now() } }, scope);
    }
    this.startRun(userMessage, request, scope);
  }

  private startRun(message: Message, request: SendMessageRequest, scope: Scope): void {
    const run: Run = { controller: new AbortController() };
    this.run = run;
    const updater = this.updater(message, scope, run.controller.signal);
    const execution = {
      taskId: message.taskId!,
      contextId: message.contextId!,
      message,
      task: this.stored.kind === "task" ? this.stored.task : undefined,
      configuration: request.configuration,
      metadata: request.metadata,
    };
    void (async () => {
      try {
        await this.executor.execute(execution, updater);
        this.concludeRun(message, scope, "The agent finished without reporting a final state.");
      } catch (error) {
        if (!run.controller.signal.aborted) {
          console.error(JSON.stringify({ at: "agent", taskId: message.taskId, error: String(error) }));
          this.concludeRun(message, scope, `The agent failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      } finally {
        if (this.run === run) this.run = undefined;
        this.wake();
      }
    })();
  }

  /** A run that ends while its task is still active (or never created) fails the task rather than leaving it hanging. */
  private concludeRun(message: Message, scope: Scope, reason: string): void {
    if (this.stored.kind === "reply") return;
    if (this.stored.kind === "task" && !isActive(this.stored.task.status.state)) return;
    this.ensureTask(message, scope);
    this.commit({ kind: "status", status: { state: "TASK_STATE_FAILED", message: this.agentMessage(message, reason), timestamp: now() } }, scope);
  }

  /** After an eviction or restart no run survives: an active task left behind is failed, not left working forever. */
  private failOrphanedRun(): void {
    if (this.stored.kind !== "task" || !isActive(this.stored.task.status.state)) return;
    const { task, scope } = this.stored;
    const reason = "The agent's run was interrupted when the task's host restarted.";
    this.commit({ kind: "status", status: { state: "TASK_STATE_FAILED", message: this.agentMessage(task.history![0]!, reason), timestamp: now() } }, scope);
  }

  private updater(message: Message, scope: Scope, signal: AbortSignal): TaskUpdater {
    const object = this;
    return {
      taskId: message.taskId!,
      contextId: message.contextId!,
      signal,
      status(state: TaskState, content?: string | Part[]) {
        object.ensureTask(message, scope);
        const status = { state, timestamp: now(), ...(content ? { message: object.agentMessage(message, content) } : {}) };
        object.commit({ kind: "status", status }, scope);
      },
      artifact(artifact, options = {}) {
        object.ensureTask(message, scope);
        object.commit({ kind: "artifact", artifact, append: options.append, lastChunk: options.lastChunk }, scope);
      },
      reply(content) {
        if (object.stored.kind !== "empty") throw new Error("reply() must be the first and only event of a new task");
        const { taskId: _taskId, ...request } = message;
        const reply = { ...object.agentMessage(message, content) };
        delete reply.taskId;
        object.storage.init("reply", scope, { request: JSON.stringify(request), reply: JSON.stringify(reply) });
        object.storage.writeExchange([request, reply], Date.now());
        object.stored = { kind: "reply", scope, request, reply };
        object.scheduleIndex();
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
    const change = { messages, artifact: event.kind === "artifact" ? event.artifact : undefined, event: toStreamResponse(task, event) };
    // All rows of one event land together or not at all; memory changes only after SQLite accepted them.
    this.ctx.storage.transactionSync(() => this.storage.write(task, version, change, Date.now()));
    this.stored = { kind: "task", scope, task, version };
    this.scheduleIndex();
    this.push.afterCommit();
    this.wake();
    return task;
  }

  /** A write already due (or backing off) will pick up this change too. */
  private scheduleIndex(): void {
    if (!this.env.DATABASE_URL || this.alarms.due("index") !== undefined) return;
    this.alarms.set("index", Date.now());
  }

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
  private registerInline(webhook: Registration | undefined, fromSeq: number, view: ConfigView): void {
    if (webhook && this.stored.kind !== "reply") this.push.register(webhook, fromSeq, view);
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

  private agentMessage(about: Message, content: string | Part[]): Message {
    return {
      messageId: crypto.randomUUID(),
      role: "ROLE_AGENT",
      parts: typeof content === "string" ? [{ text: content }] : content,
      taskId: about.taskId,
      contextId: about.contextId,
    };
  }
}

const now = () => new Date().toISOString();
const isActive = (state: TaskState) => !isTerminal(state) && !isInterrupted(state);

async function outcome<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof A2AError) return { ok: false, error: error.toJSON() };
    throw error;
  }
}

import type { Registration } from "../durable-objects/push/push-notifications";
import type { Outcome, PushConfigRef, SendInput } from "../durable-objects/protocol";
import type { TaskObject } from "../durable-objects/task-object";
import type { Scope } from "../durable-objects/sql";
import {
  A2AError,
  type ResultOf,
  type SendMessageResponse,
  type SerializedA2AError,
  type Task,
  type TaskPushNotificationConfig,
} from "../schema/a2a";

/**
 * The task object's RPC surface as the Worker calls it. Spelled out because the inferred `Rpc.Result` types
 * of zod-derived values are too deep for the compiler; `satisfies` below keeps it in step with the class.
 */
export interface TaskObjectApi {
  send(input: SendInput): Promise<Outcome<SendMessageResponse>>;
  sendStreaming(input: SendInput & { streamId: string }): Promise<Outcome<null>>;
  get(input: { scope: Scope; taskId: string; historyLength?: number | undefined }): Promise<Outcome<Task>>;
  cancel(input: { scope: Scope; taskId: string; metadata?: Record<string, unknown> | undefined }): Promise<Outcome<Task>>;
  createPushConfig(input: PushConfigRef & { config: Registration }): Promise<Outcome<TaskPushNotificationConfig>>;
  getPushConfig(input: PushConfigRef & { id: string }): Promise<Outcome<TaskPushNotificationConfig>>;
  listPushConfigs(
    input: PushConfigRef & { pageSize?: number | undefined; pageToken?: string | undefined },
  ): Promise<Outcome<ResultOf<"ListTaskPushNotificationConfigs">>>;
  deletePushConfig(input: PushConfigRef & { id: string }): Promise<Outcome<Record<string, never>>>;
}
type _InSync = Pick<TaskObject, keyof TaskObjectApi> extends TaskObjectApi ? true : never;
const _inSync: _InSync = true;
void _inSync;

/** The only code that knows the task namespace: a task id names its Durable Object. */
export function taskStub(env: Env, taskId: string): DurableObjectStub {
  return env.TASKS.get(env.TASKS.idFromName(taskId));
}

export function taskObject(env: Env, taskId: string): TaskObjectApi {
  return taskStub(env, taskId) as unknown as TaskObjectApi;
}

/** Times an idempotent call is tried when the task's object was reset under it. */
const RESET_ATTEMPTS = 3;

/**
 * An idempotent call to a task's object that survives the object's restart (a deploy, an eviction): the
 * runtime marks such a failure `retryable`, and a fresh stub reaches the restarted object. A blocking
 * SendMessage re-sent this way finds its own messageId and waits for the run, which resumed.
 */
export async function withRestarts<T>(env: Env, taskId: string, work: (api: TaskObjectApi) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work(taskObject(env, taskId));
    } catch (error) {
      const retryable = (error as { retryable?: boolean; overloaded?: boolean } | null)?.retryable === true && !(error as { overloaded?: boolean }).overloaded;
      if (!retryable || attempt >= RESET_ATTEMPTS) throw error;
      console.warn(JSON.stringify({ at: "task-object-reset", taskId, attempt, error: String(error).slice(0, 200) }));
    }
  }
}

/**
 * A new task's id, derived from who sent the message and its `messageId`: a re-sent message reaches the same
 * object, which answers with the task it already created instead of starting a second one.
 */
export async function mintTaskId(scope: Scope, messageId: string): Promise<string> {
  const input = new TextEncoder().encode(`${scope.agent}\u0000${scope.tenant}\u0000${scope.owner}\u0000${messageId}`);
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", input)).slice(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80; // UUID version 8 (custom)
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Unwraps a task object's answer, re-raising its A2A error on this side of the RPC boundary. */
export function unwrap<T>(outcome: { ok: true; value: T } | { ok: false; error: SerializedA2AError }): T {
  if (outcome.ok) return outcome.value;
  throw A2AError.from(outcome.error);
}

export type { SendInput, Scope };

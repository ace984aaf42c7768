import { toV03WebhookBody, V03_WEBHOOK_CONTENT_TYPE } from "../../schema/v03/events";
import type { StreamResponse } from "../../schema/a2a";
import { loadSigningKeys } from "../signing-keys";
import { allowListOf } from "./allow-list";
import type { PushConfigRow, PushConfigStore } from "./config-store";
import { notificationHeaders } from "./headers";
import { ATTEMPT_TIMEOUT_MS, postNotification, type AttemptResult } from "./post";
import { nextDelayMs, RETRY_WINDOW_MS } from "./retry-policy";
import { checkWebhookUrl } from "./url-guard";

export interface PushEnv {
  PUSH_ALLOWED_URLS?: string;
  SIGNING_KEYS?: string;
  PUBLIC_URL?: string;
}

export interface DeliveryDeps {
  sql: SqlStorage;
  store: PushConfigStore;
  /** The task's event log (durable-objects/sql.ts): the first StreamResponse committed after `seq`, as stored. */
  nextEvent: (seq: number) => LoggedEvent | undefined;
  env: PushEnv;
  /** The task's id and the seq (version) of its latest commit; undefined while there is no task. */
  task: () => { id: string; seq: number } | undefined;
  /** When push delivery next needs the object's alarm; undefined for never. */
  schedule: (at: number | undefined) => void;
}

/**
 * While a delivery runs in memory the alarm stays set this far ahead, so that an instance evicted
 * mid-request is woken again and resumes from the cursor. An alarm that fires while the delivery is still
 * running just waits for it.
 */
const LEASE_MS = ATTEMPT_TIMEOUT_MS + 5_000;

interface Flight {
  controller: AbortController;
  leaseUntil: number;
  done: Promise<void>;
}

interface LoggedEvent {
  seq: number;
  body: string;
}

/**
 * Delivers each config's outbox (the task's events after its cursor) one event at a time, in seq order,
 * at least once: the cursor moves only when the receiver answered 2xx. A failure holds back the events
 * behind it and is retried from the alarm with backoff, so order survives outages, eviction and restart.
 */
export class PushDelivery {
  private readonly flights = new Map<string, Flight>();

  constructor(private readonly deps: DeliveryDeps) {}

  /** Starts delivering to every config that has events waiting and is not backing off. */
  kick(): void {
    if (this.deps.store.isEmpty()) return;
    const task = this.deps.task();
    const now = Date.now();
    for (const row of this.deps.store.all()) {
      if (task && isPending(row, task.seq) && row.nextAt <= now && !this.flights.has(row.config.id)) this.start(row.config.id);
    }
    this.reschedule();
  }

  /** Aborts the request in flight for a config being deleted or replaced. */
  stop(id: string): void {
    this.flights.get(id)?.controller.abort();
  }

  /** Resolves when the deliveries running now have finished (the alarm handler waits for them). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.flights.values()].map((flight) => flight.done));
  }

  /** Keeps the push alarm at the earliest moment any config needs attention. */
  reschedule(): void {
    const task = this.deps.task();
    let due: number | undefined;
    for (const row of task ? this.deps.store.all() : []) {
      if (!isPending(row, task!.seq)) continue;
      const at = this.flights.get(row.config.id)?.leaseUntil ?? row.nextAt;
      due = due === undefined ? at : Math.min(due, at);
    }
    this.deps.schedule(due);
  }

  private start(id: string): void {
    const controller = new AbortController();
    const flight: Flight = { controller, leaseUntil: Date.now() + LEASE_MS, done: Promise.resolve() };
    this.flights.set(id, flight);
    flight.done = this.drain(id, controller.signal)
      .catch((error) => console.error(JSON.stringify({ at: "push", configId: id, error: String(error).slice(0, 300) })))
      .finally(() => {
        if (this.flights.get(id) === flight) this.flights.delete(id);
        // A config replaced mid-request starts over at once, with its new target.
        if (controller.signal.aborted) this.kick();
        else this.reschedule();
      });
  }

  private async drain(id: string, signal: AbortSignal): Promise<void> {
    for (;;) {
      const task = this.deps.task();
      const row = this.deps.store.get(id);
      if (signal.aborted || !task || !row || !isPending(row, task.seq) || row.nextAt > Date.now()) return;
      const event = this.deps.nextEvent(row.cursor);
      // Only user messages (never streamed back) were committed since the cursor: nothing to send.
      if (!event) return this.deps.store.delivered(id, task.seq);
      const result = await this.attempt(row, task.id, event, signal);
      if (result.kind === "aborted" || signal.aborted || !this.deps.store.get(id)) return;
      this.record(row, task.id, event.seq, result);
      if (result.kind !== "delivered") return;
    }
  }

  private async attempt(row: PushConfigRow, taskId: string, event: LoggedEvent, signal: AbortSignal): Promise<AttemptResult> {
    // Again at delivery: the allow-list may have changed since the config was registered.
    const target = checkWebhookUrl(row.config.url, allowListOf(this.deps.env));
    if (!target.ok) return { kind: "refused", reason: target.reason };
    // The log holds v1.0 StreamResponses; a v0.3 client's webhook gets the event in its own shape.
    const v03 = row.config.protocolVersion === "0.3";
    const body = v03 ? JSON.stringify(toV03WebhookBody(JSON.parse(event.body) as StreamResponse)) : event.body;
    const contentType = v03 ? V03_WEBHOOK_CONTENT_TYPE : "application/a2a+json";
    let headers: Record<string, string>;
    try {
      const [signingKey] = await loadSigningKeys(this.deps.env);
      const eventId = `${taskId}/${event.seq}`;
      headers = await notificationHeaders({ config: row.config, eventId, body, signingKey, issuer: this.deps.env.PUBLIC_URL, contentType });
    } catch (error) {
      return { kind: "retry", reason: `cannot sign: ${String(error).slice(0, 200)}` };
    }
    if (signal.aborted) return { kind: "aborted" };
    return postNotification({ url: target.url, body, headers, signal });
  }

  private record(row: PushConfigRow, taskId: string, seq: number, result: Exclude<AttemptResult, { kind: "aborted" }>): void {
    const { store } = this.deps;
    const id = row.config.id;
    if (result.kind === "delivered") return store.delivered(id, seq);
    const log = { at: "push", taskId, configId: id, seq, error: result.reason };
    if (result.kind === "refused") {
      store.park(id, `event ${seq}: ${result.reason}`);
      return console.warn(JSON.stringify({ ...log, parked: true }));
    }
    const now = Date.now();
    const failingSince = row.failingSince ?? now;
    if (now - failingSince >= RETRY_WINDOW_MS) {
      store.park(id, `event ${seq}: gave up after ${RETRY_WINDOW_MS / 3_600_000} h of failures, last ${result.reason}`);
      return console.warn(JSON.stringify({ ...log, parked: true }));
    }
    const attempts = row.attempts + 1;
    const delay = nextDelayMs(attempts, result.retryAfterMs);
    store.failed(id, { attempts, nextAt: now + delay, failingSince, error: result.reason });
    console.warn(JSON.stringify({ ...log, attempt: attempts, retryInMs: delay }));
  }
}

const isPending = (row: PushConfigRow, latestSeq: number) => row.parked === null && row.cursor < latestSeq;

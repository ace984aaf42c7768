import { A2AError, type ResultOf, type TaskPushNotificationConfig } from "../../schema/a2a";
import { PushConfigStore, type StoredConfig } from "./config-store";
import { PushDelivery, type DeliveryDeps } from "./delivery";

/** Enough for any real client; a bound so one task cannot fan a single event out without limit. */
export const MAX_CONFIGS_PER_TASK = 16;
const DEFAULT_PAGE_SIZE = 50;

export type Registration = Pick<TaskPushNotificationConfig, "id" | "url" | "token" | "authentication"> & { protocolVersion?: "0.3" };
type ListResult = ResultOf<"ListTaskPushNotificationConfigs">;

/** Whose config a wire object describes: the task and tenant are the object's, never stored per config. */
export interface ConfigView {
  taskId: string;
  tenant: string;
}

/**
 * A task's webhooks (REFERENCE §6): the configs, stored with the task and scoped like it (the task object
 * checks the caller before any of these run), and their durable delivery.
 */
export class PushNotifications {
  private readonly store: PushConfigStore;
  private readonly delivery: PushDelivery;

  /** `stored`: whether this object has registered a webhook before (its table exists). */
  constructor(deps: Omit<DeliveryDeps, "store">, stored: boolean) {
    this.store = new PushConfigStore(deps.sql, stored);
    this.delivery = new PushDelivery({ ...deps, store: this.store });
  }

  /**
   * Adds a webhook, or replaces the one with the same id (a2a-js does the same). Events committed after
   * `fromSeq` go to it. A replaced config keeps its cursor and restarts delivery: re-registering a config
   * that was parked resumes it from the event it stopped at.
   */
  register(registration: Registration, fromSeq: number, view: ConfigView): TaskPushNotificationConfig {
    // v0.3 has a task's default config, found by `get` without a config id: it is the one named after the task.
    const id = registration.id || (registration.protocolVersion === "0.3" ? view.taskId : crypto.randomUUID());
    this.checkRoom(id, view.taskId);
    const { url, token, authentication, protocolVersion } = registration;
    const config: StoredConfig = {
      id,
      url,
      ...(token !== undefined ? { token } : {}),
      ...(authentication ? { authentication } : {}),
      ...(protocolVersion ? { protocolVersion } : {}),
    };
    this.delivery.stop(id);
    this.store.upsert(config, fromSeq);
    this.delivery.kick();
    return toWire(config, view);
  }

  /** Refuses a new config beyond the limit; replacing an existing one is always allowed. */
  checkRoom(id: string | undefined, taskId: string): void {
    if ((id && this.store.get(id)) || this.store.size() < MAX_CONFIGS_PER_TASK) return;
    throw new A2AError("InvalidParams", `A task keeps at most ${MAX_CONFIGS_PER_TASK} push notification configs; delete one first`, { taskId }, [
      { field: "id", description: `task ${taskId} already has ${MAX_CONFIGS_PER_TASK} configs` },
    ]);
  }

  get(id: string, view: ConfigView): TaskPushNotificationConfig {
    const row = this.store.get(id);
    // The SDKs answer TaskNotFound too: the config is a resource under the task.
    if (!row) throw new A2AError("TaskNotFound", `Push notification config ${id} not found for task ${view.taskId}`, { taskId: view.taskId, configId: id });
    return toWire(row.config, view);
  }

  list(view: ConfigView, pageSize: number | undefined, pageToken: string | undefined): ListResult {
    const size = pageSize || DEFAULT_PAGE_SIZE;
    const rows = this.store.page(positionOf(pageToken), size + 1);
    const page = rows.slice(0, size);
    const more = rows.length > size;
    return { configs: page.map((row) => toWire(row.config, view)), nextPageToken: more ? tokenOf(page.at(-1)!.position) : "" };
  }

  /** Idempotent; nothing is sent to the config after this returns (a request in flight is aborted). */
  delete(id: string): void {
    this.delivery.stop(id);
    this.store.delete(id);
    this.delivery.reschedule();
  }

  /** Called by every commit: new events may be waiting. */
  /** Events after this sequence number may still be delivered (or, for a parked config, resumed). */
  neededAfter(): number | undefined {
    return this.store.lowestCursor();
  }

  afterCommit(): void {
    this.delivery.kick();
  }

  /** The alarm's turn: resume whatever is due (after eviction, backoff or a lease running out) and wait. */
  async onAlarm(): Promise<void> {
    this.delivery.kick();
    await this.delivery.settle();
  }
}

function toWire(config: StoredConfig, view: ConfigView): TaskPushNotificationConfig {
  const { protocolVersion: _version, ...wire } = config;
  return { ...(view.tenant ? { tenant: view.tenant } : {}), ...wire, taskId: view.taskId };
}

const tokenOf = (position: number) => btoa(`push-configs:${position}`).replace(/=+$/, "");

function positionOf(token: string | undefined): number {
  if (!token) return 0;
  let decoded = "";
  try {
    decoded = atob(token);
  } catch {
    // falls through to the error below
  }
  const match = /^push-configs:(\d{1,15})$/.exec(decoded);
  if (!match) throw new A2AError("InvalidParams", "pageToken is not a token this server issued", {}, [{ field: "pageToken", description: "unknown page token" }]);
  return Number(match[1]);
}

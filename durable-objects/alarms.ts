/** Where due times are kept so that an evicted object still knows what its alarm was for (TaskStorage fits). */
export interface DueTimeStore {
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
}

type AlarmStorage = Pick<DurableObjectStorage, "setAlarm" | "deleteAlarm">;

/** A purpose whose handler threw gets another turn this much later, so one bug cannot spin the alarm. */
const AFTER_CRASH_MS = 30_000;

const keyOf = (purpose: string) => `alarm_due:${purpose}`;

/**
 * A Durable Object has a single alarm, and several jobs need it (the Postgres index retry, webhook
 * delivery). Each purpose records its next due time here; the object's alarm is kept at the earliest one,
 * and `run` (called from `alarm()`) runs every purpose that is due. Due times live in SQLite beside the
 * task, so they survive eviction and restart together with the work they stand for.
 *
 * @example
 * const alarms = new AlarmScheduler(ctx.storage, taskStorage, ["index", "push"]);
 * alarms.set("push", Date.now() + 1000);
 * // in alarm(): await alarms.run({ index: () => writeIndex(), push: () => deliver() });
 */
export class AlarmScheduler<P extends string> {
  private dues: Map<P, number> | undefined;
  /** The alarm as last set by this instance: `null` none, `undefined` not known (fresh after eviction). */
  private armed: number | null | undefined;

  constructor(
    private readonly storage: AlarmStorage,
    private readonly store: DueTimeStore,
    private readonly purposes: readonly P[],
  ) {}

  due(purpose: P): number | undefined {
    return this.load().get(purpose);
  }

  /** Records (or with `undefined` clears) when `purpose` wants to run next, and re-arms the alarm. */
  set(purpose: P, at: number | undefined): void {
    if (this.write(purpose, at)) this.arm();
  }

  /** Runs each purpose that is due, after clearing its due time: a handler that wants another turn sets one. */
  async run(handlers: Record<P, () => Promise<void>>, now = Date.now()): Promise<void> {
    this.armed = null; // the alarm that woke us is spent
    const due = this.purposes.filter((purpose) => (this.due(purpose) ?? Infinity) <= now);
    for (const purpose of due) this.write(purpose, undefined);
    const results = await Promise.allSettled(due.map((purpose) => handlers[purpose]()));
    results.forEach((result, i) => {
      if (result.status === "fulfilled") return;
      const purpose = due[i]!;
      console.error(JSON.stringify({ at: "alarm", purpose, error: String(result.reason).slice(0, 300) }));
      if (this.due(purpose) === undefined) this.write(purpose, Date.now() + AFTER_CRASH_MS);
    });
    this.arm();
  }

  private load(): Map<P, number> {
    if (this.dues) return this.dues;
    this.dues = new Map();
    for (const purpose of this.purposes) {
      const value = Number(this.store.getMeta(keyOf(purpose)) || NaN);
      if (Number.isFinite(value)) this.dues.set(purpose, value);
    }
    return this.dues;
  }

  /** Returns whether anything changed; unchanged due times cost no write. */
  private write(purpose: P, at: number | undefined): boolean {
    const dues = this.load();
    if (dues.get(purpose) === at) return false;
    if (at === undefined) dues.delete(purpose);
    else dues.set(purpose, at);
    this.store.setMeta(keyOf(purpose), at === undefined ? "" : String(at));
    return true;
  }

  private arm(): void {
    let earliest: number | null = null;
    for (const at of this.load().values()) earliest = earliest === null ? at : Math.min(earliest, at);
    if (earliest === this.armed) return;
    this.armed = earliest;
    // Storage calls are ordered and land with the SQLite writes above; nothing here needs to wait for them.
    // A due time in the past (0 = "as soon as possible") fires at once; setAlarm refuses times <= 0.
    void (earliest === null ? this.storage.deleteAlarm() : this.storage.setAlarm(Math.max(earliest, Date.now())));
  }
}

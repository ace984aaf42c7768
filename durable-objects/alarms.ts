type AlarmStorage = Pick<DurableObjectStorage, "setAlarm" | "deleteAlarm">;

/** A purpose whose handler threw gets another turn this much later, so one bug cannot spin the alarm. */
const AFTER_CRASH_MS = 30_000;

/**
 * A Durable Object has a single alarm, and several jobs need it (the Postgres index retry, webhook
 * delivery). Each purpose says when it wants to run next; the object's alarm is kept at the earliest of
 * those, and `run` (called from `alarm()`) runs every purpose that is due.
 *
 * Due times live in memory only: the alarm itself is durable, and every purpose keeps its own work in
 * SQLite (unacknowledged index writes, push cursors and retry times). So after a restart, when the due
 * times are gone, the first alarm gives every purpose a turn, and each one finds its work and asks for its
 * next time again. (Writing the due times down cost two SQLite writes per task for nothing else.)
 *
 * @example
 * const alarms = new AlarmScheduler(ctx.storage, ["index", "push"], { resumed: true });
 * alarms.set("push", Date.now() + 1000);
 * // in alarm(): await alarms.run({ index: () => writeIndex(), push: () => deliver() });
 */
export class AlarmScheduler<P extends string> {
  private readonly dues = new Map<P, number>();
  /** Set while due times from before a restart may be missing: the next alarm then runs every purpose. */
  private resumed: boolean;
  /** The alarm as last set by this instance: `null` none, `undefined` not known (fresh after a restart). */
  private armed: number | null | undefined;

  /** `resumed`: the object has stored state, so an alarm may have been set by an earlier instance. */
  constructor(
    private readonly storage: AlarmStorage,
    private readonly purposes: readonly P[],
    { resumed }: { resumed: boolean },
  ) {
    this.resumed = resumed;
    if (!resumed) this.armed = null;
  }

  due(purpose: P): number | undefined {
    return this.dues.get(purpose);
  }

  /** Records (or with `undefined` clears) when `purpose` wants to run next, and re-arms the alarm. */
  set(purpose: P, at: number | undefined): void {
    if (this.write(purpose, at)) this.arm();
  }

  /**
   * Runs each purpose that is due (after a restart: every purpose), after clearing its due time: a handler
   * that wants another turn sets one.
   */
  async run(handlers: Record<P, () => Promise<void>>, now = Date.now()): Promise<void> {
    this.armed = null; // the alarm that woke us is spent
    const due = this.resumed ? [...this.purposes] : this.purposes.filter((purpose) => (this.due(purpose) ?? Infinity) <= now);
    this.resumed = false;
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

  /** Returns whether anything changed. */
  private write(purpose: P, at: number | undefined): boolean {
    if (this.dues.get(purpose) === at) return false;
    if (at === undefined) this.dues.delete(purpose);
    else this.dues.set(purpose, at);
    return true;
  }

  private arm(): void {
    if (this.resumed) {
      // Until the first alarm after a restart has run, the stored alarm may be due for a purpose this instance
      // has not heard from: never drop it or move it later. Let it fire now; that turn runs every purpose.
      if (this.armed === undefined) {
        this.armed = 0;
        void this.storage.setAlarm(Date.now());
      }
      return;
    }
    let earliest: number | null = null;
    for (const at of this.dues.values()) earliest = earliest === null ? at : Math.min(earliest, at);
    if (earliest === this.armed) return;
    this.armed = earliest;
    // Storage calls are ordered and land with the SQLite writes above; nothing here needs to wait for them.
    // A due time in the past (0 = "as soon as possible") fires at once; setAlarm refuses times <= 0.
    void (earliest === null ? this.storage.deleteAlarm() : this.storage.setAlarm(Math.max(earliest, Date.now())));
  }
}

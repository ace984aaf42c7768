import { DurableObject } from "cloudflare:workers";

/** How long a turn waits for the one before it before giving up (a stuck turn, a long Postgres outage). */
export const TURN_WAIT_MS = 120_000;
/** While a turn waits, the one ahead is asked this often whether it is still running. */
const HOLDER_CHECK_MS = 5_000;

/** What a task object says about one of its runs when the context asks (see TaskObject.turnState). */
export interface TurnState {
  /** That run is in progress, or recorded to resume. */
  running: boolean;
  /** Postgres has everything the task committed. */
  indexed: boolean;
}

/** `earlier`: whether turns of other tasks came before, whose messages the run must read from Postgres. */
export type Entered = { earlier: boolean } | { refused: string };

/**
 * One per conversation (agent, tenant, owner, contextId): it orders the conversation's runs. A run enters
 * before it reads the history and leaves once Postgres has everything it committed, so the next run, which
 * waited, reads the whole conversation in one Postgres query, including a task that ended a millisecond ago.
 * Two messages sent at once are served in the order they arrived here. The order is kept in SQLite; a turn
 * whose task object died without leaving is found out by asking that object, so it cannot block the rest.
 */
export class ContextObject extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private readonly waiters = new Set<() => void>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS turns (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, turn_id TEXT NOT NULL UNIQUE, task_id TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0, at INTEGER NOT NULL)`);
  }

  /**
   * Resolves when every turn that entered before this one has left. A turn is a run, named by the user message
   * that started it: a run resumed after a restart keeps its place in line, a follow-up message queues anew.
   */
  async enter(taskId: string, turnId: string): Promise<Entered> {
    this.sql.exec("INSERT INTO turns (turn_id, task_id, at) VALUES (?, ?, ?) ON CONFLICT (turn_id) DO NOTHING", turnId, taskId, Date.now());
    const deadline = Date.now() + TURN_WAIT_MS;
    for (;;) {
      const ahead = this.ahead(turnId);
      if (!ahead) break;
      if (Date.now() > deadline) {
        return { refused: `The conversation's previous run (task ${ahead.taskId}) has not finished storing its messages after ${TURN_WAIT_MS / 1000} s; send the message again later.` };
      }
      if (await this.waitOrCheck(ahead)) this.markDone(ahead.turnId);
    }
    const earlier = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM turns WHERE done = 1 AND task_id != ?", taskId).one().n > 0;
    return { earlier };
  }

  /** The run is over and Postgres has its messages: the next turn may go. */
  async leave(turnId: string): Promise<void> {
    this.markDone(turnId);
  }

  private ahead(turnId: string): { turnId: string; taskId: string } | undefined {
    const row = this.sql
      .exec<{ turn_id: string; task_id: string }>(
        "SELECT turn_id, task_id FROM turns WHERE done = 0 AND seq < (SELECT seq FROM turns WHERE turn_id = ?) ORDER BY seq LIMIT 1",
        turnId,
      )
      .toArray()[0];
    return row && { turnId: row.turn_id, taskId: row.task_id };
  }

  private markDone(turnId: string): void {
    this.sql.exec("UPDATE turns SET done = 1 WHERE turn_id = ?", turnId);
    for (const wake of [...this.waiters]) wake();
  }

  /**
   * Waits for a leave, or after a while asks the turn ahead whether it is still running: one that is neither
   * running nor holding unindexed messages (its object restarted after the run ended) counts as done.
   */
  private async waitOrCheck(holder: { turnId: string; taskId: string }): Promise<boolean> {
    const woken = await new Promise<boolean>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        resolve(false);
      }, HOLDER_CHECK_MS);
      this.waiters.add(wake);
    });
    if (woken) return false;
    try {
      const stub = this.env.TASKS.get(this.env.TASKS.idFromName(holder.taskId)) as unknown as { turnState(turnId: string): Promise<TurnState> };
      const state = await stub.turnState(holder.turnId);
      return !state.running && state.indexed;
    } catch (error) {
      console.warn(JSON.stringify({ at: "context-turn", holder: holder.taskId, error: String(error).slice(0, 200) }));
      return false;
    }
  }
}

import { and, asc, eq, isNull, ne, or } from "drizzle-orm";
import type { Message } from "../../../schema/a2a";
import { messages } from "../../../schema/db/tables";
import { database } from "../../db";
import type { Scope } from "../../sql";

/** Attempts at the history read before the run fails saying so (a Postgres outage must not look like an empty past). */
const ATTEMPTS = 4;
const FIRST_DELAY_MS = 250;

export class HistoryUnavailable extends Error {
  override name = "HistoryUnavailable";
}

/**
 * Every message of the conversation except this task's own (which the task object holds): user and agent,
 * tool calls and results, in the order they were committed. One query, so one round trip over Neon's HTTP
 * driver. A failure is retried with backoff, then reported; it never passes for an empty history.
 */
export async function readContextHistory(env: Env, scope: Scope, contextId: string, taskId: string, signal?: AbortSignal): Promise<Message[]> {
  const db = database(env);
  if (!db) return [];
  const query = () =>
    db
      .select({ message: messages.message })
      .from(messages)
      .where(
        and(
          eq(messages.agent, scope.agent),
          eq(messages.tenant, scope.tenant),
          eq(messages.owner, scope.owner),
          eq(messages.contextId, contextId),
          or(isNull(messages.taskId), ne(messages.taskId, taskId)),
        ),
      )
      .orderBy(asc(messages.committedAt), asc(messages.seq));
  let lastError: unknown;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    try {
      const rows = await query();
      return rows.map((row) => row.message as Message);
    } catch (error) {
      lastError = error;
      console.warn(JSON.stringify({ at: "context-history", attempt, error: String(error).slice(0, 200) }));
      if (attempt < ATTEMPTS) await sleep(FIRST_DELAY_MS * 2 ** (attempt - 1) * (0.8 + Math.random() * 0.4), signal);
    }
  }
  throw new HistoryUnavailable(`The conversation's history could not be read from the database (${String(lastError).slice(0, 160)})`);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

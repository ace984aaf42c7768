import type { SQL } from "drizzle-orm";
import type { Database } from "../../db";

export type Rows = Array<Record<string, any>>;

/** Runs one statement and returns its rows (column names as SQL spells them). */
export async function rowsOf(db: Database, query: SQL): Promise<Rows> {
  const result = (await db.execute(query)) as unknown as { rows: Rows };
  return result.rows;
}

/**
 * Postgres text timestamps ("2026-12-08 10:00:00+00", as the Neon driver returns them under drizzle) as ISO 8601.
 * Dates and already-ISO strings pass through.
 */
export function iso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  const text = String(value);
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2})(?::?(\d{2}))?$/.exec(text);
  return m ? new Date(`${m[1]}T${m[2]}${m[3]}:${m[4] ?? "00"}`).toISOString() : new Date(text).toISOString();
}

/** A key for a write without one (a direct call): writes are still recorded with a key, just never replayed. */
export const keyOf = (key: string | undefined) => key ?? `direct:${crypto.randomUUID()}`;

export const newId = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

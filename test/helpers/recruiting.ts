import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { database } from "../../durable-objects/db";
import type { ActionContext } from "../../durable-objects/agents/recruiting/actions";
import { postgresActions } from "../../durable-objects/agents/recruiting/postgres-actions";
import { seedRecruiting } from "../../durable-objects/agents/recruiting/seed";

export const db = () => database(env)!;
export const actions = () => postgresActions(db());

/** A tenant of its own with the whole recruiting demo: tests change data without seeing each other's changes. */
export async function seededTenant(): Promise<string> {
  const tenant = `t-${crypto.randomUUID().slice(0, 8)}`;
  const client = db().$client;
  await seedRecruiting((text, params) => client.query(text, params), { tenant });
  return tenant;
}

/** An action context: who acts (role), in which tenant, with which idempotency key. */
export function as(role: string, tenant: string, idempotencyKey?: string): ActionContext {
  return { tenant, actor: { name: `${role}-tester`, role }, ...(idempotencyKey ? { idempotencyKey } : {}) };
}

/** One application's row as Postgres has it now. */
export async function application(tenant: string, id: string): Promise<{ stage: string; close_reason: string | null }> {
  const result = (await db().execute(sql`SELECT stage, close_reason FROM recruiting.applications WHERE tenant = ${tenant} AND id = ${id}`)) as unknown as { rows: any[] };
  return result.rows[0];
}

export async function count(table: string, tenant: string, where = sql`TRUE`): Promise<number> {
  const result = (await db().execute(sql`SELECT count(*)::int AS n FROM ${sql.raw(`recruiting.${table}`)} WHERE tenant = ${tenant} AND ${where}`)) as unknown as { rows: any[] };
  return result.rows[0].n;
}

/** The next weekday at `hour` UTC, at least `days` ahead: a time in the future on every run. */
export function future(days: number, hour: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString();
}

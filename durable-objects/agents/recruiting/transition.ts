import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db";
import type { Stage } from "../../../schema/db/recruiting";
import { newId, rowsOf } from "./sql";

export interface Transition {
  tenant: string;
  applicationId: string;
  from: Stage;
  to: Stage;
  reason: string;
  note?: string;
  actor: string;
  key: string;
  /** What happens to an offer still waiting for an answer (hired → accepted, …). */
  offerStatus?: string;
  /** Cancel the application's upcoming interviews (it is closing). */
  cancelInterviews?: boolean;
  /** Further data-modifying CTEs (`, name AS (… FROM moved …)`) that must happen only if the move does. */
  also?: SQL;
}

/**
 * One stage move as one statement: the application moves only if it is still in `from` (a concurrent move
 * makes this one a no-op, reported as false), and the audit row, the offer, the interviews and `also` change
 * with it or not at all. Neon's HTTP driver has no interactive transactions; data-modifying CTEs give the
 * same all-or-nothing in one round trip.
 */
export async function transition(db: Database, t: Transition): Promise<boolean> {
  const closeReason = t.to === "close" ? t.reason : null;
  const rows = await rowsOf(
    db,
    sql`WITH moved AS (
          UPDATE recruiting.applications SET stage = ${t.to}, close_reason = ${closeReason}::text, updated_at = now()
          WHERE tenant = ${t.tenant} AND id = ${t.applicationId} AND stage = ${t.from}
          RETURNING id, tenant
        ), logged AS (
          INSERT INTO recruiting.stage_changes (tenant, id, application_id, from_stage, to_stage, reason, note, actor, request_key)
          SELECT tenant, ${newId("chg")}, id, ${t.from}, ${t.to}, ${t.reason}, ${t.note ?? null}::text, ${t.actor}, ${t.key} FROM moved
          RETURNING id
        )
        ${t.offerStatus ? sql`, settled AS (UPDATE recruiting.offers o SET status = ${t.offerStatus} FROM moved m WHERE o.tenant = m.tenant AND o.application_id = m.id AND o.status = 'extended' RETURNING o.id)` : sql``}
        ${t.cancelInterviews ? sql`, cancelled AS (UPDATE recruiting.interviews i SET status = 'cancelled' FROM moved m WHERE i.tenant = m.tenant AND i.application_id = m.id AND i.status = 'scheduled' AND i.starts_at > now() RETURNING i.id)` : sql``}
        ${t.also ?? sql``}
        SELECT count(*)::int AS moved FROM moved`,
  );
  return rows[0]?.moved === 1;
}

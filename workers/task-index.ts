import { and, count, desc, eq, gte, lt, or, type SQL } from "drizzle-orm";
import { database } from "../durable-objects/db";
import { viewTask } from "../durable-objects/reducer";
import { A2AError, type ListTasksRequest, type ListTasksResponse, type Task } from "../schema/a2a";
import { tasks } from "../schema/db/tables";
import type { Scope } from "./tasks";

const DEFAULT_PAGE_SIZE = 50;

/** What the cursor may hold: a status timestamp as we emit it, and a task id as we mint it. */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Cursor {
  t: string;
  id: string;
}

const encodeCursor = (cursor: Cursor) => btoa(JSON.stringify(cursor)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

function decodeCursor(token: string): Cursor {
  try {
    const parsed: unknown = JSON.parse(atob(token.replace(/-/g, "+").replace(/_/g, "/")));
    if (parsed && typeof parsed === "object" && "t" in parsed && "id" in parsed) {
      const { t, id } = parsed as Cursor;
      if (typeof t === "string" && ISO_UTC.test(t) && !Number.isNaN(Date.parse(t)) && typeof id === "string" && UUID.test(id)) return { t, id };
    }
  } catch {
    // fall through to the error below
  }
  throw new A2AError("InvalidParams", "pageToken is not a token this server issued", {}, [
    { field: "pageToken", description: "not a valid page token" },
  ]);
}

/**
 * ListTasks from the Postgres task index: newest status first, keyset pagination on (status timestamp, id),
 * `totalSize` counted over the same filters before paging. The index trails each task object by one write.
 */
export async function listTasks(env: Env, scope: Scope, request: ListTasksRequest): Promise<ListTasksResponse> {
  const db = database(env);
  if (!db) throw new A2AError("Unavailable", "ListTasks needs DATABASE_URL to be configured");
  const pageSize = request.pageSize ?? DEFAULT_PAGE_SIZE;
  const filters: SQL[] = [eq(tasks.agent, scope.agent), eq(tasks.tenant, scope.tenant), eq(tasks.owner, scope.owner)];
  if (request.contextId) filters.push(eq(tasks.contextId, request.contextId));
  if (request.status) filters.push(eq(tasks.state, request.status));
  if (request.statusTimestampAfter) filters.push(gte(tasks.statusTimestamp, request.statusTimestampAfter));
  const where = and(...filters);
  const page = [...filters];
  if (request.pageToken) {
    const cursor = decodeCursor(request.pageToken);
    page.push(or(lt(tasks.statusTimestamp, cursor.t), and(eq(tasks.statusTimestamp, cursor.t), lt(tasks.id, cursor.id)))!);
  }
  let rows: Array<{ id: string; statusTimestamp: string; snapshot: unknown }>;
  let total: Array<{ value: number }>;
  try {
    [rows, total] = await db.batch([
      db
        .select({ id: tasks.id, statusTimestamp: tasks.statusTimestamp, snapshot: tasks.snapshot })
        .from(tasks)
        .where(and(...page))
        .orderBy(desc(tasks.statusTimestamp), desc(tasks.id))
        .limit(pageSize + 1),
      db.select({ value: count() }).from(tasks).where(where),
    ]);
  } catch (error) {
    console.error(JSON.stringify({ at: "list-tasks", error: String(error) }));
    throw new A2AError("Unavailable", "The task index is temporarily unavailable; retry shortly");
  }
  const more = rows.length > pageSize;
  const pageRows = more ? rows.slice(0, pageSize) : rows;
  const last = pageRows.at(-1);
  return {
    tasks: pageRows.map((row) =>
      viewTask(row.snapshot as Task, { historyLength: request.historyLength, includeArtifacts: request.includeArtifacts ?? false }),
    ),
    nextPageToken: more && last ? encodeCursor({ t: new Date(last.statusTimestamp).toISOString(), id: last.id }) : "",
    pageSize,
    totalSize: Number(total[0]?.value ?? 0),
  };
}

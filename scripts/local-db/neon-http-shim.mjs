// A local stand-in for Neon's SQL-over-HTTP endpoint, for the real `neon()` driver
// (`neonConfig.fetchEndpoint = "http://127.0.0.1:PORT/sql"`) against any TCP Postgres.
import { createServer } from "node:http";
import pg from "pg";

const rawText = { getTypeParser: () => (value) => value };

const ISOLATION_LEVELS = {
  ReadUncommitted: "READ UNCOMMITTED",
  ReadCommitted: "READ COMMITTED",
  RepeatableRead: "REPEATABLE READ",
  Serializable: "SERIALIZABLE",
};

// The fields the driver copies from a 400 body onto its NeonDbError.
const ERROR_FIELDS = [
  "severity", "code", "detail", "hint", "position", "internalPosition", "internalQuery", "where",
  "schema", "table", "column", "dataType", "constraint", "file", "line", "routine",
];

class BadRequest extends Error {}

// A statement that only reads (SELECT, SHOW, or a WITH without a data-modifying part). Anything else counts as a
// write; the index writer's `WITH written AS (INSERT …) INSERT …` is one write.
const READ_ONLY = /^\s*(?:select|show|values)\b|^\s*with\b(?![\s\S]*\b(?:insert|update|delete|merge)\b)/i;

/**
 * What the Worker asked of Postgres through this endpoint since it started, for `GET /stats` (the bench's
 * round trips per turn): HTTP requests (each one round trip), split into those that only read and those that
 * write, and the statements they carried (a batch carries several). Counting costs a regexp per statement.
 */
function newStats() {
  return { requests: 0, reads: 0, writes: 0, batches: 0, statements: 0, errors: 0 };
}

/**
 * @param {{ port?: number, host?: string, poolSize?: number, log?: (line: string) => void }} [options]
 *   poolSize: connections per database; use 1 for PGlite, which runs one query at a time.
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export async function startNeonHttpShim({ port = 0, host = "127.0.0.1", poolSize = 10, log = console.error } = {}) {
  const pools = new Map();
  const stats = newStats();

  function poolFor(connectionString) {
    let pool = pools.get(connectionString);
    if (!pool) {
      pool = new pg.Pool({ connectionString, max: poolSize, idleTimeoutMillis: 10_000, allowExitOnIdle: true });
      // An idle client whose server goes away emits here; unhandled, it would crash the process.
      pool.on("error", (err) => log(`[neon-http-shim] idle connection error: ${err.message}`));
      pools.set(connectionString, pool);
    }
    return pool;
  }

  const server = createServer((req, res) => {
    handle(req, res, poolFor, stats).catch((err) => {
      log(`[neon-http-shim] ${err.stack ?? err}`);
      if (!res.headersSent) send(res, 500, { message: String(err.message ?? err) });
      else res.destroy();
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const actualPort = server.address().port;

  let closing;
  return {
    url: `http://${host}:${actualPort}/sql`,
    port: actualPort,
    statsUrl: `http://${host}:${actualPort}/stats`,
    close() {
      closing ??= (async () => {
        const stopped = new Promise((resolve) => server.close(resolve));
        // workerd keeps connections alive; without this server.close() waits for them.
        server.closeAllConnections();
        await stopped;
        await Promise.all([...pools.values()].map((pool) => pool.end()));
        pools.clear();
      })();
      return closing;
    },
  };
}

async function handle(req, res, poolFor, stats) {
  const path = new URL(req.url, "http://shim").pathname;
  if (path === "/stats" && req.method === "GET") return send(res, 200, stats);
  if (path !== "/sql") return send(res, 404, { message: `not found: ${path}` });
  if (req.method !== "POST") return send(res, 405, { message: "use POST" });

  let body, connectionString, begin;
  try {
    connectionString = req.headers["neon-connection-string"];
    if (!connectionString) throw new BadRequest("missing Neon-Connection-String header");
    body = await readJson(req);
    begin = batchBegin(req.headers);
  } catch (err) {
    if (err instanceof BadRequest) return send(res, 400, { message: err.message });
    throw err;
  }
  const arrayMode = req.headers["neon-array-mode"] === "true";
  count(stats, body);

  let client;
  try {
    client = await poolFor(connectionString).connect();
  } catch (err) {
    stats.errors += 1;
    return sendDbError(res, err);
  }

  let broken;
  try {
    if (Array.isArray(body.queries)) {
      const results = await runBatch(client, body.queries, begin, arrayMode);
      send(res, 200, { results });
    } else {
      send(res, 200, await runQuery(client, body, arrayMode));
    }
  } catch (err) {
    stats.errors += 1;
    broken = !(err instanceof pg.DatabaseError || err instanceof BadRequest) || isOutage(err.code);
    sendDbError(res, err);
  } finally {
    client.release(broken);
  }
}

function count(stats, body) {
  const queries = Array.isArray(body.queries) ? body.queries : [body];
  stats.requests += 1;
  stats.statements += queries.length;
  if (queries.length > 1 || Array.isArray(body.queries)) stats.batches += 1;
  if (queries.every((q) => typeof q?.query === "string" && READ_ONLY.test(q.query))) stats.reads += 1;
  else stats.writes += 1;
}

async function runQuery(client, { query, params = [] }, arrayMode) {
  if (typeof query !== "string" || !Array.isArray(params)) throw new BadRequest("each query needs {query: string, params: array}");
  // Extended protocol even without parameters, as Neon does: multi-statement strings fail here too.
  const result = await client.query({ text: query, values: params, rowMode: "array", types: rawText, queryMode: "extended" });
  const fields = result.fields.map((f) => ({
    name: f.name,
    dataTypeID: f.dataTypeID,
    tableID: f.tableID,
    columnID: f.columnID,
    dataTypeSize: f.dataTypeSize,
    dataTypeModifier: f.dataTypeModifier,
    format: f.format,
  }));
  const rows = arrayMode ? result.rows : result.rows.map((row) => Object.fromEntries(fields.map((f, i) => [f.name, row[i]])));
  return { fields, rows, command: result.command, rowCount: result.rowCount, rowAsArray: arrayMode };
}

async function runBatch(client, queries, begin, arrayMode) {
  await client.query(begin);
  try {
    const results = [];
    for (const q of queries) results.push(await runQuery(client, q, arrayMode));
    await client.query("COMMIT");
    return results;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  }
}

function batchBegin(headers) {
  const parts = ["BEGIN"];
  const level = headers["neon-batch-isolation-level"];
  if (level) {
    if (!ISOLATION_LEVELS[level]) throw new BadRequest(`unknown Neon-Batch-Isolation-Level: ${level}`);
    parts.push("ISOLATION LEVEL", ISOLATION_LEVELS[level]);
  }
  const readOnly = headers["neon-batch-read-only"];
  if (readOnly !== undefined) parts.push(readOnly === "true" ? "READ ONLY" : "READ WRITE");
  const deferrable = headers["neon-batch-deferrable"];
  if (deferrable !== undefined) parts.push(deferrable === "true" ? "DEFERRABLE" : "NOT DEFERRABLE");
  return parts.join(" ");
}

// 5xx tells the Worker the database is unavailable (worth retrying); 400 is the query's own fault.
function sendDbError(res, err) {
  if (err instanceof BadRequest) return send(res, 400, { message: err.message });
  if (err instanceof pg.DatabaseError && !isOutage(err.code)) {
    const body = { message: err.message };
    for (const field of ERROR_FIELDS) if (err[field] !== undefined) body[field] = err[field];
    return send(res, 400, body);
  }
  send(res, 503, { message: `database unavailable: ${err.message || err.code || err}` });
}

// SQLSTATE classes 08 (connection exception), 53 (insufficient resources), 57P (shutdown / starting up).
function isOutage(code = "") {
  return code.startsWith("08") || code.startsWith("53") || code.startsWith("57P");
}

function send(res, status, body) {
  const json = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(json) });
  res.end(json);
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    if (body && typeof body === "object") return body;
  } catch {}
  throw new BadRequest("body is not a JSON object");
}

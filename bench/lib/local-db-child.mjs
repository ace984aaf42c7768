// Runs scripts/local-db in its own process for the bench and prints one ready line:
// {"ready":true,"databaseUrl":…,"fetchEndpoint":…,"statsUrl":…,"embedded":…,"kind":…}. Stops on SIGTERM/SIGINT.
//   BENCH_DB=pglite (default)  embedded PGlite, in memory (BENCH_DB_DIR: keep it in a folder instead)
//   BENCH_DB=postgres          a throwaway Debian PostgreSQL (scripts/local-db/debian-postgres.mjs)
//   BENCH_DATABASE_URL=…       an already running Postgres
import { createServer } from "node:net";
import { startLocalDatabase } from "../../scripts/local-db/index.mjs";

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const log = (line) => process.stderr.write(`${line}\n`);
let postgres;
let databaseUrl = process.env.BENCH_DATABASE_URL || undefined;
let kind = databaseUrl ? "Postgres at BENCH_DATABASE_URL" : "embedded PGlite";
if (!databaseUrl && process.env.BENCH_DB === "postgres") {
  const { startDebianPostgres } = await import("../../scripts/local-db/debian-postgres.mjs");
  postgres = await startDebianPostgres({ port: await freePort(), log });
  databaseUrl = postgres.databaseUrl;
  kind = "Debian PostgreSQL (fsync off)";
}

let db;
try {
  db = await startLocalDatabase({
    // Never fall back to a DATABASE_URL from the environment: the bench says what it uses.
    databaseUrl: databaseUrl ?? "",
    dataDir: process.env.BENCH_DB_DIR || undefined,
    shimPort: Number(process.env.BENCH_SHIM_PORT) || 0,
  });
} catch (error) {
  await postgres?.stop();
  throw error;
}
const { fetchEndpoint, statsUrl, embedded } = db;
process.stdout.write(`${JSON.stringify({ ready: true, databaseUrl: db.databaseUrl, fetchEndpoint, statsUrl, embedded, kind })}\n`);

let closing = false;
const shutdown = async () => {
  if (closing) return;
  closing = true;
  await db.close();
  await postgres?.stop();
  process.exit(0);
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);

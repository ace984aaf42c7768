// Applies the drizzle-kit migrations in schema/db/migrations. Also a CLI for deployers:
//   DATABASE_URL=postgres://... node scripts/local-db/migrate.mjs
import { fileURLToPath } from "node:url";
import pg from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate as drizzleMigrate } from "drizzle-orm/node-postgres/migrator";

export const migrationsFolder = fileURLToPath(new URL("../../schema/db/migrations", import.meta.url));

/**
 * Idempotent: drizzle records applied migrations in drizzle.__drizzle_migrations.
 * @param {string} databaseUrl a postgres:// URL reachable over TCP
 * @returns {Promise<void>}
 */
export async function migrate(databaseUrl) {
  if (!databaseUrl) throw new Error("migrate(databaseUrl): no database URL given");
  // One plain connection, so nothing stays open afterwards (PGlite serves one connection at a time).
  const client = new pg.Client({ connectionString: databaseUrl });
  // A dropped connection also rejects the running query; this only keeps it from crashing the process.
  client.on("error", () => {});
  await client.connect();
  try {
    await drizzleMigrate(drizzle(client), { migrationsFolder });
  } finally {
    await client.end();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is not set; usage: DATABASE_URL=postgres://... node scripts/local-db/migrate.mjs");
    process.exit(2);
  }
  try {
    await migrate(url);
    console.log(`migrations applied to ${redactUrl(url)}`);
  } catch (err) {
    console.error(`migration failed: ${err.message}${err.cause ? `\n  cause: ${err.cause.message}` : ""}`);
    process.exit(1);
  }
}

/** The URL without its password, fit for logs. */
export function redactUrl(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}

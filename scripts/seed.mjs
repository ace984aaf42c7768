// The recruiting demo data (jobs, candidates, applications in every stage, screenings, interviews, offers) for
// one tenant. Never a migration: a deployment gets fake candidates only when someone asks for them.
//   DATABASE_URL=postgres://... npm run seed [-- --tenant acme] [-- --reset]
// `npm run dev` and the test set-up seed the default tenant ("") of their local database with it.
import { fileURLToPath } from "node:url";
import pg from "pg";
// Node (22.18+) runs this TypeScript file as it is: it imports nothing and uses only erasable types.
import { seedRecruiting } from "../durable-objects/agents/recruiting/seed.ts";
import { redactUrl } from "./local-db/migrate.mjs";

/**
 * @param {string} databaseUrl a migrated database
 * @param {{ tenant?: string, reset?: boolean }} [options]
 * @returns {Promise<{ tenant: string, rows: number }>}
 */
export async function seedDatabase(databaseUrl, options = {}) {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on("error", () => {});
  await client.connect();
  try {
    return await seedRecruiting((text, params) => client.query(text, params), options);
  } finally {
    await client.end();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const url = process.env.DATABASE_URL;
  const tenantAt = args.indexOf("--tenant");
  const tenant = tenantAt >= 0 ? args[tenantAt + 1] : "";
  if (!url || tenant === undefined) {
    console.error("usage: DATABASE_URL=postgres://... npm run seed [-- --tenant <tenant>] [-- --reset]");
    process.exit(2);
  }
  try {
    const { rows } = await seedDatabase(url, { tenant, reset: args.includes("--reset") });
    console.log(`recruiting demo (${rows} rows) seeded for tenant "${tenant}" in ${redactUrl(url)}${args.includes("--reset") ? " (reset first)" : ""}`);
  } catch (err) {
    console.error(`seeding failed: ${err.message}${/relation .* does not exist/.test(err.message) ? " (run the migrations first: node scripts/local-db/migrate.mjs)" : ""}`);
    process.exit(1);
  }
}

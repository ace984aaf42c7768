// `npm run dev`: a migrated local database behind the Neon HTTP shim, then `wrangler dev` pointed at it.
// DATABASE_URL set: use that Postgres. Unset: embedded PGlite persisted in .wrangler/pglite
// (PGLITE_DIR overrides the folder). PORT overrides 8787; extra arguments go to wrangler (npm run dev -- --log-level debug).
import { spawn } from "node:child_process";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startLocalDatabase, redactUrl } from "./local-db/index.mjs";
import { seedDatabase } from "./seed.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const port = process.env.PORT || "8787";
const pgliteDir = process.env.PGLITE_DIR || join(root, ".wrangler", "pglite");

let db;
try {
  db = await startLocalDatabase({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: pgliteDir });
} catch (err) {
  console.error(`dev: could not prepare the database: ${err.message}${err.cause ? ` (${err.cause.message})` : ""}`);
  if (!process.env.DATABASE_URL) {
    console.error(`dev: if the migrations were regenerated, delete ${pgliteDir} to start from an empty database.`);
  }
  process.exit(1);
}

// The recruiting demo the orchestrator's skills act on (existing rows are kept; `npm run seed -- --reset` restores them).
try {
  await seedDatabase(db.databaseUrl);
} catch (err) {
  console.error(`dev: could not seed the recruiting demo: ${err.message}`);
  await db.close();
  process.exit(1);
}

const dbLabel = db.embedded ? `embedded PGlite in ${pgliteDir}` : redactUrl(db.databaseUrl);
console.log(`dev: serving http://127.0.0.1:${port} with database ${dbLabel} (Neon HTTP shim ${db.fetchEndpoint})`);

const binDir = join(root, "node_modules", ".bin");
const wrangler = spawn(
  join(binDir, "wrangler"),
  [
    "dev",
    "--ip", "127.0.0.1",
    "--port", port,
    "--var", `DATABASE_URL:${db.databaseUrl}`,
    "--var", `NEON_FETCH_ENDPOINT:${db.fetchEndpoint}`,
    "--var", "ALLOW_ANONYMOUS:true",
    // The anonymous caller's role (docs/skills-and-roles.md): a recruiter can run the whole demo pipeline.
    "--var", `DEFAULT_ROLE:${process.env.DEFAULT_ROLE || "recruiter"}`,
    ...process.argv.slice(2),
  ],
  {
    cwd: root,
    stdio: "inherit",
    env: {
      ...process.env,
      // wrangler's shebang runs `node` from PATH: make that the Node 22 from node_modules.
      PATH: `${binDir}${delimiter}${process.env.PATH ?? ""}`,
      WRANGLER_SEND_METRICS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
    },
  },
);

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  // Ctrl-C reaches wrangler too (same process group); we stay up until it exits, then clean up.
  process.on(signal, () => {
    if (wrangler.exitCode === null && wrangler.signalCode === null) wrangler.kill(signal);
  });
}

wrangler.on("error", async (err) => {
  console.error(`dev: could not start wrangler: ${err.message}`);
  await db.close();
  process.exit(1);
});

wrangler.on("exit", async (code, signal) => {
  await db.close();
  process.exit(code ?? (signal ? 128 + signalNumber(signal) : 1));
});

function signalNumber(signal) {
  return { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal] ?? 0;
}

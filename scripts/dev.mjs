// `npm run dev`: a migrated local database behind the Neon HTTP shim, then `wrangler dev` pointed at it.
// DATABASE_URL set: use that Postgres. Unset: embedded PGlite persisted in .wrangler/pglite
// (PGLITE_DIR overrides the folder). PORT or `--port` overrides 8787; other arguments go to wrangler
// (npm run dev -- --port 8788 --var RATE_LIMITS:off --log-level debug).
import { spawn } from "node:child_process";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { devArgs } from "./dev-args.mjs";
import { startLocalDatabase, redactUrl } from "./local-db/index.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
let args;
try {
  args = devArgs(process.argv.slice(2), process.env);
} catch (err) {
  console.error(`dev: ${err.message}`);
  process.exit(2);
}
const { port, ip } = args;
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

const dbLabel = db.embedded ? `embedded PGlite in ${pgliteDir}` : redactUrl(db.databaseUrl);
console.log(`dev: serving http://${ip}:${port} with database ${dbLabel} (Neon HTTP shim ${db.fetchEndpoint})`);

const binDir = join(root, "node_modules", ".bin");
const wrangler = spawn(
  join(binDir, "wrangler"),
  [
    "dev",
    "--ip", ip,
    "--port", port,
    "--var", `DATABASE_URL:${db.databaseUrl}`,
    "--var", `NEON_FETCH_ENDPOINT:${db.fetchEndpoint}`,
    "--var", "ALLOW_ANONYMOUS:true",
    ...args.rest,
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

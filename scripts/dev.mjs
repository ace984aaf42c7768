// `npm run dev`: a migrated local database behind the Neon HTTP shim, then `wrangler dev` pointed at it.
// DATABASE_URL set: use that Postgres. Unset: embedded PGlite persisted in .wrangler/pglite
// (PGLITE_DIR overrides the folder). PORT overrides 8787; extra arguments go to wrangler (npm run dev -- --log-level debug).
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startLocalDatabase, redactUrl } from "./local-db/index.mjs";

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

const dbLabel = db.embedded ? `embedded PGlite in ${pgliteDir}` : redactUrl(db.databaseUrl);
console.log(`dev: serving http://127.0.0.1:${port} with database ${dbLabel} (Neon HTTP shim ${db.fetchEndpoint})`);

// --- Demo API keys (dev only), one per demo role, kept in .wrangler/dev-keys.json so they survive restarts.
// The Worker gets only their SHA-256 (AUTH_API_KEYS); anonymous callers still work (ALLOW_ANONYMOUS).
const DEMO_ROLES = ["recruiter", "hiring-manager", "admin", "viewer"];
const keysFile = join(root, ".wrangler", "dev-keys.json");
const demoKeys = existsSync(keysFile) ? JSON.parse(readFileSync(keysFile, "utf8")) : {};
for (const role of DEMO_ROLES) demoKeys[role] ??= `ak_dev_${role.replace(/-/g, "_")}_${randomBytes(12).toString("base64url")}`;
mkdirSync(dirname(keysFile), { recursive: true });
writeFileSync(keysFile, `${JSON.stringify(demoKeys, null, 2)}\n`, { mode: 0o600 });
const apiKeys = DEMO_ROLES.map((role) => ({ sha256: createHash("sha256").update(demoKeys[role]).digest("hex"), owner: `demo-${role}`, role }));
console.log(`dev: console at http://127.0.0.1:${port}/console/ — demo API keys (X-API-Key; dev only, from ${keysFile}):`);
for (const role of DEMO_ROLES) console.log(`dev:   ${role.padEnd(15)} ${demoKeys[role]}`);
// The console's source is rebuilt on change while wrangler serves the folder.
const consoleWatch = spawn(process.execPath, [join(root, "scripts", "build-console.mjs"), "--watch"], { cwd: root, stdio: "inherit" });
// ---

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
    "--var", `AUTH_API_KEYS:${JSON.stringify(apiKeys)}`,
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
  consoleWatch.kill();
  await db.close();
  process.exit(code ?? (signal ? 128 + signalNumber(signal) : 1));
});

function signalNumber(signal) {
  return { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal] ?? 0;
}

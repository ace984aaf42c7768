// `npm run dev`: a migrated local database behind the Neon HTTP shim, then `wrangler dev` pointed at it.
// DATABASE_URL set: use that Postgres. Unset: embedded PGlite persisted in .wrangler/pglite
// (PGLITE_DIR overrides the folder). PORT or `--port` overrides 8787; other arguments go to wrangler
// (npm run dev -- --port 8788 --var RATE_LIMITS:off --log-level debug).
import { spawn } from "node:child_process";
import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { devArgs } from "./dev-args.mjs";
import { startLocalDatabase, redactUrl } from "./local-db/index.mjs";
import { seedDatabase } from "./seed.mjs";

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

// The recruiting demo the orchestrator's skills act on (existing rows are kept; `npm run seed -- --reset` restores them).
try {
  await seedDatabase(db.databaseUrl);
} catch (err) {
  console.error(`dev: could not seed the recruiting demo: ${err.message}`);
  await db.close();
  process.exit(1);
}

const dbLabel = db.embedded ? `embedded PGlite in ${pgliteDir}` : redactUrl(db.databaseUrl);
console.log(`dev: serving http://${ip}:${port} with database ${dbLabel} (Neon HTTP shim ${db.fetchEndpoint})`);

// --- Demo API keys (dev only), one per demo role, kept in .wrangler/dev-keys.json so they survive restarts.
// The Worker gets only their SHA-256 (AUTH_API_KEYS); anonymous callers still work (ALLOW_ANONYMOUS).
const DEMO_ROLES = ["recruiter", "hiring-manager", "admin", "viewer"];
const keysFile = join(root, ".wrangler", "dev-keys.json");
const demoKeys = existsSync(keysFile) ? JSON.parse(readFileSync(keysFile, "utf8")) : {};
for (const role of DEMO_ROLES) demoKeys[role] ??= `ak_dev_${role.replace(/-/g, "_")}_${randomBytes(12).toString("base64url")}`;
mkdirSync(dirname(keysFile), { recursive: true });
writeFileSync(keysFile, `${JSON.stringify(demoKeys, null, 2)}\n`, { mode: 0o600 });
const apiKeys = DEMO_ROLES.map((role) => ({ sha256: createHash("sha256").update(demoKeys[role]).digest("hex"), owner: `demo-${role}`, role }));
console.log(`dev: console at http://${ip}:${port}/console/ — demo API keys (X-API-Key; dev only, from ${keysFile}):`);
for (const role of DEMO_ROLES) console.log(`dev:   ${role.padEnd(15)} ${demoKeys[role]}`);
// --- A signing key (dev only), kept in .wrangler/dev-signing-key.json, unless .dev.vars or --var sets SIGNING_KEYS.
// With it the orchestrator calls the recruiting CRM agent with the platform's delegation JWT naming the user and
// role, as deployed; without it the CRM could only be called for anonymous callers, not for the demo keys' roles.
const devVarsFile = join(root, ".dev.vars");
const signingKeysSet =
  (existsSync(devVarsFile) && /^\s*SIGNING_KEYS\s*=/m.test(readFileSync(devVarsFile, "utf8"))) || args.rest.some((arg) => arg.startsWith("SIGNING_KEYS:"));
const signingKeyFile = join(root, ".wrangler", "dev-signing-key.json");
let signingArgs = [];
if (!signingKeysSet) {
  if (!existsSync(signingKeyFile)) {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = { ...privateKey.export({ format: "jwk" }), kid: `dev-${randomBytes(4).toString("hex")}`, alg: "ES256" };
    writeFileSync(signingKeyFile, `${JSON.stringify(jwk)}\n`, { mode: 0o600 });
  }
  signingArgs = ["--var", `SIGNING_KEYS:${JSON.stringify([JSON.parse(readFileSync(signingKeyFile, "utf8"))])}`];
  console.log(`dev: signing cards and delegation tokens with the dev key in ${signingKeyFile}`);
}
// The console's source is rebuilt on change while wrangler serves the folder.
const consoleWatch = spawn(process.execPath, [join(root, "scripts", "build-console.mjs"), "--watch"], { cwd: root, stdio: "inherit" });
// ---

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
    "--var", `AUTH_API_KEYS:${JSON.stringify(apiKeys)}`,
    // The anonymous caller's role (docs/skills-and-roles.md): a recruiter can run the whole demo pipeline.
    "--var", `DEFAULT_ROLE:${process.env.DEFAULT_ROLE || "recruiter"}`,
    ...signingArgs,
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
  consoleWatch.kill();
  await db.close();
  process.exit(code ?? (signal ? 128 + signalNumber(signal) : 1));
});

function signalNumber(signal) {
  return { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal] ?? 0;
}

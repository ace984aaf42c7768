// Group C: the platform's production bundle (wrangler deploy --dry-run) in workerd, against a local
// Postgres (scripts/local-db) reached over Neon's HTTP protocol.
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createTask, discoverTargets } from "./a2a-targets.mjs";
import { orchestratorTurn, roundTripsPerTurn } from "./orchestrator.mjs";
import { BENCH, LOGS, NODE, ROOT, WORK } from "./paths.mjs";
import { freePort, logTail, startProcess, stopProcess, waitForLine } from "./processes.mjs";
import { bundleModules } from "./workerd-config.mjs";
import { startWorkerd } from "./workerd.mjs";

const OUTDIR = join(WORK, "dist");
const BUILD_TIMEOUT_MS = 180_000;

async function runToEnd(command, args, { cwd, env, logFile, timeoutMs }) {
  const child = startProcess(command, args, { cwd, env, logFile });
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const [code, signal] = await new Promise((resolve) => child.once("exit", (c, s) => resolve([c, s])));
  clearTimeout(timer);
  return signal ? `signal ${signal}${signal === "SIGKILL" ? ` (timed out after ${timeoutMs} ms)` : ""}` : code;
}

/**
 * Builds the production bundle; throws a message that says so plainly when it does not build.
 * `minify: false` keeps function names readable (bench/profile.mjs).
 */
export async function buildPlatform(main, { minify = true } = {}) {
  if (!existsSync(join(ROOT, main))) {
    throw new Error(`PLATFORM NOT BUILT: ${main} (wrangler.toml "main") does not exist yet.`);
  }
  rmSync(OUTDIR, { recursive: true, force: true });
  const logFile = join(LOGS, "platform-build.log");
  // What `npm run build` generates first (its prebuild script: the skills catalog, the console's assets).
  const prebuildLog = join(LOGS, "platform-prebuild.log");
  const cli = process.env.npm_execpath;
  const [npm, npmArgs] = cli?.endsWith(".js") ? [NODE, [cli]] : ["npm", []];
  const prebuild = await runToEnd(npm, [...npmArgs, "run", "prebuild", "--silent"], { cwd: ROOT, env: {}, logFile: prebuildLog, timeoutMs: BUILD_TIMEOUT_MS });
  if (prebuild !== 0) throw new Error(`PLATFORM BUNDLE DID NOT BUILD: \`npm run prebuild\` ended with ${prebuild}.${logTail(prebuildLog)}`);
  const exit = await runToEnd(NODE, [join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js"), "deploy", "--dry-run", "--outdir", OUTDIR, ...(minify ? [] : ["--no-minify"])], {
    cwd: ROOT,
    env: { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_LOG_PATH: LOGS, NO_COLOR: "1" },
    logFile,
    timeoutMs: BUILD_TIMEOUT_MS,
  });
  if (exit !== 0 || !existsSync(join(OUTDIR, "index.js"))) {
    throw new Error(
      `PLATFORM BUNDLE DID NOT BUILD: \`wrangler deploy --dry-run --outdir bench/.work/dist\` ended with ${exit}.${logTail(logFile, 30)}`,
    );
  }
  return bundleModules(OUTDIR);
}

/** The local database in its own process, so Postgres work never shares autocannon's event loop. */
export async function startDatabase() {
  if (!existsSync(join(ROOT, "scripts", "local-db", "index.mjs"))) {
    throw new Error("PLATFORM NEEDS A DATABASE: scripts/local-db/index.mjs (startLocalDatabase) does not exist yet.");
  }
  const logFile = join(LOGS, "local-db.log");
  const child = startProcess(NODE, [join(BENCH, "lib", "local-db-child.mjs")], {
    cwd: ROOT,
    env: { BENCH_SHIM_PORT: String(await freePort()) },
    logFile,
  });
  try {
    const ready = await waitForLine(child, (line) => (line.startsWith('{"ready"') ? JSON.parse(line) : undefined), {
      timeoutMs: 60_000,
      what: "local database",
    });
    return { ...ready, stop: () => stopProcess(child, 10_000) };
  } catch (error) {
    await stopProcess(child);
    throw new Error(`${error.message}${logTail(logFile)}`);
  }
}

/**
 * The variables the platform runs with locally: wrangler.toml's [vars], the local database, anonymous access,
 * and the conformance demo at the root. The root's default agent is the orchestrator; the protocol scenarios
 * (card, SendMessage, GetTask, REST, streaming) measure the platform with the demo's trivial executor, as they
 * did before, and the orchestrator's own scenario calls it at /agents/orchestrator/.
 */
export function platformVars(config, db) {
  return { ...config.vars, DATABASE_URL: db.databaseUrl, NEON_FETCH_ENDPOINT: db.fetchEndpoint, ALLOW_ANONYMOUS: "true", AGENT: "demo" };
}

/**
 * The production bundle as a workerd Worker (for startWorkerd), in "memory" or "disk" object storage.
 * @param {{ compatibilityDate: string, compatibilityFlags: string[] }} compat
 * @param {{ vars: Record<string, unknown>, durableObjects: { className: string, binding: string }[] }} config
 * @param {{ modules: ReturnType<typeof bundleModules>, db: { databaseUrl: string, fetchEndpoint: string } }} ctx
 * @param {"memory" | "disk"} storage
 */
export function platformWorker(compat, config, ctx, storage) {
  return { ...compat, modules: ctx.modules, durableObjects: config.durableObjects, storage, vars: platformVars(config, ctx.db) };
}

/** Starts the platform in workerd; resolves once it serves its agent card. */
export function startPlatform(id, worker) {
  return startWorkerd(id, worker, { readyPath: "/.well-known/agent-card.json" });
}

/**
 * @param {{ compatibilityDate: string, compatibilityFlags: string[] }} compat
 * @param {{ vars: Record<string, unknown>, durableObjects: { className: string, binding: string }[] }} config
 * @param {{ modules?: ReturnType<typeof bundleModules>, db?: { databaseUrl: string, fetchEndpoint: string } }} ctx
 *   filled in by the caller once the bundle is built and the database is up
 */
export function platformScenarios(compat, config, ctx) {
  const scenario = (id, label, storage, pick, more = {}) => ({
    id,
    label,
    server: "platform",
    storage,
    start: () => startPlatform(id, platformWorker(compat, config, ctx, storage)),
    target: async ({ baseUrl }) => pick(await discoverTargets(baseUrl)),
    dbStatsUrl: () => ctx.db?.statsUrl,
    ...more,
  });
  return [
    scenario("plat-card", "agent card GET", "memory", async (t) => t.card),
    scenario("plat-send-rpc-mem", "JSON-RPC SendMessage", "memory", async (t) => t.sendRpc),
    // The orchestrator's own cost per turn: the loop, its run state, the conversation's object and the model
    // seam, with a model that answers at once (the offline model: no MODEL or provider is set).
    scenario("plat-orch-turn", "orchestrator turn: JSON-RPC SendMessage, new context, instant model", "memory", undefined, {
      target: ({ baseUrl }) => orchestratorTurn(baseUrl),
      inspect: async (server, target) => ({ roundTrips: await roundTripsPerTurn(target, ctx.db.statsUrl, { pid: server.child.pid }) }),
    }),
    scenario("plat-get-rpc", "JSON-RPC GetTask", "memory", async (t) => t.getRpc(await createTask(t))),
    scenario("plat-send-rest", "REST POST /message:send", "memory", async (t) => t.sendRest),
    scenario("plat-send-rpc-disk", "JSON-RPC SendMessage", "disk", async (t) => t.sendRpc),
  ];
}

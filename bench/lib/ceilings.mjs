// Group A: what workerd itself allows on this machine, with Workers that do nothing else.
import { join } from "node:path";
import { build } from "esbuild";
import { BENCH, WORK } from "./paths.mjs";
import { a2aTargets } from "./a2a-targets.mjs";
import { startWorkerd } from "./workerd.mjs";

const OUT = join(WORK, "ceilings");
const ENTRIES = ["hono", "do-one", "do-new", "fanout"];

/** Bundles bench/ceilings/*.js the way wrangler would (esbuild, ESM, workerd conditions). */
export async function bundleCeilings() {
  await build({
    entryPoints: ENTRIES.map((name) => join(BENCH, "ceilings", `${name}.js`)),
    outdir: OUT,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["workerd", "worker", "browser"],
    external: ["cloudflare:*", "node:*"],
    logLevel: "error",
  });
}

/** @param {{ compatibilityDate: string, compatibilityFlags: string[] }} compat  taken from wrangler.toml */
export function ceilingScenarios(compat) {
  const worker = (entry, storage, objects) => ({
    ...compat,
    modules: [{ name: "index.js", kind: "esModule", path: join(OUT, `${entry}.js`) }],
    durableObjects: objects ? [{ className: "BenchObject", binding: "OBJECTS" }] : [],
    storage,
  });
  // `request`: "get" (no body), or the exact JSON-RPC request of the platform scenario the ceiling bounds,
  // POSTed and read in full, so both sides receive the same bytes.
  const scenario = (id, label, entry, storage, objects, request = "get") => ({
    id,
    label,
    server: "ceiling",
    storage: objects ? storage : "n/a",
    start: () => startWorkerd(id, worker(entry, storage, objects)),
    target: async ({ baseUrl }) => {
      const check = (status, body) => status < 300 && body.includes(objects ? '"written":1' : '"ok":true');
      if (request === "get") return { url: `${baseUrl}/`, check };
      const same = request === "send" ? a2aTargets(baseUrl).sendRpc : a2aTargets(baseUrl).getRpc(CEILING_TASK_ID);
      return { url: `${baseUrl}/`, method: same.method, headers: same.headers, body: same.body, check };
    },
  });
  return [
    scenario("ceil-hono", "(1) bare Hono, small JSON", "hono", "memory", false),
    scenario("ceil-do-one", "(2) Worker → one existing DO, 1 SQLite row; the GetTask request", "do-one", "memory", true, "get-task"),
    scenario("ceil-do-one-get", "(2) the same, GET without a body", "do-one", "memory", true),
    scenario("ceil-do-new-mem", "(3) Worker → new DO per request, 1 SQLite row; the SendMessage request", "do-new", "memory", true, "send"),
    scenario("ceil-do-new-mem-get", "(3) the same, GET without a body", "do-new", "memory", true),
    scenario("ceil-do-new-disk", "(3) Worker → new DO per request, 1 SQLite row; the SendMessage request", "do-new", "disk", true, "send"),
  ];
}

/** A task id of the platform's shape, for the ceiling's copy of the GetTask request. */
const CEILING_TASK_ID = "0b3c6a4e-51f2-8d07-9a3b-2c4d5e6f7a8b";

/**
 * The fan-out ceiling of bench/streaming.mjs (ceilings/fanout.js), as a workerd Worker for startWorkerd.
 * @param {{ compatibilityDate: string, compatibilityFlags: string[] }} compat  taken from wrangler.toml
 */
export function fanoutCeilingWorker(compat, storage = "memory") {
  return {
    ...compat,
    modules: [{ name: "index.js", kind: "esModule", path: join(OUT, "fanout.js") }],
    durableObjects: [{ className: "FanoutObject", binding: "OBJECTS" }],
    storage,
  };
}

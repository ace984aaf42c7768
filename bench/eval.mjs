// npm run eval [-- --tune] [-- --verbose]: bundles bench/eval/run.ts with esbuild (the prompt code is
// TypeScript written for workerd) and runs it in Node. See bench/eval/run.ts for what it prints.
import { build } from "esbuild";
import { mkdirSync, readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const work = join(here, ".work");
mkdirSync(work, { recursive: true });
const outfile = join(work, "eval.mjs");
await build({
  entryPoints: [join(here, "eval", "run.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  outfile,
  // Dependencies stay imports, resolved by Node from node_modules; only our TypeScript is bundled.
  packages: "external",
  logLevel: "warning",
});
const { runEval } = await import(pathToFileURL(outfile).href);
const args = new Set(process.argv.slice(2));
const dataset = readFileSync(join(here, "eval", "intents.txt"), "utf8");
console.log(await runEval({ dataset, env: process.env, tune: args.has("--tune"), verbose: args.has("--verbose") }));

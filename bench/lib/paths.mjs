import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const BENCH = dirname(dirname(fileURLToPath(import.meta.url)));
export const ROOT = dirname(BENCH);
/** Generated configs, bundles, logs and on-disk object storage (gitignored). */
export const WORK = join(BENCH, ".work");
export const LOGS = join(WORK, "logs");

/** Node 22 from the project (wrangler refuses Node 20); the current Node if it is missing. */
export const NODE = existsSync(join(ROOT, "node_modules", ".bin", "node"))
  ? join(ROOT, "node_modules", ".bin", "node")
  : process.execPath;

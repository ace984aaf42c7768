// Starts the platform as `npm run dev` does, for the browser tests: `wrangler dev` on an ephemeral port (and
// inspector port), its state in a temporary folder, pointed at the test database; resolves with its URL once
// wrangler says it is ready. Extra bindings come as --var (test-only keys; never in wrangler.toml).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const READY = /Ready on (http:\/\/127\.0\.0\.1:\d+)/;

export async function startPlatform({ vars = {}, timeoutMs = 60_000 } = {}) {
  const state = mkdtempSync(join(tmpdir(), "a2a-browser-"));
  const binDir = join(root, "node_modules", ".bin");
  const args = ["dev", "--ip", "127.0.0.1", "--port", "0", "--inspector-port", "0", "--persist-to", state, "--show-interactive-dev-session=false"];
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  const child = spawn(join(binDir, "wrangler"), args, {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
    env: { ...process.env, PATH: `${binDir}${delimiter}${process.env.PATH ?? ""}`, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", FORCE_COLOR: "0" },
  });
  let log = "";
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`wrangler dev was not ready within ${timeoutMs} ms:\n${log.slice(-2000)}`)), timeoutMs);
    const read = (chunk) => {
      log += chunk;
      const match = READY.exec(log);
      if (match) (clearTimeout(timer), resolve(match[1]));
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.on("exit", (code) => (clearTimeout(timer), reject(new Error(`wrangler dev exited (${code}) before it was ready:\n${log.slice(-2000)}`))));
  });
  return {
    url,
    log: () => log,
    async close() {
      // wrangler runs workerd as a child: signal the whole group, then wait for it to go.
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.on("exit", resolve));
        process.kill(-child.pid, "SIGTERM");
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (child.exitCode === null) process.kill(-child.pid, "SIGKILL");
      }
      rmSync(state, { recursive: true, force: true });
    },
  };
}

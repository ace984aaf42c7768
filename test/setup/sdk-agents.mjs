// Starts the downstream agents of the agent-network tests, each test/setup/sdk-agent.mjs in its own Node process
// on loopback, and a small control server through which a test (inside workerd) stops and restarts one by name
// (POST /stop/<name>, POST /start/<name>; the restarted process listens on the same port, so registered card URLs
// stay valid). POST /reset/<name> stops it and puts a listener on its port that resets every connection and
// notes when it came (GET /resets/<name>): a server that is there but broken, whose attempts can be timed.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { fileURLToPath } from "node:url";
import { guarded } from "./http-handler.mjs";

const script = fileURLToPath(new URL("./sdk-agent.mjs", import.meta.url));

/** Spawns one agent and resolves with its process and port once it prints that it listens. */
function spawnAgent(options) {
  return new Promise((resolve, reject) => {
    // The SDK logs every request it refuses (a reference task it does not know, …): kept, shown only if it dies early.
    // stdin stays open as a lifeline: when this process dies, however it dies, the agent sees it close and exits.
    const child = spawn(process.execPath, [script, JSON.stringify(options)], { stdio: ["pipe", "pipe", "pipe"] });
    const stderr = [];
    child.stderr.on("data", (chunk) => stderr.push(String(chunk)) > 50 && stderr.shift());
    let buffer = "";
    const timer = setTimeout(() => reject(new Error(`sdk agent ${options.name} did not start in 15 s`)), 15_000);
    child.stdout.on("data", (chunk) => {
      buffer += chunk;
      const line = buffer.split("\n").find((l) => l.startsWith("{"));
      if (!line) return;
      clearTimeout(timer);
      child.stdout.removeAllListeners("data");
      child.stdout.resume();
      resolve({ child, port: JSON.parse(line).port });
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`sdk agent ${options.name} exited with ${code} before it was ready:\n${stderr.join("")}`));
    });
  });
}

function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

/**
 * @param {Array<{name: string, protocol?: string, sign?: string, skills?: object[], description?: string}>} specs
 * @returns {Promise<{ agents: Record<string, string>, controlUrl: string, close: () => Promise<void> }>}
 *   `agents` maps each name to its base URL (http://127.0.0.1:PORT).
 */
export async function startSdkAgents(specs) {
  const running = new Map();
  await Promise.all(
    specs.map(async (spec) => {
      const { child, port } = await spawnAgent({ ...spec, port: 0 });
      running.set(spec.name, { spec: { ...spec, port }, child });
    }),
  );
  const control = createServer(
    guarded(async (req, res) => {
      const [, action, name] = req.url.split("/");
      const entry = running.get(name ?? "");
      if (req.method === "GET" && action === "resets" && entry) {
        res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(entry.resets ?? []));
        return;
      }
      if (req.method !== "POST" || !entry || !["stop", "start", "reset"].includes(action)) {
        res.writeHead(404).end();
        return;
      }
      try {
        if (action === "stop" || action === "reset") await stop(entry.child);
        if (action === "reset" && !entry.resetter) {
          entry.resets = [];
          entry.resetter = createTcpServer((socket) => {
            entry.resets.push(Date.now());
            socket.resetAndDestroy();
          });
          await new Promise((resolve) => entry.resetter.listen(entry.spec.port, "127.0.0.1", resolve));
        }
        if (action === "start") {
          if (entry.resetter) await new Promise((resolve) => entry.resetter.close(resolve));
          entry.resetter = undefined;
          if (entry.child.exitCode !== null || entry.child.signalCode !== null) entry.child = (await spawnAgent(entry.spec)).child;
        }
        res.writeHead(204).end();
      } catch (error) {
        res.writeHead(500, { "Content-Type": "text/plain" }).end(String(error));
      }
    }),
  );
  await new Promise((resolve) => control.listen(0, "127.0.0.1", resolve));
  return {
    agents: Object.fromEntries([...running].map(([name, { spec }]) => [name, `http://127.0.0.1:${spec.port}`])),
    controlUrl: `http://127.0.0.1:${control.address().port}`,
    close: async () => {
      await Promise.all([...running.values()].map(({ child, resetter }) => (resetter?.close(), stop(child))));
      await new Promise((resolve) => control.close(resolve));
    },
  };
}

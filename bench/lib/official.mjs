// Group B: the official A2A JS SDK on Express (bench/official-server.mjs), one Node process per scenario.
import { join } from "node:path";
import { createTask, discoverTargets } from "./a2a-targets.mjs";
import { BENCH, LOGS, NODE, ROOT } from "./paths.mjs";
import { logTail, startProcess, stopProcess, waitForLine } from "./processes.mjs";

/** Starts bench/official-server.mjs in its own Node process; resolves once it listens. */
export async function startOfficial(id) {
  const logFile = join(LOGS, `${id}.log`);
  const child = startProcess(NODE, [join(BENCH, "official-server.mjs"), "0"], {
    cwd: ROOT,
    env: { NODE_ENV: "production" },
    logFile,
  });
  try {
    const ready = await waitForLine(child, (line) => (line.startsWith("{") ? JSON.parse(line) : undefined), {
      what: `official server (${id})`,
    });
    return { child, baseUrl: `http://127.0.0.1:${ready.port}`, logFile, stop: () => stopProcess(child) };
  } catch (error) {
    await stopProcess(child);
    throw new Error(`${error.message}${logTail(logFile)}`);
  }
}

export function officialScenarios() {
  const scenario = (id, label, pick) => ({
    id,
    label,
    server: "official SDK",
    storage: "in-memory store",
    start: () => startOfficial(id),
    target: async ({ baseUrl }) => pick(await discoverTargets(baseUrl)),
  });
  return [
    scenario("off-card", "agent card GET", async (t) => t.card),
    scenario("off-send-rpc", "JSON-RPC SendMessage", async (t) => t.sendRpc),
    scenario("off-get-rpc", "JSON-RPC GetTask", async (t) => t.getRpc(await createTask(t))),
    scenario("off-send-rest", "REST POST /message:send", async (t) => t.sendRest),
  ];
}

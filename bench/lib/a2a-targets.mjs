// The A2A v1.0 requests measured on both the platform and the official SDK server.
import { probe } from "./load.mjs";

const JSON_HEADERS = { "content-type": "application/json", "a2a-version": "1.0" };

// `[<id>]` becomes a fresh id per request (autocannon idReplacement): every message is new.
const userMessage = { messageId: "[<id>]", role: "ROLE_USER", parts: [{ text: "hi" }] };

const completedTask = (wrapper) => (status, body) =>
  status < 300 && body.includes(wrapper) && body.includes('"TASK_STATE_COMPLETED"');

/**
 * @param {string} baseUrl
 * @param {{ jsonRpcPath?: string, restPrefix?: string, agentPath?: string }} [paths]  where the server mounts each
 *   binding, and the agent's own path (`/agents/orchestrator`) when it is not the root's
 */
export function a2aTargets(baseUrl, { jsonRpcPath = "/", restPrefix = "", agentPath = "" } = {}) {
  const rpc = (method, params) =>
    JSON.stringify({ jsonrpc: "2.0", id: 1, method, params });
  const jsonRpcUrl = `${baseUrl}${jsonRpcPath}`;
  return {
    jsonRpcUrl,
    card: {
      url: `${baseUrl}${agentPath}/.well-known/agent-card.json`,
      check: (status, body) => status < 300 && body.includes('"supportedInterfaces"'),
    },
    sendRpc: {
      url: jsonRpcUrl,
      method: "POST",
      headers: JSON_HEADERS,
      body: rpc("SendMessage", { message: userMessage }),
      check: completedTask('"result"'),
    },
    /** @param {string} taskId */
    getRpc: (taskId) => ({
      url: jsonRpcUrl,
      method: "POST",
      headers: JSON_HEADERS,
      body: rpc("GetTask", { id: taskId }),
      check: (status, body) => status < 300 && body.includes('"result"') && body.includes(taskId),
    }),
    sendRest: {
      url: `${baseUrl}${restPrefix}/message:send`,
      method: "POST",
      headers: JSON_HEADERS,
      body: JSON.stringify({ message: userMessage }),
      check: completedTask('"task"'),
    },
    /**
     * JSON-RPC SendMessage that returns the task at once (`returnImmediately`) and leaves it running in the
     * demo agent's slow mode: `metadata` is { demoDelayMs, demoChunks, demoIntervalMs }.
     * @param {Record<string, number>} metadata
     */
    sendSlowRpc: (metadata) => ({
      url: jsonRpcUrl,
      method: "POST",
      headers: JSON_HEADERS,
      body: rpc("SendMessage", {
        message: { ...userMessage, parts: [{ text: "bench" }], metadata },
        configuration: { returnImmediately: true },
      }),
      check: (status, body) => status < 300 && body.includes('"result"') && body.includes('"task"'),
    }),
    /** REST SubscribeToTask: a `text/event-stream` of the task's events, its snapshot first. */
    subscribe: (taskId) => ({
      url: `${baseUrl}${restPrefix}/tasks/${encodeURIComponent(taskId)}:subscribe`,
      method: "POST",
      headers: JSON_HEADERS,
      body: "{}",
    }),
  };
}

/**
 * The targets at the URLs the agent card advertises (its v1.0 JSONRPC and HTTP+JSON interfaces),
 * kept on `baseUrl`'s origin in case the card names a public host. `agentPath` reads a hosted agent's card
 * (`/agents/orchestrator`) instead of the root's.
 */
export async function discoverTargets(baseUrl, { agentPath = "" } = {}) {
  const card = await probe(a2aTargets(baseUrl, { agentPath }).card);
  const pathOf = (binding) => {
    const iface = card.supportedInterfaces?.find(
      (i) => i.protocolBinding === binding && String(i.protocolVersion ?? "").startsWith("1."),
    );
    if (!iface) throw new Error(`the agent card lists no v1.0 ${binding} interface: ${JSON.stringify(card.supportedInterfaces)}`);
    return new URL(iface.url).pathname.replace(/\/+$/, "");
  };
  const jsonRpcPath = pathOf("JSONRPC") || "/";
  return a2aTargets(baseUrl, { jsonRpcPath, restPrefix: pathOf("HTTP+JSON"), agentPath });
}

/** Creates a task with one JSON-RPC SendMessage, for GetTask to read back. */
export async function createTask(targets) {
  const response = await probe(targets.sendRpc);
  const id = response?.result?.task?.id;
  if (typeof id !== "string") throw new Error(`SendMessage returned no task id: ${JSON.stringify(response).slice(0, 300)}`);
  return id;
}

/** Starts a slow task (see `sendSlowRpc`) without waiting for it; returns its id. */
export async function createSlowTask(targets, metadata) {
  const response = await probe(targets.sendSlowRpc(metadata));
  const id = response?.result?.task?.id;
  if (typeof id !== "string") throw new Error(`SendMessage returned no task id: ${JSON.stringify(response).slice(0, 300)}`);
  return { id, state: response.result.task.status?.state };
}

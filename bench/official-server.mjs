// The comparison point: the official A2A JS SDK (@a2a-js/sdk) on Express, in-memory task store,
// an agent that completes every task at once. Usage: node bench/official-server.mjs [port]
// (port 0 or none = any free port). Prints one JSON line {"ready":true,"port":N} when listening.
// For bench/streaming.mjs it also has the platform demo agent's slow mode (message metadata `demoDelayMs`,
// `demoChunks`, `demoIntervalMs`: artifact chunks stamped with `committedAt` when published).
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import express from "express";
import { A2A_PROTOCOL_VERSION, AGENT_CARD_PATH, Role, TaskState } from "@a2a-js/sdk";
import { AgentEvent, DefaultRequestHandler, InMemoryTaskStore } from "@a2a-js/sdk/server";
import { UserBuilder, agentCardHandler, jsonRpcHandler, restHandler } from "@a2a-js/sdk/server/express";

const textPart = (text) => ({ content: { $case: "text", value: text }, metadata: undefined, filename: "", mediaType: "" });

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const bounded = (value, max) => (typeof value === "number" && Number.isFinite(value) ? Math.min(Math.max(0, Math.floor(value)), max) : 0);

/** The platform demo agent's slow mode: working, a delay, `chunks` artifact chunks `intervalMs` apart, completed. */
async function slowRun({ taskId, contextId }, eventBus, { delayMs, chunks, intervalMs }) {
  const status = (state) =>
    eventBus.publish(
      AgentEvent.statusUpdate({ taskId, contextId, status: { state, message: undefined, timestamp: new Date().toISOString() }, metadata: undefined }),
    );
  status(TaskState.TASK_STATE_WORKING);
  await sleep(delayMs);
  const artifactId = randomUUID();
  for (let i = 1; i <= chunks; i++) {
    if (i > 1) await sleep(intervalMs);
    const artifact = { artifactId, name: "output", description: "", parts: [textPart(`chunk-${i} `)], metadata: { committedAt: Date.now() }, extensions: [] };
    eventBus.publish(AgentEvent.artifactUpdate({ taskId, contextId, artifact, append: i > 1, lastChunk: i === chunks, metadata: undefined }));
  }
  status(TaskState.TASK_STATE_COMPLETED);
}

/** Answers every message by publishing the task, then a completed status carrying an agent message "ok". */
const okExecutor = {
  async execute(requestContext, eventBus) {
    const { taskId, contextId, userMessage } = requestContext;
    const timestamp = new Date().toISOString();
    const slow = userMessage.metadata?.demoChunks > 0;
    // The SDK wants a task (or message) event first on every call, follow-up turns included.
    eventBus.publish(
      AgentEvent.task(
        requestContext.task ?? {
          id: taskId,
          contextId,
          status: { state: TaskState.TASK_STATE_SUBMITTED, message: undefined, timestamp },
          artifacts: [],
          history: [userMessage],
          metadata: undefined,
        },
      ),
    );
    if (slow) {
      const { demoDelayMs, demoChunks, demoIntervalMs } = userMessage.metadata;
      return slowRun(requestContext, eventBus, {
        delayMs: bounded(demoDelayMs, 60_000),
        chunks: bounded(demoChunks, 1000),
        intervalMs: bounded(demoIntervalMs, 10_000),
      });
    }
    const reply = {
      messageId: randomUUID(),
      contextId,
      taskId,
      role: Role.ROLE_AGENT,
      parts: [textPart("ok")],
      metadata: undefined,
      extensions: [],
      referenceTaskIds: [],
    };
    eventBus.publish(
      AgentEvent.statusUpdate({
        taskId,
        contextId,
        status: { state: TaskState.TASK_STATE_COMPLETED, message: reply, timestamp },
        metadata: undefined,
      }),
    );
  },
  async cancelTask() {},
};

function agentCard(baseUrl) {
  const iface = (path, protocolBinding) => ({
    url: `${baseUrl}${path}`,
    protocolBinding,
    tenant: "",
    protocolVersion: A2A_PROTOCOL_VERSION,
  });
  return {
    name: "Official SDK bench agent",
    description: "@a2a-js/sdk DefaultRequestHandler with InMemoryTaskStore; completes every task with 'ok'.",
    supportedInterfaces: [iface("/", "JSONRPC"), iface("/rest", "HTTP+JSON")],
    provider: { organization: "bench", url: baseUrl },
    version: "1.0.0",
    capabilities: { streaming: true, pushNotifications: false, extensions: [] },
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ["text/plain"],
    defaultOutputModes: ["text/plain"],
    skills: [
      {
        id: "ok",
        name: "ok",
        description: "Replies ok.",
        tags: ["bench"],
        examples: [],
        inputModes: [],
        outputModes: [],
        securityRequirements: [],
      },
    ],
    signatures: [],
  };
}

export function createOfficialApp(baseUrl) {
  const requestHandler = new DefaultRequestHandler(agentCard(baseUrl), new InMemoryTaskStore(), okExecutor);
  const userBuilder = UserBuilder.noAuthentication;
  const app = express();
  app.use(`/${AGENT_CARD_PATH}`, agentCardHandler({ agentCardProvider: requestHandler }));
  app.use("/rest", restHandler({ requestHandler, userBuilder }));
  // Mounted last: its router parses every body that reaches it.
  app.use("/", jsonRpcHandler({ requestHandler, userBuilder }));
  return app;
}

const requested = Number(process.argv[2] ?? process.env.PORT ?? 0);
const host = "127.0.0.1";
// Listen first, then build the card: its interface URLs need the port actually bound.
const server = createServer();
server.listen(requested, host, () => {
  const { port } = server.address();
  server.on("request", createOfficialApp(`http://${host}:${port}`));
  process.stdout.write(`${JSON.stringify({ ready: true, port })}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));

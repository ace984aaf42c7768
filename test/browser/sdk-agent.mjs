// A third-party agent for the browser tests: the official A2A JS SDK (@a2a-js/sdk) on Express, in its own Node
// process, speaking A2A v1.0 over JSON-RPC. It allows any origin (CORS), as an agent meant for browsers must,
// and streams its answer: WORKING, then the reply as an artifact in word-sized chunks, then COMPLETED.
// Usage: node test/browser/sdk-agent.mjs  → prints {"ready":true,"port":N}.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import express from "express";
import { AGENT_CARD_PATH, A2A_PROTOCOL_VERSION, TaskState } from "@a2a-js/sdk";
import { AgentEvent, DefaultRequestHandler, InMemoryTaskStore } from "@a2a-js/sdk/server";
import { UserBuilder, agentCardHandler, jsonRpcHandler } from "@a2a-js/sdk/server/express";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const textPart = (text) => ({ content: { $case: "text", value: text }, metadata: undefined, filename: "", mediaType: "" });
const textOf = (message) => message.parts.map((part) => (part.content?.$case === "text" ? part.content.value : "")).join(" ");

const executor = {
  async execute({ taskId, contextId, userMessage, task }, eventBus) {
    const status = (state) =>
      eventBus.publish(AgentEvent.statusUpdate({ taskId, contextId, status: { state, message: undefined, timestamp: new Date().toISOString() }, metadata: undefined }));
    // The SDK wants the task first on every call.
    eventBus.publish(
      AgentEvent.task(task ?? { id: taskId, contextId, status: { state: TaskState.TASK_STATE_SUBMITTED, message: undefined, timestamp: new Date().toISOString() }, artifacts: [], history: [userMessage], metadata: undefined }),
    );
    status(TaskState.TASK_STATE_WORKING);
    const words = `Hello from the official SDK agent. You said: ${textOf(userMessage)}`.split(" ");
    const artifactId = randomUUID();
    for (const [i, word] of words.entries()) {
      await sleep(30);
      const artifact = { artifactId, name: "answer", description: "", parts: [textPart(i === 0 ? word : ` ${word}`)], metadata: undefined, extensions: [] };
      eventBus.publish(AgentEvent.artifactUpdate({ taskId, contextId, artifact, append: i > 0, lastChunk: i === words.length - 1, metadata: undefined }));
    }
    status(TaskState.TASK_STATE_COMPLETED);
  },
  async cancelTask() {},
};

function agentCard(baseUrl) {
  return {
    name: "SDK agent (third party)",
    description: "The official @a2a-js/sdk server with an in-memory store: streams its answer word by word.",
    supportedInterfaces: [{ url: `${baseUrl}/`, protocolBinding: "JSONRPC", tenant: "", protocolVersion: A2A_PROTOCOL_VERSION }],
    provider: { organization: "browser tests", url: baseUrl },
    version: "1.0.0",
    capabilities: { streaming: true, pushNotifications: false, extensions: [] },
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ["text/plain"],
    defaultOutputModes: ["text/plain"],
    skills: [{ id: "echo", name: "echo", description: "Answers with what it was told.", tags: ["test"], examples: [], inputModes: [], outputModes: [], securityRequirements: [] }],
    signatures: [],
  };
}

const server = createServer();
server.listen(Number(process.argv[2] ?? 0), "127.0.0.1", () => {
  const { port } = server.address();
  const baseUrl = `http://127.0.0.1:${port}`;
  const requestHandler = new DefaultRequestHandler(agentCard(baseUrl), new InMemoryTaskStore(), executor);
  const app = express();
  app.use((req, res, next) => {
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.setHeader("Access-Control-Allow-Headers", "Content-Type, A2A-Version, A2A-Extensions, Authorization, X-API-Key, Last-Event-ID");
    res.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    if (req.method === "OPTIONS") return res.sendStatus(204);
    next();
  });
  app.use(`/${AGENT_CARD_PATH}`, agentCardHandler({ agentCardProvider: requestHandler }));
  app.use("/", jsonRpcHandler({ requestHandler, userBuilder: UserBuilder.noAuthentication }));
  server.on("request", app);
  process.stdout.write(`${JSON.stringify({ ready: true, port })}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));

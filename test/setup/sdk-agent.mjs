// A downstream A2A agent for the agent-network tests, built on the official @a2a-js/sdk server (Express,
// DefaultRequestHandler, InMemoryTaskStore): code nobody here wrote answers every request. One process per
// agent, so a test can stop one mid-test (test/setup/sdk-agents.mjs starts and stops them).
//
//   node test/setup/sdk-agent.mjs '{"name":"billing","protocol":"1.0","port":0,"sign":"good"}'
//
// protocol "1.0": the SDK's v1.0 server. protocol "0.3": the SDK's v0.3 legacy mode (legacyCompat on every
// handler, only v0.3 interfaces on the card), with the card always served in the v0.3 shape, as a server from
// before v1.0 does whatever A2A-Version a client sends. sign "good": the SDK signs the card (jku = this
// server's /jwks.json); "bad": the card is altered after signing. Prints {"ready":true,"port":N} when listening.
//
// What the agent does, by the first text part of the message:
//   "ask …"   INPUT_REQUIRED ("What is your name?"); the follow-up completes with "Hello, <answer>".
//   "hang …"  WORKING, then nothing until CancelTask (each cancel is counted).
//   "fail …"  FAILED.
//   "slow …"  WORKING, then three artifact chunks 300 ms apart, then COMPLETED.
//   anything  WORKING, two artifact chunks (the second appended, lastChunk), COMPLETED "done: <text>".
// Data parts are echoed back as a data artifact. Every stream's bytes as written are kept for byte-for-byte
// comparison. Control: GET /_control/stats (messages received with their headers, cancels, last stream bytes).
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import express from "express";
import { exportJWK, generateKeyPair } from "jose";
import { AGENT_CARD_PATH, Role, TaskState, generateAgentCardSignature } from "@a2a-js/sdk";
import { AgentEvent, DefaultRequestHandler, InMemoryTaskStore } from "@a2a-js/sdk/server";
import { UserBuilder, agentCardHandler, jsonRpcHandler, restHandler } from "@a2a-js/sdk/server/express";

const options = JSON.parse(process.argv[2] ?? "{}");
const name = options.name ?? "sdk-agent";
const protocol = options.protocol === "0.3" ? "0.3" : "1.0";
const legacy = protocol === "0.3";

const stats = { messages: [], cancels: [], streams: [], cardFetches: 0 };
const sleep = (ms, signal) =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });

const textPart = (text) => ({ content: { $case: "text", value: text }, metadata: undefined, filename: "", mediaType: "" });
const dataPart = (value) => ({ content: { $case: "data", value }, metadata: undefined, filename: "", mediaType: "application/json" });
const agentMessage = (taskId, contextId, text) => ({
  messageId: randomUUID(),
  contextId,
  taskId,
  role: Role.ROLE_AGENT,
  parts: [textPart(text)],
  metadata: undefined,
  extensions: [],
  referenceTaskIds: [],
});

/** Runs that are waiting for a cancel, by task id. */
const running = new Map();

const executor = {
  async execute(requestContext, eventBus) {
    const { taskId, contextId, userMessage } = requestContext;
    const headers = requestContext.context.state.get("headers") ?? {};
    const text = userMessage.parts.find((p) => p.content?.$case === "text")?.content.value ?? "";
    const data = userMessage.parts.filter((p) => p.content?.$case === "data").map((p) => p.content.value);
    stats.messages.push({
      messageId: userMessage.messageId,
      taskId: userMessage.taskId,
      contextId: userMessage.contextId,
      referenceTaskIds: userMessage.referenceTaskIds,
      metadata: userMessage.metadata ?? null,
      text,
      headers: {
        traceparent: headers.traceparent ?? null,
        authorization: headers.authorization ?? null,
        "x-downstream-secret": headers["x-downstream-secret"] ?? null,
        "a2a-version": headers["a2a-version"] ?? null,
      },
    });
    const timestamp = () => new Date().toISOString();
    const status = (state, message) =>
      eventBus.publish(AgentEvent.statusUpdate({ taskId, contextId, status: { state, message, timestamp: timestamp() }, metadata: undefined }));
    const artifact = (artifactId, parts, append, lastChunk) =>
      eventBus.publish(
        AgentEvent.artifactUpdate({
          taskId,
          contextId,
          artifact: { artifactId, name: "answer", description: "", parts, metadata: undefined, extensions: [] },
          append,
          lastChunk,
          metadata: undefined,
        }),
      );
    // The SDK wants a task (or message) event first on every call, follow-up turns included.
    const previous = requestContext.task;
    eventBus.publish(
      AgentEvent.task(
        previous ?? {
          id: taskId,
          contextId,
          status: { state: TaskState.TASK_STATE_SUBMITTED, message: undefined, timestamp: timestamp() },
          artifacts: [],
          history: [userMessage],
          metadata: undefined,
        },
      ),
    );
    if (previous?.status?.state === TaskState.TASK_STATE_INPUT_REQUIRED) {
      status(TaskState.TASK_STATE_COMPLETED, agentMessage(taskId, contextId, `Hello, ${text}`));
      return;
    }
    if (text.startsWith("ask")) {
      status(TaskState.TASK_STATE_INPUT_REQUIRED, agentMessage(taskId, contextId, "What is your name?"));
      return;
    }
    if (text.startsWith("fail")) {
      status(TaskState.TASK_STATE_FAILED, agentMessage(taskId, contextId, "could not do it"));
      return;
    }
    status(TaskState.TASK_STATE_WORKING, agentMessage(taskId, contextId, `working on: ${text}`));
    if (text.startsWith("hang")) {
      const controller = new AbortController();
      running.set(taskId, controller);
      await sleep(120_000, controller.signal);
      running.delete(taskId);
      return;
    }
    const artifactId = randomUUID();
    if (text.startsWith("slow")) {
      for (let i = 1; i <= 3; i++) {
        await sleep(300);
        artifact(artifactId, [textPart(`slow-${i} `)], i > 1, i === 3);
      }
    } else if (data.length > 0) {
      artifact(artifactId, data.map(dataPart), false, true);
    } else {
      artifact(artifactId, [textPart(`${name}:`)], false, false);
      artifact(artifactId, [textPart(text)], true, true);
    }
    status(TaskState.TASK_STATE_COMPLETED, agentMessage(taskId, contextId, `done: ${text}`));
  },
  async cancelTask(taskId, eventBus) {
    stats.cancels.push(taskId);
    running.get(taskId)?.abort();
    eventBus.publish(
      AgentEvent.statusUpdate({
        taskId,
        contextId: "",
        status: { state: TaskState.TASK_STATE_CANCELED, message: undefined, timestamp: new Date().toISOString() },
        metadata: undefined,
      }),
    );
  },
};

const skills = (options.skills ?? [{ id: "echo", name: "Echo", description: `${name} echoes what it is sent.`, tags: ["echo"] }]).map((skill) => ({
  examples: [],
  inputModes: [],
  outputModes: [],
  securityRequirements: [],
  ...skill,
}));

function agentCard(baseUrl) {
  const iface = (path, protocolBinding) => ({ url: `${baseUrl}${path}`, protocolBinding, tenant: "", protocolVersion: protocol });
  return {
    name,
    description: options.description ?? `Official SDK agent ${name} (A2A ${protocol}).`,
    supportedInterfaces: [iface("/a2a/jsonrpc", "JSONRPC"), iface("/a2a/rest", "HTTP+JSON")],
    provider: { organization: "a2a-js tests", url: baseUrl },
    version: options.version ?? "1.2.3",
    capabilities: { streaming: options.streaming !== false, pushNotifications: false, extensions: [] },
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ["text/plain", "application/json"],
    defaultOutputModes: ["text/plain", "application/json"],
    skills,
    signatures: [],
  };
}

/** Keeps the bytes of every SSE response as written, for byte-for-byte comparison through the gateway. */
function recordStreams(req, res, next) {
  const chunks = [];
  const write = res.write.bind(res);
  const end = res.end.bind(res);
  const keep = (chunk) => {
    if (chunk && String(res.getHeader("content-type") ?? "").includes("text/event-stream")) chunks.push(Buffer.from(chunk));
  };
  res.write = (chunk, ...rest) => (keep(chunk), write(chunk, ...rest));
  res.end = (chunk, ...rest) => {
    keep(typeof chunk === "function" ? undefined : chunk);
    if (chunks.length > 0) stats.streams.push({ path: req.path, body: Buffer.concat(chunks).toString("utf8") });
    return end(chunk, ...rest);
  };
  next();
}

async function createApp(baseUrl) {
  const card = agentCard(baseUrl);
  let signer;
  let jwks = { keys: [] };
  if (options.sign) {
    const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
    const kid = `${name}-key`;
    jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" }] };
    const sign = generateAgentCardSignature(privateKey, { alg: "ES256", kid, typ: "JOSE", jku: `${baseUrl}/jwks.json` });
    // "bad": a signature that no longer matches what is served, as after tampering on the way.
    signer = options.sign === "bad" ? async (c) => ({ ...(await sign(c)), description: `${c.description} (altered)` }) : sign;
  }
  const requestHandler = new DefaultRequestHandler(card, new InMemoryTaskStore(), executor, undefined, undefined, undefined, undefined, signer);
  const userBuilder = UserBuilder.noAuthentication;
  const legacyCompat = legacy ? { legacyCompat: { enabled: true } } : {};
  const app = express();
  app.get("/_control/stats", (_req, res) => res.json(stats));
  app.get("/jwks.json", (_req, res) => res.json(jwks));
  app.use(`/${AGENT_CARD_PATH}`, (req, _res, next) => {
    stats.cardFetches += 1;
    // A server from before v1.0 answers its v0.3 card whatever version the client names.
    if (legacy) delete req.headers["a2a-version"];
    next();
  });
  app.use(`/${AGENT_CARD_PATH}`, agentCardHandler({ agentCardProvider: requestHandler, ...legacyCompat }));
  app.use(recordStreams);
  app.use("/a2a/rest", restHandler({ requestHandler, userBuilder, ...legacyCompat }));
  app.use("/a2a/jsonrpc", jsonRpcHandler({ requestHandler, userBuilder, ...legacyCompat }));
  return app;
}

const host = "127.0.0.1";
const server = createServer();
server.listen(Number(options.port ?? 0), host, async () => {
  const { port } = server.address();
  server.on("request", await createApp(`http://${host}:${port}`));
  process.stdout.write(`${JSON.stringify({ ready: true, port })}\n`);
});
// The test setup holds our stdin open; it closes when the setup's process ends, even by SIGKILL.
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});

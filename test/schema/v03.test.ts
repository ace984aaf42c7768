import { describe, expect, it } from "vitest";
import { methods, TASK_STATES, type AgentCard, type Part, type StreamResponse, type Task, type TaskState } from "../../schema/a2a";
import { toV03AgentCard } from "../../schema/v03/agent-card";
import { isFinalState, toV03StreamEvent, toV03WebhookBody, V03_WEBHOOK_CONTENT_TYPE } from "../../schema/v03/events";
import { fromV03Message, V03MessageSchema } from "../../schema/v03/message";
import { fromV03Part, toV03Part, V03PartSchema } from "../../schema/v03/part";
import { toV03ProtoSendResponse, toV03ProtoStreamResponse, toV03ProtoTask } from "../../schema/v03/proto";
import { fromV03ProtoCreatePushConfig, fromV03ProtoSendRequest, toV03ProtoAgentCard, V03ProtoAgentCardSchema, V03ProtoCreatePushConfigBodySchema, V03ProtoSendMessageRequestSchema } from "../../schema/v03/proto-requests";
import { fromV03SendParams, V03MessageSendParamsSchema } from "../../schema/v03/requests";
import { toV03Task } from "../../schema/v03/task";
import { validateV03, validateV03Loose } from "../helpers/wire-schema-v03";
import { validateWireStrict } from "../helpers/wire-schema";

const agentMessage = { messageId: "m-2", role: "ROLE_AGENT" as const, parts: [{ text: "done" }], contextId: "c-1", taskId: "t-1" };
const EVERY_PART: Part[] = [
  { text: "hello", metadata: { i: 1 } },
  { raw: btoa("bytes"), mediaType: "application/octet-stream", filename: "b.bin" },
  { url: "https://example.com/a.pdf", mediaType: "application/pdf" },
  { data: { k: 1 } },
  { data: [1, "two"] },
];
const task = (state: TaskState = "TASK_STATE_COMPLETED"): Task => ({
  id: "t-1",
  contextId: "c-1",
  status: { state, message: agentMessage, timestamp: "2026-01-01T00:00:00.000Z" },
  artifacts: [{ artifactId: "a-1", name: "out", parts: EVERY_PART, metadata: { x: true } }],
  history: [{ messageId: "m-1", role: "ROLE_USER", parts: EVERY_PART, contextId: "c-1", taskId: "t-1", extensions: ["urn:x"], referenceTaskIds: ["t-0"] }, agentMessage],
  metadata: { owner: "me" },
});

describe("the v0.3 validator itself (so the v0.3 checks cannot pass vacuously)", () => {
  it("accepts v0.3 objects and refuses v1.0 ones", () => {
    expect(validateV03("Task", { kind: "task", id: "t", contextId: "c", status: { state: "completed" } })).toEqual([]);
    expect(validateV03("Task", { id: "t", contextId: "c", status: { state: "TASK_STATE_COMPLETED" } })).not.toEqual([]);
    expect(validateV03("Message", { kind: "message", messageId: "m", role: "user", parts: [{ text: "hi" }] })).not.toEqual([]);
  });

  it("the strict variant also refuses fields v0.3 does not define, which the published schema lets through", () => {
    const leaky = { kind: "text", text: "hi", mediaType: "text/plain" };
    expect(validateV03Loose("TextPart", leaky)).toEqual([]);
    expect(validateV03("TextPart", leaky)).not.toEqual([]);
    expect(validateV03("TaskStatusUpdateEvent", { kind: "status-update", taskId: "t", contextId: "c", status: { state: "working" } })).not.toEqual([]); // no `final`
  });
});

describe("objects: v1.0 → v0.3 (REFERENCE §10)", () => {
  it.each(TASK_STATES)("a %s task validates as a v0.3 Task with the lowercase state", (state) => {
    const v03 = toV03Task(task(state));
    expect(validateV03("Task", v03)).toEqual([]);
    expect(v03.status.state).toBe(state.replace("TASK_STATE_", "").toLowerCase().replace("_", "-"));
  });

  it("parts: `kind` discriminators, files nested under `file`, non-object data wrapped the a2a-js way", () => {
    expect(EVERY_PART.map(toV03Part)).toEqual([
      { kind: "text", text: "hello", metadata: { i: 1 } },
      { kind: "file", file: { bytes: btoa("bytes"), mimeType: "application/octet-stream", name: "b.bin" } },
      { kind: "file", file: { uri: "https://example.com/a.pdf", mimeType: "application/pdf" } },
      { kind: "data", data: { k: 1 } },
      { kind: "data", data: { value: [1, "two"] }, metadata: { data_part_compat: true } },
    ]);
    for (const part of EVERY_PART.map(toV03Part)) expect(validateV03("Part", part)).toEqual([]);
  });

  it("parts: v0.3 → v1.0 → v0.3 is the identity, and the v1.0 side validates", () => {
    for (const part of EVERY_PART) {
      const v03 = toV03Part(part);
      const back = fromV03Part(V03PartSchema.parse(v03));
      expect(back).toEqual(part);
      expect(validateWireStrict("Part", back)).toEqual([]);
    }
  });

  it("a v0.3 message without `kind`s (as a2a-python 0.3 accepted) is read, and becomes a valid v1.0 message", () => {
    const message = fromV03Message(V03MessageSchema.parse({ messageId: "m", role: "user", parts: [{ text: "a" }, { file: { uri: "https://x/y" } }, { data: { k: 1 } }] }));
    expect(message).toEqual({ messageId: "m", role: "ROLE_USER", parts: [{ text: "a" }, { url: "https://x/y" }, { data: { k: 1 } }] });
    expect(validateWireStrict("Message", message)).toEqual([]);
  });

  it("message/send params: blocking becomes returnImmediately inverted; absent blocking blocks", () => {
    const params = (configuration?: object) => fromV03SendParams(V03MessageSendParamsSchema.parse({ message: { messageId: "m", role: "user", parts: [{ kind: "text", text: "x" }] }, configuration }));
    expect(params({ blocking: false }).configuration).toEqual({ returnImmediately: true });
    expect(params({ blocking: true, historyLength: 2, acceptedOutputModes: ["text/plain"] }).configuration).toEqual({ returnImmediately: false, historyLength: 2, acceptedOutputModes: ["text/plain"] });
    expect(params({ historyLength: 0 }).configuration).toEqual({ historyLength: 0 });
    expect(params().configuration).toBeUndefined();
    const inline = params({ pushNotificationConfig: { url: "https://h", token: "t", authentication: { schemes: ["Bearer", "Basic"], credentials: "c" } } });
    expect(inline.configuration?.taskPushNotificationConfig).toEqual({ url: "https://h", token: "t", authentication: { scheme: "Bearer", credentials: "c" } });
    expect(methods.SendMessage.params.safeParse(inline).success).toBe(true);
  });
});

describe("stream events and webhook bodies: `kind`, and `final` on the event a stream ends with", () => {
  const status = (state: TaskState): StreamResponse => ({ statusUpdate: { taskId: "t-1", contextId: "c-1", status: { state } } });

  it.each(TASK_STATES)("%s", (state) => {
    const event = toV03StreamEvent(status(state));
    expect(validateV03("TaskStatusUpdateEvent", event)).toEqual([]);
    const ends = ["TASK_STATE_COMPLETED", "TASK_STATE_FAILED", "TASK_STATE_CANCELED", "TASK_STATE_REJECTED", "TASK_STATE_INPUT_REQUIRED", "TASK_STATE_AUTH_REQUIRED"].includes(state);
    expect(event).toMatchObject({ kind: "status-update", final: ends });
    expect(isFinalState(state)).toBe(ends);
  });

  it("artifact updates, tasks and messages keep their v1.0 content in v0.3 form", () => {
    const artifact = toV03StreamEvent({ artifactUpdate: { taskId: "t-1", contextId: "c-1", artifact: { artifactId: "a", parts: [{ text: "x" }] }, append: true, lastChunk: true } });
    expect(artifact).toEqual({ kind: "artifact-update", taskId: "t-1", contextId: "c-1", append: true, lastChunk: true, artifact: { artifactId: "a", parts: [{ kind: "text", text: "x" }] } });
    expect(validateV03("TaskArtifactUpdateEvent", artifact)).toEqual([]);
    expect(validateV03("Task", toV03StreamEvent({ task: task() }))).toEqual([]);
    expect(validateV03("Message", toV03StreamEvent({ message: agentMessage }))).toEqual([]);
  });

  it("toV03WebhookBody: the event in its v0.3 shape, or the whole task when a snapshot is given", () => {
    expect(V03_WEBHOOK_CONTENT_TYPE).toBe("application/json");
    expect(toV03WebhookBody(status("TASK_STATE_COMPLETED"))).toMatchObject({ kind: "status-update", final: true, status: { state: "completed" } });
    const whole = toV03WebhookBody(status("TASK_STATE_COMPLETED"), task());
    expect(whole).toEqual(toV03Task(task()));
    expect(validateV03("Task", whole)).toEqual([]);
    expect(toV03WebhookBody({ message: agentMessage }, task())).toMatchObject({ kind: "message" });
  });
});

describe("the v0.3 card", () => {
  const card: AgentCard = {
    name: "n",
    description: "d",
    version: "1",
    iconUrl: "https://x/icon.png",
    supportedInterfaces: [
      { url: "https://x/a2a/jsonrpc", protocolBinding: "JSONRPC", protocolVersion: "1.0" },
      { url: "https://x/a2a/jsonrpc", protocolBinding: "JSONRPC", protocolVersion: "0.3" },
      { url: "https://x/a2a/rest", protocolBinding: "HTTP+JSON", protocolVersion: "0.3" },
    ],
    capabilities: { streaming: true, pushNotifications: false, extendedAgentCard: true },
    securitySchemes: {
      key: { apiKeySecurityScheme: { location: "header", name: "X-Key" } },
      bearer: { httpAuthSecurityScheme: { scheme: "Bearer", bearerFormat: "JWT", description: "jwt" } },
      oauth: { oauth2SecurityScheme: { flows: { authorizationCode: { authorizationUrl: "https://a", tokenUrl: "https://t", scopes: { read: "r" }, pkceRequired: true } } } },
      device: { oauth2SecurityScheme: { flows: { deviceCode: { deviceAuthorizationUrl: "https://d", tokenUrl: "https://t", scopes: {} } }, oauth2MetadataUrl: "https://m" } },
      oidc: { openIdConnectSecurityScheme: { openIdConnectUrl: "https://o" } },
      mtls: { mtlsSecurityScheme: {} },
    },
    securityRequirements: [{ schemes: { bearer: { list: [] }, oauth: { list: ["read"] } } }],
    defaultInputModes: ["text/plain"],
    defaultOutputModes: ["text/plain"],
    skills: [{ id: "s", name: "S", description: "sd", tags: ["t"], securityRequirements: [{ schemes: { key: { list: [] } } }] }],
    signatures: [{ protected: "p", signature: "s" }],
  };

  it("validates as a v0.3 AgentCard: url and interfaces from the 0.3 entries, OpenAPI-style schemes, no signatures", () => {
    const v03 = toV03AgentCard(card);
    expect(validateV03("AgentCard", v03)).toEqual([]);
    expect(v03).toMatchObject({
      protocolVersion: "0.3.0",
      url: "https://x/a2a/jsonrpc",
      preferredTransport: "JSONRPC",
      additionalInterfaces: [
        { url: "https://x/a2a/jsonrpc", transport: "JSONRPC" },
        { url: "https://x/a2a/rest", transport: "HTTP+JSON" },
      ],
      supportsAuthenticatedExtendedCard: true,
      security: [{ bearer: [], oauth: ["read"] }],
      securitySchemes: {
        key: { type: "apiKey", in: "header", name: "X-Key" },
        bearer: { type: "http", scheme: "Bearer", bearerFormat: "JWT", description: "jwt" },
        oauth: { type: "oauth2", flows: { authorizationCode: { authorizationUrl: "https://a", tokenUrl: "https://t", scopes: { read: "r" } } } },
        device: { type: "oauth2", flows: {}, oauth2MetadataUrl: "https://m" },
        oidc: { type: "openIdConnect", openIdConnectUrl: "https://o" },
        mtls: { type: "mutualTLS" },
      },
    });
    expect(v03.skills[0]!.security).toEqual([{ key: [] }]);
    expect(v03).not.toHaveProperty("signatures");
    expect(v03).not.toHaveProperty("supportedInterfaces");
  });

  it("the REST form (GET /v1/card) has the proto's one-member schemes and StringList requirements", () => {
    const proto = V03ProtoAgentCardSchema.parse(toV03ProtoAgentCard(toV03AgentCard(card)));
    expect(proto.securitySchemes?.key).toEqual({ apiKeySecurityScheme: { location: "header", name: "X-Key" } });
    expect(proto.security).toEqual([{ schemes: { bearer: { list: [] }, oauth: { list: ["read"] } } }]);
    expect(proto).not.toHaveProperty("iconUrl");
  });
});

describe("the v0.3 REST binding's ProtoJSON", () => {
  const message = { messageId: "m", role: "ROLE_USER", content: [{ text: "x" }, { file: { fileWithBytes: btoa("b"), mimeType: "text/plain" } }, { data: { data: { k: 1 } } }] };

  it("content → parts; absent blocking is false (proto3) once a configuration is sent; history length 0 is unlimited", () => {
    const read = (body: unknown) => fromV03ProtoSendRequest(V03ProtoSendMessageRequestSchema.parse(body));
    expect(read({ message }).message.parts).toEqual([{ text: "x" }, { raw: btoa("b"), mediaType: "text/plain" }, { data: { k: 1 } }]);
    expect(read({ message }).configuration).toBeUndefined();
    expect(read({ message, configuration: {} }).configuration).toEqual({ returnImmediately: true });
    expect(read({ message, configuration: { blocking: true, historyLength: 0 } }).configuration).toEqual({ returnImmediately: false });
    expect(read({ request: { ...message, context_id: "" }, configuration: { history_length: "3", blocking: true } })).toMatchObject({ message: { messageId: "m" }, configuration: { historyLength: 3 } });
    expect(() => read({ configuration: {} })).toThrow();
  });

  it("a canceled task is TASK_STATE_CANCELLED; messages carry `content`", () => {
    const proto = toV03ProtoTask(task("TASK_STATE_CANCELED"));
    expect(proto.status.state).toBe("TASK_STATE_CANCELLED");
    expect(proto.history?.[0]?.content[1]).toEqual({ file: { fileWithBytes: btoa("bytes"), mimeType: "application/octet-stream" } });
    expect(toV03ProtoSendResponse({ message: agentMessage })).toEqual({ message: { messageId: "m-2", contextId: "c-1", taskId: "t-1", role: "ROLE_AGENT", content: [{ text: "done" }] } });
    expect(toV03ProtoStreamResponse({ statusUpdate: { taskId: "t", contextId: "c", status: { state: "TASK_STATE_INPUT_REQUIRED" } } })).toEqual({
      statusUpdate: { taskId: "t", contextId: "c", status: { state: "TASK_STATE_INPUT_REQUIRED" }, final: true },
    });
  });

  it("the create body is read as the config (body: \"config\") or as the whole create request", () => {
    const config = { url: "https://h", authentication: { schemes: ["Bearer"] } };
    const asConfig = V03ProtoCreatePushConfigBodySchema.parse({ name: "tasks/t-1/pushNotificationConfigs/c", pushNotificationConfig: { ...config, id: "c" } });
    const asRequest = V03ProtoCreatePushConfigBodySchema.parse({ parent: "tasks/t-1", configId: "c", config: { pushNotificationConfig: config } });
    const expected = { id: "c", taskId: "t-1", url: "https://h", authentication: { scheme: "Bearer" } };
    expect(fromV03ProtoCreatePushConfig(asConfig, "t-1")).toEqual(expected);
    expect(fromV03ProtoCreatePushConfig(asRequest, "t-1")).toEqual(expected);
  });
});

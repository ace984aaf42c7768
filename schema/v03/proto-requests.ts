import { z } from "zod";
import {
  Int32Schema,
  protoObject,
  SecurityRequirementSchema,
  SecuritySchemeSchema,
  StructSchema,
  type SecurityRequirement,
  type SecurityScheme,
  type SendMessageRequest,
  type TaskPushNotificationConfig,
} from "../a2a";
import { V03AgentCardSchema, V03AgentSkillSchema, type V03AgentCard, type V03SecurityScheme } from "./agent-card";
import { fromV03ProtoMessage, V03ProtoMessageSchema } from "./proto";
import { fromV03PushConfig } from "./push";

/** The request and config messages of the v0.3 REST binding (ProtoJSON of v0.3/a2a.proto), and their v1.0 forms. */

export const V03ProtoPushNotificationConfigSchema = protoObject({
  id: z.string().optional(),
  url: z.string(),
  token: z.string().optional(),
  authentication: protoObject({ schemes: z.array(z.string()), credentials: z.string().optional() }).optional(),
});
export type V03ProtoPushNotificationConfig = z.infer<typeof V03ProtoPushNotificationConfigSchema>;

/** `name` is `tasks/{taskId}/pushNotificationConfigs/{configId}`. */
export const V03ProtoTaskPushNotificationConfigSchema = protoObject({
  name: z.string().optional(),
  pushNotificationConfig: V03ProtoPushNotificationConfigSchema,
});
export type V03ProtoTaskPushNotificationConfig = z.infer<typeof V03ProtoTaskPushNotificationConfigSchema>;

/**
 * The create body: the proto annotation says `body: "config"` (the TaskPushNotificationConfig), but some
 * clients post the whole CreateTaskPushNotificationConfigRequest `{parent, configId, config}`; both are read.
 */
export const V03ProtoCreatePushConfigBodySchema = protoObject({
  name: z.string().optional(),
  pushNotificationConfig: V03ProtoPushNotificationConfigSchema.optional(),
  configId: z.string().optional(),
  config: V03ProtoTaskPushNotificationConfigSchema.optional(),
}).refine((body) => Boolean(body.pushNotificationConfig ?? body.config), { message: "pushNotificationConfig is required", path: ["pushNotificationConfig"] });
export type V03ProtoCreatePushConfigBody = z.infer<typeof V03ProtoCreatePushConfigBodySchema>;

export function fromV03ProtoCreatePushConfig(body: V03ProtoCreatePushConfigBody, taskId: string): TaskPushNotificationConfig {
  return fromV03ProtoPushConfig((body.pushNotificationConfig ?? body.config?.pushNotificationConfig)!, taskId, body.configId);
}

export function fromV03ProtoPushConfig(config: V03ProtoPushNotificationConfig, taskId?: string, configId?: string): TaskPushNotificationConfig {
  const { authentication, id, token, url } = config;
  return fromV03PushConfig(
    {
      url,
      ...(id || configId ? { id: id || configId } : {}),
      ...(token ? { token } : {}),
      ...(authentication ? { authentication: { schemes: authentication.schemes, ...(authentication.credentials ? { credentials: authentication.credentials } : {}) } } : {}),
    },
    taskId,
  );
}

export function toV03ProtoTaskPushConfig(config: TaskPushNotificationConfig): V03ProtoTaskPushNotificationConfig {
  const { authentication, id, taskId, token, url } = config;
  return {
    name: `tasks/${taskId ?? ""}/pushNotificationConfigs/${id ?? ""}`,
    pushNotificationConfig: {
      ...(id ? { id } : {}),
      url,
      ...(token ? { token } : {}),
      ...(authentication ? { authentication: { schemes: [authentication.scheme], ...(authentication.credentials ? { credentials: authentication.credentials } : {}) } } : {}),
    },
  };
}

/** The proto field is `request`, written `message` in JSON (json_name); ProtoJSON readers take either. */
export const V03ProtoSendMessageRequestSchema = protoObject({
  message: V03ProtoMessageSchema.optional(),
  request: V03ProtoMessageSchema.optional(),
  configuration: protoObject({
    acceptedOutputModes: z.array(z.string()).optional(),
    pushNotification: V03ProtoPushNotificationConfigSchema.optional(),
    historyLength: Int32Schema.optional(),
    blocking: z.boolean().optional(),
  }).optional(),
  metadata: StructSchema.optional(),
}).refine((request) => Boolean(request.message ?? request.request), { message: "message is required", path: ["message"] });
export type V03ProtoSendMessageRequest = z.infer<typeof V03ProtoSendMessageRequestSchema>;

/**
 * In proto3 `blocking` and `history_length` have no presence: an absent `blocking` is false (return at once,
 * as the a2a-js and a2a-python v0.3 REST clients mean by leaving it out), and a history length of 0 is
 * "unlimited" by the v0.3 proto's own comment. With no `configuration` at all the call blocks, as in v1.0.
 */
export function fromV03ProtoSendRequest(request: V03ProtoSendMessageRequest): SendMessageRequest {
  const config = request.configuration;
  const configuration = config && {
    ...(config.acceptedOutputModes?.length ? { acceptedOutputModes: config.acceptedOutputModes } : {}),
    returnImmediately: !(config.blocking ?? false),
    ...(config.historyLength ? { historyLength: config.historyLength } : {}),
    ...(config.pushNotification ? { taskPushNotificationConfig: fromV03ProtoPushConfig(config.pushNotification) } : {}),
  };
  return {
    message: fromV03ProtoMessage((request.message ?? request.request)!),
    ...(configuration ? { configuration } : {}),
    ...(request.metadata ? { metadata: request.metadata } : {}),
  };
}

/** The v0.3 card as its REST binding serves it (`GET /v1/card`): proto one-member security schemes, no iconUrl. */
export const V03ProtoAgentCardSchema = V03AgentCardSchema.omit({ iconUrl: true, securitySchemes: true, security: true, skills: true }).extend({
  securitySchemes: z.record(z.string(), SecuritySchemeSchema).optional(),
  security: z.array(SecurityRequirementSchema).optional(),
  skills: z.array(V03AgentSkillSchema.omit({ security: true }).extend({ security: z.array(SecurityRequirementSchema).optional() })),
});
export type V03ProtoAgentCard = z.infer<typeof V03ProtoAgentCardSchema>;

type OAuthFlows = Extract<SecurityScheme, { oauth2SecurityScheme: unknown }>["oauth2SecurityScheme"]["flows"];

const toProtoRequirement = (requirement: Record<string, string[]>): SecurityRequirement => ({
  schemes: Object.fromEntries(Object.entries(requirement).map(([name, list]) => [name, { list }])),
});

function toProtoScheme(scheme: V03SecurityScheme): SecurityScheme {
  const described = scheme.description ? { description: scheme.description } : {};
  switch (scheme.type) {
    case "apiKey":
      return { apiKeySecurityScheme: { ...described, location: scheme.in, name: scheme.name } };
    case "http":
      return { httpAuthSecurityScheme: { ...described, scheme: scheme.scheme, ...(scheme.bearerFormat ? { bearerFormat: scheme.bearerFormat } : {}) } };
    case "oauth2": {
      // The v0.3 proto's OAuthFlows is a oneof: the first flow the JSON form lists.
      const [name, flow] = Object.entries(scheme.flows).find(([, value]) => value !== undefined) ?? ["clientCredentials", { tokenUrl: "", scopes: {} }];
      const flows = { [name]: flow } as OAuthFlows;
      return { oauth2SecurityScheme: { ...described, flows, ...(scheme.oauth2MetadataUrl ? { oauth2MetadataUrl: scheme.oauth2MetadataUrl } : {}) } };
    }
    case "openIdConnect":
      return { openIdConnectSecurityScheme: { ...described, openIdConnectUrl: scheme.openIdConnectUrl } };
    case "mutualTLS":
      return { mtlsSecurityScheme: described };
  }
}

export function toV03ProtoAgentCard(card: V03AgentCard): V03ProtoAgentCard {
  const { iconUrl: _icon, securitySchemes, security, skills, ...rest } = card;
  return {
    ...rest,
    ...(securitySchemes ? { securitySchemes: Object.fromEntries(Object.entries(securitySchemes).map(([k, v]) => [k, toProtoScheme(v)])) } : {}),
    ...(security ? { security: security.map(toProtoRequirement) } : {}),
    skills: skills.map(({ security: skillSecurity, ...skill }) => ({ ...skill, ...(skillSecurity ? { security: skillSecurity.map(toProtoRequirement) } : {}) })),
  };
}

import { z } from "zod";
import { StructSchema } from "./common";

const Scopes = z.record(z.string(), z.string());

export const OAuthFlowsSchema = z.union([
  z.strictObject({
    authorizationCode: z.object({
      authorizationUrl: z.string(),
      tokenUrl: z.string(),
      refreshUrl: z.string().optional(),
      scopes: Scopes,
      pkceRequired: z.boolean().optional(),
    }),
  }),
  z.strictObject({ clientCredentials: z.object({ tokenUrl: z.string(), refreshUrl: z.string().optional(), scopes: Scopes }) }),
  z.strictObject({
    deviceCode: z.object({
      deviceAuthorizationUrl: z.string(),
      tokenUrl: z.string(),
      refreshUrl: z.string().optional(),
      scopes: Scopes,
    }),
  }),
  z.strictObject({
    implicit: z.object({ authorizationUrl: z.string().optional(), refreshUrl: z.string().optional(), scopes: Scopes.optional() }),
  }),
  z.strictObject({
    password: z.object({ tokenUrl: z.string().optional(), refreshUrl: z.string().optional(), scopes: Scopes.optional() }),
  }),
]);

/** SecurityScheme: a one-member wrapper naming the kind of scheme. */
export const SecuritySchemeSchema = z.union([
  z.strictObject({
    apiKeySecurityScheme: z.object({
      description: z.string().optional(),
      location: z.enum(["query", "header", "cookie"]),
      name: z.string(),
    }),
  }),
  z.strictObject({
    httpAuthSecurityScheme: z.object({
      description: z.string().optional(),
      scheme: z.string(),
      bearerFormat: z.string().optional(),
    }),
  }),
  z.strictObject({
    oauth2SecurityScheme: z.object({
      description: z.string().optional(),
      flows: OAuthFlowsSchema,
      oauth2MetadataUrl: z.string().optional(),
    }),
  }),
  z.strictObject({
    openIdConnectSecurityScheme: z.object({ description: z.string().optional(), openIdConnectUrl: z.string() }),
  }),
  z.strictObject({ mtlsSecurityScheme: z.object({ description: z.string().optional() }) }),
]);
export type SecurityScheme = z.infer<typeof SecuritySchemeSchema>;

/** `{"schemes":{"bearer":{"list":["scope"]}}}`: each value is a StringList object, not a bare array. */
export const SecurityRequirementSchema = z.object({
  schemes: z.record(z.string(), z.object({ list: z.array(z.string()) })),
});
export type SecurityRequirement = z.infer<typeof SecurityRequirementSchema>;

export const AgentInterfaceSchema = z.object({
  url: z.string(),
  protocolBinding: z.string(),
  tenant: z.string().optional(),
  protocolVersion: z.string(),
});
export type AgentInterface = z.infer<typeof AgentInterfaceSchema>;

export const AgentExtensionSchema = z.object({
  uri: z.string(),
  description: z.string().optional(),
  required: z.boolean().optional(),
  params: StructSchema.optional(),
});

export const AgentCapabilitiesSchema = z.object({
  streaming: z.boolean().optional(),
  pushNotifications: z.boolean().optional(),
  extensions: z.array(AgentExtensionSchema).optional(),
  extendedAgentCard: z.boolean().optional(),
});
export type AgentCapabilities = z.infer<typeof AgentCapabilitiesSchema>;

export const AgentSkillSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  examples: z.array(z.string()).optional(),
  inputModes: z.array(z.string()).optional(),
  outputModes: z.array(z.string()).optional(),
  securityRequirements: z.array(SecurityRequirementSchema).optional(),
});
export type AgentSkill = z.infer<typeof AgentSkillSchema>;

export const AgentCardSignatureSchema = z.object({
  protected: z.string(),
  signature: z.string(),
  header: StructSchema.optional(),
});

export const AgentCardSchema = z.object({
  name: z.string(),
  description: z.string(),
  supportedInterfaces: z.array(AgentInterfaceSchema).min(1),
  provider: z.object({ url: z.string(), organization: z.string() }).optional(),
  version: z.string(),
  documentationUrl: z.string().optional(),
  capabilities: AgentCapabilitiesSchema,
  securitySchemes: z.record(z.string(), SecuritySchemeSchema).optional(),
  securityRequirements: z.array(SecurityRequirementSchema).optional(),
  defaultInputModes: z.array(z.string()).min(1),
  defaultOutputModes: z.array(z.string()).min(1),
  skills: z.array(AgentSkillSchema),
  signatures: z.array(AgentCardSignatureSchema).optional(),
  iconUrl: z.string().optional(),
});
export type AgentCard = z.infer<typeof AgentCardSchema>;

import { z } from "zod";
import { AgentSkillSchema, StructSchema, type AgentCard, type SecurityRequirement, type SecurityScheme } from "../a2a";

const Description = { description: z.string().optional() };
const Scopes = z.record(z.string(), z.string());

export const V03OAuthFlowsSchema = z.object({
  authorizationCode: z.object({ authorizationUrl: z.string(), tokenUrl: z.string(), refreshUrl: z.string().optional(), scopes: Scopes }).optional(),
  clientCredentials: z.object({ tokenUrl: z.string(), refreshUrl: z.string().optional(), scopes: Scopes }).optional(),
  implicit: z.object({ authorizationUrl: z.string(), refreshUrl: z.string().optional(), scopes: Scopes }).optional(),
  password: z.object({ tokenUrl: z.string(), refreshUrl: z.string().optional(), scopes: Scopes }).optional(),
});

/** v0.3 security schemes are OpenAPI-style objects told apart by `type` (v1.0 uses one-member wrappers). */
export const V03SecuritySchemeSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("apiKey"), in: z.enum(["query", "header", "cookie"]), name: z.string(), ...Description }),
  z.object({ type: z.literal("http"), scheme: z.string(), bearerFormat: z.string().optional(), ...Description }),
  z.object({ type: z.literal("oauth2"), flows: V03OAuthFlowsSchema, oauth2MetadataUrl: z.string().optional(), ...Description }),
  z.object({ type: z.literal("openIdConnect"), openIdConnectUrl: z.string(), ...Description }),
  z.object({ type: z.literal("mutualTLS"), ...Description }),
]);
export type V03SecurityScheme = z.infer<typeof V03SecuritySchemeSchema>;

/** `{schemeName: [scopes]}`: a bare array per scheme (v1.0 wraps it as `{schemes:{name:{list}}}`). */
export const V03SecurityRequirementSchema = z.record(z.string(), z.array(z.string()));

/** The v1.0 skill, but with v0.3's `security` in place of `securityRequirements`. */
export const V03AgentSkillSchema = AgentSkillSchema.omit({ securityRequirements: true }).extend({
  security: z.array(V03SecurityRequirementSchema).optional(),
});

export const V03AgentInterfaceSchema = z.object({ url: z.string(), transport: z.string() });

export const V03AgentCardSchema = z.object({
  protocolVersion: z.string(),
  name: z.string(),
  description: z.string(),
  url: z.string(),
  preferredTransport: z.string().optional(),
  additionalInterfaces: z.array(V03AgentInterfaceSchema).optional(),
  provider: z.object({ organization: z.string(), url: z.string() }).optional(),
  version: z.string(),
  documentationUrl: z.string().optional(),
  iconUrl: z.string().optional(),
  capabilities: z.object({
    streaming: z.boolean().optional(),
    pushNotifications: z.boolean().optional(),
    extensions: z.array(z.object({ uri: z.string(), description: z.string().optional(), required: z.boolean().optional(), params: StructSchema.optional() })).optional(),
  }),
  securitySchemes: z.record(z.string(), V03SecuritySchemeSchema).optional(),
  security: z.array(V03SecurityRequirementSchema).optional(),
  defaultInputModes: z.array(z.string()),
  defaultOutputModes: z.array(z.string()),
  skills: z.array(V03AgentSkillSchema),
  supportsAuthenticatedExtendedCard: z.boolean().optional(),
});
export type V03AgentCard = z.infer<typeof V03AgentCardSchema>;

/** What a v0.3 card says in `protocolVersion` (the v0.3 schema's default, Major.Minor.Patch as v0.3 wrote it). */
export const V03_CARD_PROTOCOL_VERSION = "0.3.0";

const described = (scheme: { description?: string | undefined }) => (scheme.description ? { description: scheme.description } : {});

/** v1.0 → v0.3. v0.3 has no device-code flow (nor PKCE flag): such flows are left out. */
export function toV03SecurityScheme(scheme: SecurityScheme): V03SecurityScheme {
  if ("apiKeySecurityScheme" in scheme) {
    const { location, name } = scheme.apiKeySecurityScheme;
    return { type: "apiKey", in: location, name, ...described(scheme.apiKeySecurityScheme) };
  }
  if ("httpAuthSecurityScheme" in scheme) {
    const { scheme: name, bearerFormat } = scheme.httpAuthSecurityScheme;
    return { type: "http", scheme: name, ...(bearerFormat ? { bearerFormat } : {}), ...described(scheme.httpAuthSecurityScheme) };
  }
  if ("oauth2SecurityScheme" in scheme) {
    const { flows, oauth2MetadataUrl } = scheme.oauth2SecurityScheme;
    const v03Flows: z.infer<typeof V03OAuthFlowsSchema> = {};
    if ("authorizationCode" in flows) {
      const { pkceRequired: _pkce, ...flow } = flows.authorizationCode;
      v03Flows.authorizationCode = flow;
    } else if ("clientCredentials" in flows) v03Flows.clientCredentials = flows.clientCredentials;
    else if ("implicit" in flows) v03Flows.implicit = { ...flows.implicit, authorizationUrl: flows.implicit.authorizationUrl ?? "", scopes: flows.implicit.scopes ?? {} };
    else if ("password" in flows) v03Flows.password = { ...flows.password, tokenUrl: flows.password.tokenUrl ?? "", scopes: flows.password.scopes ?? {} };
    return { type: "oauth2", flows: v03Flows, ...(oauth2MetadataUrl ? { oauth2MetadataUrl } : {}), ...described(scheme.oauth2SecurityScheme) };
  }
  if ("openIdConnectSecurityScheme" in scheme) {
    return { type: "openIdConnect", openIdConnectUrl: scheme.openIdConnectSecurityScheme.openIdConnectUrl, ...described(scheme.openIdConnectSecurityScheme) };
  }
  return { type: "mutualTLS", ...described(scheme.mtlsSecurityScheme) };
}

export const toV03SecurityRequirement = (requirement: SecurityRequirement) =>
  Object.fromEntries(Object.entries(requirement.schemes).map(([name, scopes]) => [name, scopes.list]));

/**
 * The v0.3 card for a v1.0 card: its interfaces declared `protocolVersion` 0.3 become `url` (the first, so the
 * preferred one) and `additionalInterfaces` (all of them, as v0.3 recommends). Signatures are left out: a v1.0
 * card's JWS does not cover this document.
 */
export function toV03AgentCard(card: AgentCard): V03AgentCard {
  const interfaces = card.supportedInterfaces.filter((i) => i.protocolVersion.startsWith("0.3"));
  const primary = interfaces[0];
  if (!primary) throw new Error("the agent card declares no protocolVersion 0.3 interface");
  const { streaming, pushNotifications, extensions, extendedAgentCard } = card.capabilities;
  return {
    protocolVersion: V03_CARD_PROTOCOL_VERSION,
    name: card.name,
    description: card.description,
    url: primary.url,
    preferredTransport: primary.protocolBinding,
    additionalInterfaces: interfaces.map((i) => ({ url: i.url, transport: i.protocolBinding })),
    ...(card.provider ? { provider: card.provider } : {}),
    version: card.version,
    ...(card.documentationUrl ? { documentationUrl: card.documentationUrl } : {}),
    ...(card.iconUrl ? { iconUrl: card.iconUrl } : {}),
    capabilities: {
      ...(streaming !== undefined ? { streaming } : {}),
      ...(pushNotifications !== undefined ? { pushNotifications } : {}),
      ...(extensions?.length ? { extensions } : {}),
    },
    ...(card.securitySchemes ? { securitySchemes: Object.fromEntries(Object.entries(card.securitySchemes).map(([k, v]) => [k, toV03SecurityScheme(v)])) } : {}),
    ...(card.securityRequirements?.length ? { security: card.securityRequirements.map(toV03SecurityRequirement) } : {}),
    defaultInputModes: card.defaultInputModes,
    defaultOutputModes: card.defaultOutputModes,
    skills: card.skills.map(({ securityRequirements, ...skill }) => ({ ...skill, ...(securityRequirements?.length ? { security: securityRequirements.map(toV03SecurityRequirement) } : {}) })),
    ...(extendedAgentCard !== undefined ? { supportsAuthenticatedExtendedCard: extendedAgentCard } : {}),
  };
}

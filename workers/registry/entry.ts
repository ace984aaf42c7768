import { z } from "zod";
import { RoleSchema } from "../auth/identity";

/** An agent id is a path segment (`/agents/{id}/`) and a tool enum value: lowercase, digits, dashes. */
export const AgentIdSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, "must be 1-64 lowercase letters, digits or dashes, starting and ending with a letter or digit");

/**
 * Only secrets named `AGENT_SECRET_*` can be sent downstream: an admin who registers an agent must not be able
 * to make the platform send it `DATABASE_URL` or `SIGNING_KEYS`.
 */
export const SecretNameSchema = z.string().regex(/^AGENT_SECRET_[A-Z0-9_]{1,64}$/, "must name a secret AGENT_SECRET_<NAME>");

/** Header names the platform sets itself, or that would change how the request is framed. */
const RESERVED_HEADERS = new Set(["host", "content-type", "content-length", "transfer-encoding", "connection", "a2a-version", "traceparent", "cookie"]);

const HeaderNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/, "must be an HTTP header name")
  .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()), "is a header the platform sets itself");

/**
 * How calls to the agent authenticate (docs/agent-network.md): nothing; a static header whose value is a
 * secret; the caller's own bearer token (trusted agents only); or a short-lived JWT the platform signs with
 * `SIGNING_KEYS`, naming the caller and role, audience the agent.
 */
export const CredentialsSchema = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("none") }),
  z.strictObject({
    mode: z.literal("header"),
    header: HeaderNameSchema.default("Authorization"),
    /** Prepended to the secret with a space, e.g. "Bearer". */
    scheme: z.string().regex(/^[A-Za-z0-9-]{1,32}$/).optional(),
    secret: SecretNameSchema,
  }),
  z.strictObject({ mode: z.literal("forward") }),
  z.strictObject({
    mode: z.literal("jwt"),
    /** Default: the agent's base URL (its card URL without /.well-known/agent-card.json). */
    audience: z.string().min(1).max(512).optional(),
    ttlSeconds: z.number().int().min(30).max(3600).default(300),
  }),
]);
export type Credentials = z.infer<typeof CredentialsSchema>;

export const LimitsSchema = z.strictObject({
  /** One call's time limit, retries included. */
  timeoutMs: z.number().int().min(1000).max(900_000).default(120_000),
  /** Attempts after the first on connection errors, timeouts, 429 and 502-504. */
  retries: z.number().int().min(0).max(5).default(2),
});
export type Limits = z.infer<typeof LimitsSchema>;

const CardUrlSchema = z
  .string()
  .max(2048)
  .refine((value) => URL.canParse(value), "must be an absolute URL");

/** Public keys pinned for the agent's card signatures: a JWKS. Private members are refused. */
const PinnedKeysSchema = z.strictObject({
  keys: z
    .array(z.looseObject({ kty: z.string(), kid: z.string().min(1).max(128) }).refine((key) => !("d" in key), "holds a private key: pin public keys only"))
    .min(1)
    .max(16),
});

const RolesSchema = z.array(z.union([z.literal("*"), RoleSchema])).min(1).max(64);

/** An agent entry as the admin API and the `AGENTS` variable give it. */
export const AgentEntrySchema = z.strictObject({
  id: AgentIdSchema,
  /** Card URLs, one per replica (`…/.well-known/agent-card.json`). */
  replicas: z.array(CardUrlSchema).min(1).max(16),
  roles: RolesSchema.default(["*"]),
  credentials: CredentialsSchema.default({ mode: "none" }),
  limits: LimitsSchema.default({ timeoutMs: 120_000, retries: 2 }),
  trusted: z.boolean().default(false),
  gateway: z.boolean().default(false),
  requireSignature: z.boolean().default(false),
  keys: PinnedKeysSchema.optional(),
});
export type AgentEntryInput = z.input<typeof AgentEntrySchema>;
export type AgentEntry = z.infer<typeof AgentEntrySchema>;

/** What `AGENTS` may say about a hosted agent: who may use it and how calls to it authenticate, never where it is. */
export const HostedOverrideSchema = z.strictObject({
  id: AgentIdSchema,
  roles: RolesSchema.optional(),
  credentials: CredentialsSchema.optional(),
  limits: LimitsSchema.optional(),
});

export type Source = "config" | "admin" | "hosted";

/** An entry as stored: the input's fields, where it came from, and each replica's card and health. */
export interface RegisteredAgent extends AgentEntry {
  source: Source;
  updatedAt: string;
  replicaStates: ReplicaState[];
}

export type HealthState = "unknown" | "healthy" | "unhealthy";

export interface Binding {
  url: string;
  /** "JSONRPC", "HTTP+JSON", "GRPC" or a URI. */
  binding: string;
  /** "1.0" or "0.3". */
  version: string;
}

export interface SkillSummary {
  id: string;
  name: string;
  description: string;
  tags: string[];
  examples: string[];
}

/** One replica: its card as last accepted, what the card says, and its health. */
export interface ReplicaState {
  cardUrl: string;
  card: Record<string, unknown> | null;
  etag: string | null;
  expiresAt: string | null;
  fetchedAt: string | null;
  protocolVersions: string[];
  cardShape: "1.0" | "0.3" | null;
  bindings: Binding[];
  skills: SkillSummary[];
  streaming: boolean;
  signature: "unsigned" | "verified" | "refused" | null;
  signatureKid: string | null;
  cardError: string | null;
  state: HealthState;
  consecutiveFailures: number;
  latencyMs: number | null;
  lastProbeAt: string | null;
  lastError: string | null;
}

/** Whether `role` may use an agent allowed to `roles`. */
export const roleAllowed = (roles: readonly string[], role: string) => roles.includes("*") || roles.includes(role);

/** The agent's base URL: its card URL without the well-known suffix (the default JWT audience). */
export const agentBaseUrl = (cardUrl: string) => cardUrl.replace(/\/\.well-known\/agent-card\.json$/, "").replace(/\/+$/, "");

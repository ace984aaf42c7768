// Bindings that `wrangler types` cannot see: secrets set with `wrangler secret put`, and settings that only
// local development and tests pass (never in wrangler.toml's [vars], which are deployed).
interface PlatformSecrets {
  /** Neon (or any Postgres) connection string: `wrangler secret put DATABASE_URL`. */
  DATABASE_URL?: string;
  /** Local development and tests only: the Neon SQL-over-HTTP stand-in (scripts/local-db). */
  NEON_FETCH_ENDPOINT?: string;
  /** Public origin for the agent card's URLs when behind a proxy, e.g. https://agent.example.com. */
  PUBLIC_URL?: string;
  /** How many index writers share the Postgres writes of all tasks (durable-objects/index-writer.ts); default 4. */
  INDEX_WRITERS?: string;
  /** Which hosted agent (durable-objects/agents) is served at the root; default "orchestrator". */
  AGENT?: string;
  /** The root card's name instead of the root agent's own. */
  AGENT_NAME?: string;
  /** The root card's description instead of the root agent's own. */
  AGENT_DESCRIPTION?: string;
  /** The largest request body read, in bytes (413 beyond); default 1 MiB. */
  MAX_BODY_BYTES?: string;
  /** Milliseconds between SSE keep-alive comments (Cloudflare's edge drops a stream idle for ~100 s); default 25000. */
  SSE_KEEPALIVE_MS?: string;
  /** Bytes a slow stream consumer may fall behind before it is dropped (it resumes with Last-Event-ID); default 1 MiB. */
  SSE_MAX_BUFFERED_BYTES?: string;
  /** "false" turns push notifications off (the card says so and the push methods answer -32003). */
  PUSH_NOTIFICATIONS?: string;
  /**
   * Webhook URLs let past the SSRF guard, comma-separated (`http://127.0.0.1:*` for local development and
   * conformance runs). Off by default; see durable-objects/push/allow-list.ts.
   */
  PUSH_ALLOWED_URLS?: string;
  AGENT_DOCUMENTATION_URL?: string;
  /**
   * "off" turns the [[ratelimits]] of wrangler.toml off, for local load tests, fuzz runs and conformance kits
   * (`npm run dev -- --var RATE_LIMITS:off`). Unset, or anything else: limited as deployed.
   */
  RATE_LIMITS?: string;
  /** "true" serves callers without credentials as owner `anonymous`. Only the dev script sets it. */
  ALLOW_ANONYMOUS?: string;
  /** Bearer JWTs: keys from a JWKS URL, a public key (JWK or PEM) and/or an HS256 secret. */
  AUTH_JWKS_URL?: string;
  AUTH_JWT_PUBLIC_KEY?: string;
  AUTH_JWT_SECRET?: string;
  /** Required with any JWT key: tokens for another audience are refused. */
  AUTH_AUDIENCE?: string;
  AUTH_ISSUER?: string;
  AUTH_CLOCK_SKEW_SECONDS?: string;
  /** Claim names: owner (default `sub`), tenant and role (unset: tokens carry none). */
  AUTH_OWNER_CLAIM?: string;
  AUTH_TENANT_CLAIM?: string;
  AUTH_ROLE_CLAIM?: string;
  /** JSON array of `{ sha256, owner, tenant?, role? }`: the SHA-256 hex of each `X-API-Key` value. */
  AUTH_API_KEYS?: string;
  /** Comma-separated origins allowed to call the A2A endpoints from a browser, or `*` (then without credentials). */
  CORS_ORIGINS?: string;
  /**
   * JSON array of private EC P-256 JWKs with `kid`: the first signs push notifications, all sign the card, all
   * are served as the JWKS.
   */
  SIGNING_KEYS?: string;

  // Models (docs/models.md). Public settings may go in [vars]; keys only ever as secrets.
  /**
   * The orchestrator's model: `gpt-4.1-mini` (OpenAI-compatible), `@cf/meta/llama-3.3-70b-instruct-fp8-fast`
   * (Workers AI), `anthropic:claude-haiku-4-5`, or `offline`. Unset with no provider configured: the offline model.
   */
  MODEL?: string;
  /** The intent classifier's model; default MODEL. */
  INTENT_MODEL?: string;
  /** An OpenAI Chat Completions endpoint (LiteLLM proxy, vLLM, llama-server, Ollama): `http://host:4000/v1`. Default OpenAI's. */
  OPENAI_BASE_URL?: string;
  /** Secret: the key for OPENAI_BASE_URL (`wrangler secret put OPENAI_API_KEY`). */
  OPENAI_API_KEY?: string;
  /** Secret: Anthropic's key, for `MODEL=anthropic:…`. */
  ANTHROPIC_API_KEY?: string;
  /** A proxy in front of Anthropic's Messages API; default https://api.anthropic.com/v1. */
  ANTHROPIC_BASE_URL?: string;
  /** Workers AI: `[ai] binding = "AI"` in wrangler.toml (not declared there by default: it has no local simulation). */
  AI?: Ai;
  /** Retries of a provider call that failed before streaming (429, 5xx, network); default 3. */
  MODEL_RETRIES?: string;
  /** JSON `{ "<model>": { "input": usd, "output": usd } }` per million tokens, over the built-in price table. */
  MODEL_PRICES?: string;
  /** Pause between the offline model's streamed chunks (ms), so `npm run dev` shows streaming; default 0. */
  OFFLINE_MODEL_DELAY_MS?: string;
  /**
   * Remote MCP servers (Streamable HTTP), JSON: `[{ "id": "crm", "url": "https://…/mcp", "roles": ["recruiter"],
   * "headers": { "Authorization": "Bearer ${CRM_MCP_TOKEN}" }, "tools"?: [...], "timeoutMs"?: 30000 }]`.
   * `${NAME}` in a header names a secret; durable-objects/agents/orchestrator/tools/mcp-config.ts.
   */
  MCP_SERVERS?: string;
  // Agent network (workers/registry): see docs/agent-network.md.
  /** The registry's configured agents: a JSON array of entries (workers/registry/entry.ts), synced at start and by the cron. */
  AGENTS?: string;
  /** Card, JWKS and agent URLs let past the registry's SSRF guard, comma-separated, in PUSH_ALLOWED_URLS' syntax. */
  AGENT_ALLOWED_URLS?: string;
  /** Consecutive failed probes or calls after which a replica is skipped (default 3). */
  REGISTRY_UNHEALTHY_AFTER?: string;
  /** Secrets named by `credentials.secret` of `header`-mode registry entries are read from the env by name. */
  [secret: `AGENT_SECRET_${string}`]: string | undefined;
}
/** The orchestrator (durable-objects/agents/orchestrator): its default role and the limits of one run. */
interface OrchestratorSettings {
  /** The role of callers whose credentials name none, such as `npm run dev`'s anonymous caller. */
  DEFAULT_ROLE?: string;
  /**
   * JSON object of role → { description, skills, tools, mcpServers, agents }, added to or replacing the built-in
   * roles (durable-objects/agents/orchestrator/prompt/roles.ts; docs/skills-and-roles.md).
   */
  ROLES?: string;
  MAX_STEPS?: string;
  MAX_INPUT_TOKENS?: string;
  MAX_OUTPUT_TOKENS?: string;
  MAX_RUN_SECONDS?: string;
  TOOL_TIMEOUT_MS?: string;
  MAX_COST_USD?: string;
}
interface Env extends PlatformSecrets, OrchestratorSettings {}
declare namespace Cloudflare {
  /** The orchestrator (durable-objects/agents/orchestrator): its default role and the limits of one run. */
interface OrchestratorSettings {
  /** The role of callers whose credentials name none, such as `npm run dev`'s anonymous caller. */
  DEFAULT_ROLE?: string;
  ROLES?: string;
  MAX_STEPS?: string;
  MAX_INPUT_TOKENS?: string;
  MAX_OUTPUT_TOKENS?: string;
  MAX_RUN_SECONDS?: string;
  TOOL_TIMEOUT_MS?: string;
  MAX_COST_USD?: string;
}
interface Env extends PlatformSecrets, OrchestratorSettings {}
}

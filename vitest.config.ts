import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          DATABASE_URL: inject("databaseUrl"),
          NEON_FETCH_ENDPOINT: inject("fetchEndpoint"),
          FAULT_CONTROL_URL: inject("faultControlUrl"),
          WEBHOOK_URL: inject("webhookUrl"),
          WEBHOOK_CONTROL_URL: inject("webhookControlUrl"),
          // The protocol tests drive the conformance demo at the root; the orchestrator is at /agents/orchestrator.
          AGENT: "demo",
          // Only the local receiver gets past the SSRF guard, so the hostile-URL tests still mean something.
          PUSH_ALLOWED_URLS: `${inject("webhookUrl")}/*`,
          // Real authentication, as deployed: a JWKS over HTTP, a PEM key, an HS256 secret, hashed API keys.
          // ALLOW_ANONYMOUS stays off; test/helpers/a2a.ts sends a valid token unless a test says otherwise.
          ...inject("authBindings"),
          // Models: the scripted Chat Completions server. MODEL names no script: a request finds its
          // script by `scripted/<id>` (a test's own env) or a `[[script:<id>]]` marker (test/helpers/model-script.ts).
          OPENAI_BASE_URL: inject("openaiUrl"),
          OPENAI_CONTROL_URL: inject("openaiControlUrl"),
          OPENAI_API_KEY: "sk-scripted-test-key-0123456789",
          MODEL: "scripted",
          // A price for the scripted model, so the cost budget (MAX_COST_USD) has something to bind.
          MODEL_PRICES: JSON.stringify({ scripted: { input: 1, output: 2 } }),
          // MCP tools: the test MCP server, offered only to callers with the role `mcp-tester`, so no
          // other test's tool set changes. MCP_TEST_TOKEN is the secret its guarded endpoint wants.
          MCP_SERVERS: JSON.stringify([{ id: "test", url: inject("mcpUrl"), roles: ["mcp-tester"] }]),
          MCP_TEST_URL: inject("mcpUrl"),
          MCP_TEST_AUTH_URL: inject("mcpAuthUrl"),
          MCP_CONTROL_URL: inject("mcpControlUrl"),
          MCP_TEST_TOKEN: "mcp-test-token",
          // What the model sees: the intent call stays offline, so a test's script answers only the
          // loop's steps; the suite's default caller (role "user") is a declared role with every tool and no
          // skills, so the loop's tests see their own tools. Recruiting tests send role claims of their own.
          INTENT_MODEL: "offline",
          ROLES: JSON.stringify({
            user: { description: "The test suite's default caller", tools: "*", mcpServers: "*", agents: "*" },
            "mcp-tester": { description: "The MCP tests' caller", tools: "*", mcpServers: "*", agents: "*" },
          }),
          // Agent network: only the downstream test agents get past the registry's SSRF guard.
          AGENT_ALLOWED_URLS: Object.values(inject("sdkAgents"))
            .map((base) => `${base}/*`)
            .join(","),
          // A static header secret for a registry entry (credentials mode "header"), named as such secrets must be.
          AGENT_SECRET_TEST_DOWNSTREAM: "downstream-secret-for-tests",
        },
        // The suite's default caller peaks at a few hundred requests per window, so its limit has ample headroom;
        // the tenant limit is low so that test/workers/limits.test.ts reaches it with a tenant of its own.
        ratelimits: {
          CALLER_RATE_LIMIT: { namespace_id: "1001", simple: { limit: 2000, period: 10 } },
          TENANT_RATE_LIMIT: { namespace_id: "1002", simple: { limit: 20, period: 10 } },
          // The caller limit as a flood meets it, small enough to reach in a fraction of a window on a busy machine.
          FLOOD_RATE_LIMIT: { namespace_id: "1003", simple: { limit: 50, period: 10 } },
          // Agent network: low, so that test/registry/gateway.test.ts reaches it with an agent of its own.
          GATEWAY_RATE_LIMIT: { namespace_id: "1004", simple: { limit: 20, period: 10 } },
        },
      },
    })),
  ],
  test: {
    globalSetup: ["./test/setup/global-setup.ts"],
    include: ["test/**/*.test.ts"],
    // The browser tests run in Node against wrangler dev, after this suite (test/browser/vitest.config.ts).
    exclude: [...configDefaults.exclude, "test/browser/**"],
    testTimeout: 20_000,
    // The Worker logs one JSON line per A2A call (workers/request-log.ts); the suite makes tens of thousands.
    // So does the orchestrator, per model and tool call and per run that stops or resumes.
    onConsoleLog: (log) => !/^\{"at":"(request|model-call|tool-call|model-retry|run-stop|run-resume)"/.test(log),
    hookTimeout: 30_000,
  },
});

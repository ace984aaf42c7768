import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

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
          // Only the local receiver gets past the SSRF guard, so the hostile-URL tests still mean something.
          PUSH_ALLOWED_URLS: `${inject("webhookUrl")}/*`,
          // Real authentication, as deployed: a JWKS over HTTP, a PEM key, an HS256 secret, hashed API keys.
          // ALLOW_ANONYMOUS stays off; test/helpers/a2a.ts sends a valid token unless a test says otherwise.
          ...inject("authBindings"),
          // Agent network (H4): only the downstream test agents get past the registry's SSRF guard.
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
          // Agent network (H4): low, so that test/registry/gateway.test.ts reaches it with an agent of its own.
          GATEWAY_RATE_LIMIT: { namespace_id: "1003", simple: { limit: 20, period: 10 } },
        },
      },
    })),
  ],
  test: {
    globalSetup: ["./test/setup/global-setup.ts"],
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    // The Worker logs one JSON line per A2A call (workers/request-log.ts); the suite makes tens of thousands.
    onConsoleLog: (log) => !log.startsWith('{"at":"request"'),
    hookTimeout: 30_000,
  },
});

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
          SIGNING_KEYS: inject("signingKeys"),
        },
      },
    })),
  ],
  test: {
    globalSetup: ["./test/setup/global-setup.ts"],
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});

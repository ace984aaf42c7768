import type { JWK } from "jose";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    fetchEndpoint: string;
    faultControlUrl: string;
    webhookUrl: string;
    webhookControlUrl: string;
    /** The scripted OpenAI Chat Completions server (test/setup/openai-server.mjs): its /v1 base and control URL. */
    openaiUrl: string;
    openaiControlUrl: string;
    /** The MCP test server (test/setup/mcp-server.mjs): open and token-guarded endpoints, and its call log. */
    mcpUrl: string;
    mcpAuthUrl: string;
    mcpControlUrl: string;
    /** Public halves of the test credentials, as Worker bindings (test/setup/auth-fixtures.mjs). */
    authBindings: Record<string, string>;
    /** Private halves, for tests that mint tokens and send API keys. */
    auth: {
      issuer: string;
      audience: string;
      statsUrl: string;
      keys: Record<"es256" | "rs256" | "rogue" | "pem", JWK>;
      hsSecret: string;
      apiKeys: { plain: string; operator: string };
    };
  }
}

/**
 * Starts a real Postgres for the suite: embedded PGlite by default, or the server named by DATABASE_URL
 * (CI runs both), behind the Neon HTTP stand-in that the real Neon driver inside workerd talks to. Also a
 * real webhook receiver for push notifications, and the auth fixtures (JWKS, keys, API keys, SIGNING_KEYS).
 */
export default async function setup(project: TestProject) {
  const { startLocalDatabase } = await import("../../scripts/local-db/index.mjs");
  const { startFaultProxy } = await import("./fault-proxy.mjs");
  const { startWebhookReceiver } = await import("./webhook-receiver.mjs");
  const { startAuthFixtures } = await import("./auth-fixtures.mjs");
  const auth = await startAuthFixtures();
  project.provide("authBindings", auth.bindings);
  project.provide("auth", auth.forTests);
  const db = await startLocalDatabase({ databaseUrl: process.env.DATABASE_URL });
  const proxy = await startFaultProxy(db.fetchEndpoint);
  const receiver = await startWebhookReceiver();
  // Model providers and MCP tools (issue 13, H2): a scripted Chat Completions server and a real MCP server.
  const { startOpenAIServer } = await import("./openai-server.mjs");
  const { startMcpServer } = await import("./mcp-server.mjs");
  const openai = await startOpenAIServer();
  const mcp = await startMcpServer();
  project.provide("openaiUrl", openai.url);
  project.provide("openaiControlUrl", openai.controlUrl);
  project.provide("mcpUrl", mcp.url);
  project.provide("mcpAuthUrl", mcp.authUrl);
  project.provide("mcpControlUrl", mcp.controlUrl);
  console.log(`tests use ${db.embedded ? "embedded PGlite" : "DATABASE_URL"} via ${db.fetchEndpoint}`);
  project.provide("databaseUrl", db.databaseUrl);
  project.provide("fetchEndpoint", proxy.url);
  project.provide("faultControlUrl", proxy.controlUrl);
  project.provide("webhookUrl", receiver.url);
  project.provide("webhookControlUrl", receiver.controlUrl);
  return async () => {
    await openai.close();
    await mcp.close();
    await receiver.close();
    await proxy.close();
    await db.close();
    await auth.close();
  };
}

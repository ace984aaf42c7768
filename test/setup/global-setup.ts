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
    // Agent network: downstream agents on the official @a2a-js/sdk server, one process each.
    /** Base URL of each downstream agent by name (test/setup/sdk-agents.mjs). */
    sdkAgents: Record<string, string>;
    /** POST /stop/<name> and /start/<name> stop and restart one of them mid-test. */
    sdkAgentsControlUrl: string;
  }
}

/**
 * The downstream agents (test/setup/sdk-agent.mjs). Each test that stops one has its own: `lb-a`/`lb-b` are only
 * stopped by the balancing test, `gone` only by the retry test, `gw-down` only by the gateway retry test.
 */
const SDK_AGENTS = [
  { name: "alpha", skills: [{ id: "invoices", name: "Invoices", description: "Looks up and explains invoices.", tags: ["billing", "finance"] }] },
  { name: "legacy", protocol: "0.3", skills: [{ id: "weather", name: "Weather", description: "Forecasts from a v0.3 agent.", tags: ["weather"] }] },
  { name: "signed", sign: "good" },
  { name: "badsig", sign: "bad" },
  { name: "lb-a" },
  { name: "lb-b" },
  { name: "gone" },
  { name: "gw-down" },
  { name: "unary", streaming: false },
] satisfies Array<{ name: string; protocol?: "1.0" | "0.3"; sign?: "good" | "bad"; skills?: object[]; streaming?: boolean }>;

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
  // Recruiting demo data for the default tenant (scripts/seed.mjs); domain tests seed tenants of their own.
  const { seedDatabase } = await import("../../scripts/seed.mjs");
  await seedDatabase(db.databaseUrl, { reset: true });
  const proxy = await startFaultProxy(db.fetchEndpoint);
  const receiver = await startWebhookReceiver();
  // Model providers and MCP tools: a scripted Chat Completions server and a real MCP server.
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
  // Agent network: real A2A servers nobody here wrote, for delegation, balancing and the gateway.
  const { startSdkAgents } = await import("./sdk-agents.mjs");
  const sdk = await startSdkAgents(SDK_AGENTS);
  project.provide("sdkAgents", sdk.agents);
  project.provide("sdkAgentsControlUrl", sdk.controlUrl);
  return async () => {
    await sdk.close();
    await openai.close();
    await mcp.close();
    await receiver.close();
    await proxy.close();
    await db.close();
    await auth.close();
  };
}

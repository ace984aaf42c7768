import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    fetchEndpoint: string;
    faultControlUrl: string;
    webhookUrl: string;
    webhookControlUrl: string;
    signingKeys: string;
  }
}

/**
 * Starts a real Postgres for the suite: embedded PGlite by default, or the server named by DATABASE_URL
 * (CI runs both), behind the Neon HTTP stand-in that the real Neon driver inside workerd talks to. Also a
 * real webhook receiver for push notifications, and signing keys for them.
 */
export default async function setup(project: TestProject) {
  const { startLocalDatabase } = await import("../../scripts/local-db/index.mjs");
  const { startFaultProxy } = await import("./fault-proxy.mjs");
  const { startWebhookReceiver } = await import("./webhook-receiver.mjs");
  const db = await startLocalDatabase({ databaseUrl: process.env.DATABASE_URL });
  const proxy = await startFaultProxy(db.fetchEndpoint);
  const receiver = await startWebhookReceiver();
  console.log(`tests use ${db.embedded ? "embedded PGlite" : "DATABASE_URL"} via ${db.fetchEndpoint}`);
  project.provide("databaseUrl", db.databaseUrl);
  project.provide("fetchEndpoint", proxy.url);
  project.provide("faultControlUrl", proxy.controlUrl);
  project.provide("webhookUrl", receiver.url);
  project.provide("webhookControlUrl", receiver.controlUrl);
  project.provide("signingKeys", await testSigningKeys());
  return async () => {
    await receiver.close();
    await proxy.close();
    await db.close();
  };
}

/** Two fresh ES256 keys per run, as `SIGNING_KEYS` holds them: the first signs, both are published. */
async function testSigningKeys(): Promise<string> {
  const { generateKeyPairSync } = await import("node:crypto");
  const keys = ["test-key-1", "test-key-2"].map((kid) => ({
    ...generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" }),
    kid,
  }));
  return JSON.stringify(keys);
}

import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    fetchEndpoint: string;
    faultControlUrl: string;
  }
}

/**
 * Starts a real Postgres for the suite: embedded PGlite by default, or the server named by DATABASE_URL
 * (CI runs both), behind the Neon HTTP stand-in that the real Neon driver inside workerd talks to.
 */
export default async function setup(project: TestProject) {
  const { startLocalDatabase } = await import("../../scripts/local-db/index.mjs");
  const { startFaultProxy } = await import("./fault-proxy.mjs");
  const db = await startLocalDatabase({ databaseUrl: process.env.DATABASE_URL });
  const proxy = await startFaultProxy(db.fetchEndpoint);
  console.log(`tests use ${db.embedded ? "embedded PGlite" : "DATABASE_URL"} via ${db.fetchEndpoint}`);
  project.provide("databaseUrl", db.databaseUrl);
  project.provide("fetchEndpoint", proxy.url);
  project.provide("faultControlUrl", proxy.controlUrl);
  return async () => {
    await proxy.close();
    await db.close();
  };
}

import { neon, neonConfig, type NeonQueryFunction } from "@neondatabase/serverless";
import { drizzle, type NeonHttpDatabase } from "drizzle-orm/neon-http";
import * as tables from "../schema/db/tables";

/** drizzle over the Neon HTTP driver; `$client` is the driver itself, for the hand-written hot query. */
export type Database = NeonHttpDatabase<typeof tables> & { $client: NeonQueryFunction<false, false> };

export interface DatabaseEnv {
  DATABASE_URL?: string;
  /** Local development and tests only: where the Neon HTTP stand-in listens (see scripts/local-db). */
  NEON_FETCH_ENDPOINT?: string;
}

let cached: { url: string; db: Database } | undefined;

/** The Neon HTTP driver (one round trip per query or batch), or undefined when no database is configured. */
export function database(env: DatabaseEnv): Database | undefined {
  const url = env.DATABASE_URL;
  if (!url) return undefined;
  if (cached?.url === url) return cached.db;
  if (env.NEON_FETCH_ENDPOINT) neonConfig.fetchEndpoint = env.NEON_FETCH_ENDPOINT;
  const db = drizzle(neon(url), { schema: tables });
  cached = { url, db };
  return db;
}

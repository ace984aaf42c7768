// One call that gives the Worker a migrated database behind a Neon-style HTTP endpoint.
import { startPglite } from "./pglite.mjs";
import { migrate } from "./migrate.mjs";
import { startNeonHttpShim } from "./neon-http-shim.mjs";

export { startPglite } from "./pglite.mjs";
export { migrate, redactUrl } from "./migrate.mjs";
export { startNeonHttpShim } from "./neon-http-shim.mjs";

/**
 * @param {{ databaseUrl?: string, dataDir?: string, shimPort?: number, pgliteMaxConnections?: number }} [options]
 *   databaseUrl: an existing Postgres; when empty, an embedded PGlite is started
 *   (in memory, or persisted in dataDir).
 *   pgliteMaxConnections: TCP connections PGlite accepts. The shim uses one; the rest leave room
 *   for a direct client (a test helper, psql). PGlite still runs one query at a time.
 * @returns {Promise<{ databaseUrl: string, fetchEndpoint: string, statsUrl: string, embedded: boolean, close: () => Promise<void> }>}
 */
export async function startLocalDatabase({
  databaseUrl = process.env.DATABASE_URL,
  dataDir,
  shimPort = 0,
  pgliteMaxConnections = 4,
} = {}) {
  const embedded = !databaseUrl;
  const pglite = embedded ? await startPglite({ dataDir, maxConnections: pgliteMaxConnections }) : undefined;
  let shim;
  try {
    const url = pglite ? pglite.databaseUrl : databaseUrl;
    await migrate(url);
    shim = await startNeonHttpShim({ port: shimPort, poolSize: embedded ? 1 : 10 });

    let closing;
    return {
      databaseUrl: url,
      fetchEndpoint: shim.url,
      /** GET: what the Worker asked of the database so far (neon-http-shim.mjs `newStats`). */
      statsUrl: shim.statsUrl,
      embedded,
      close() {
        closing ??= (async () => {
          await shim.close();
          await pglite?.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    await shim?.close();
    await pglite?.close();
    throw err;
  }
}

// Embedded Postgres (PGlite, WASM) served on 127.0.0.1 over the Postgres wire protocol.
import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/**
 * @param {{ dataDir?: string, port?: number, maxConnections?: number }} [options]
 *   dataDir: folder to persist into; undefined keeps the database in memory.
 *   maxConnections: PGlite is a single backend; the socket server multiplexes connections onto it
 *   protocol message by protocol message (an open transaction holds the others back), and its
 *   README warns that not every use case works. Connections beyond the limit are refused at once
 *   ("Connection terminated unexpectedly"), not queued.
 * @returns {Promise<{ databaseUrl: string, port: number, db: PGlite, close: () => Promise<void> }>}
 */
export async function startPglite({ dataDir, port = 0, maxConnections = 1 } = {}) {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, port, host: "127.0.0.1", maxConnections });
  try {
    await server.start();
  } catch (err) {
    await db.close();
    throw err;
  }
  const actualPort = Number(server.getServerConn().split(":").pop());

  let closing;
  return {
    databaseUrl: `postgres://postgres@127.0.0.1:${actualPort}/postgres`,
    port: actualPort,
    db,
    close() {
      closing ??= (async () => {
        await server.stop();
        await db.close();
      })();
      return closing;
    },
  };
}

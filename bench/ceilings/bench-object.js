import { DurableObject } from "cloudflare:workers";

// The storage ceiling: one synchronous SQLite insert per call, nothing else.
export class BenchObject extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, body TEXT NOT NULL, at INTEGER NOT NULL)",
    );
  }

  write(body) {
    const cursor = this.ctx.storage.sql.exec("INSERT INTO events (body, at) VALUES (?, ?)", body, Date.now());
    return { written: cursor.rowsWritten };
  }
}

// A real webhook receiver for the push tests. Every path is its own hook, so test files running in
// parallel never see each other's deliveries. It records each request (headers, body, what it answered)
// and can be told to misbehave for a path: answer a status (503, 429, 302…) for its first N requests,
// with an optional Retry-After or Location, or hold each answer for a while.
//   POST /__control  {path, failFirst, status, retryAfter, location, delayMs}   set a path's behaviour
//   GET  /__control?path=/hooks/x                                             {requests: [...]}
import { createServer } from "node:http";
import { guarded } from "./http-handler.mjs";

const MAX_BODY = 1024 * 1024;

export async function startWebhookReceiver() {
  const hooks = new Map(); // path -> { rule, requests: [] }
  const hookOf = (path) => {
    if (!hooks.has(path)) hooks.set(path, { rule: {}, requests: [] });
    return hooks.get(path);
  };

  const server = createServer(
    guarded(async (req, res) => {
      const url = new URL(req.url ?? "/", "http://receiver");
      const chunks = [];
      let size = 0;
      for await (const chunk of req) {
        size += chunk.length;
        if (size <= MAX_BODY) chunks.push(chunk);
      }
      const body = Buffer.concat(chunks).toString("utf8");
      if (url.pathname === "/__control") {
        res.writeHead(200, { "Content-Type": "application/json" });
        if (req.method === "POST") {
          const { path, ...rule } = JSON.parse(body || "{}");
          hookOf(path).rule = rule;
          res.end(JSON.stringify({ path, rule }));
        } else {
          res.end(JSON.stringify({ requests: hookOf(url.searchParams.get("path") ?? "").requests }));
        }
        return;
      }
      const hook = hookOf(url.pathname);
      const { failFirst = 0, status = 503, retryAfter, location, delayMs = 0 } = hook.rule;
      const failing = hook.requests.filter((r) => r.answered >= 300).length < failFirst;
      const answered = failing ? status : 200;
      hook.requests.push({ at: Date.now(), method: req.method, headers: req.headers, body, answered });
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      const headers = { "Content-Type": "text/plain" };
      if (failing && retryAfter !== undefined) headers["Retry-After"] = String(retryAfter);
      if (failing && location !== undefined) headers.Location = location;
      res.writeHead(answered, headers);
      res.end(failing ? "not now" : "ok");
    }),
  );
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    controlUrl: `http://127.0.0.1:${port}/__control`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

// A pass-through in front of the Neon HTTP stand-in that tests can tell to fail: every SQL request whose body
// contains a registered marker (a task or context id of that test only) gets a 503 until the rule is cleared.
// Keyed by content so that test files running in parallel never see each other's outages. A watched marker
// (`watch: true`) only counts the requests that mention it; a hung one (`hang: true`) is never answered.
import { createServer } from "node:http";
import { guarded } from "./http-handler.mjs";

export async function startFaultProxy(target) {
  const markers = new Map(); // marker -> number of requests refused so far
  const watched = new Map(); // marker -> number of requests seen so far
  const hung = new Set();
  const server = createServer(
    guarded(async (req, res) => {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const body = Buffer.concat(chunks);
      if (req.url?.startsWith("/__faults")) {
        const { marker, fail, watch, hang } = JSON.parse(body.toString() || "{}");
        if (req.method === "POST" && hang !== undefined) hang ? hung.add(marker) : hung.delete(marker);
        else if (req.method === "POST" && watch) watched.set(marker, watched.get(marker) ?? 0);
        else if (req.method === "POST" && fail) markers.set(marker, markers.get(marker) ?? 0);
        else if (req.method === "POST") markers.delete(marker);
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ marker, refused: markers.get(marker) ?? null, seen: watched.get(marker) ?? null }));
        return;
      }
      const text = body.toString();
      for (const [marker, seen] of watched) if (text.includes(marker)) watched.set(marker, seen + 1);
      for (const marker of hung) {
        if (text.includes(marker)) {
          req.socket.on("close", () => res.destroy());
          return;
        }
      }
      for (const [marker, refused] of markers) {
        if (text.includes(marker)) {
          markers.set(marker, refused + 1);
          res.writeHead(503, { "Content-Type": "text/plain" });
          res.end("injected outage");
          return;
        }
      }
      try {
        const upstream = await fetch(target, { method: "POST", headers: req.headers, body });
        res.writeHead(upstream.status, { "Content-Type": upstream.headers.get("Content-Type") ?? "application/json" });
        res.end(Buffer.from(await upstream.arrayBuffer()));
      } catch (error) {
        res.writeHead(502, { "Content-Type": "text/plain" });
        res.end(String(error));
      }
    }),
  );
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/sql`,
    controlUrl: `http://127.0.0.1:${port}/__faults`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

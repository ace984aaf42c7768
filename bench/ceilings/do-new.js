export { BenchObject } from "./bench-object.js";

// Ceiling (3): every request creates a new Durable Object, like SendMessage creating a task. A POST's body
// is read (receiving it is work the runtime does for any JSON-RPC call) and becomes the row.
export default {
  async fetch(request, env) {
    const row = request.method === "POST" ? await request.text() : request.url;
    const stub = env.OBJECTS.get(env.OBJECTS.newUniqueId());
    const result = await stub.write(row);
    return Response.json({ ok: true, ...result });
  },
};

export { BenchObject } from "./bench-object.js";

// Ceiling (2): every request goes to the same, already existing Durable Object. A POST's body is read
// (receiving it is work the runtime does for any JSON-RPC call) and becomes the row.
export default {
  async fetch(request, env) {
    const row = request.method === "POST" ? await request.text() : request.url;
    const stub = env.OBJECTS.get(env.OBJECTS.idFromName("bench"));
    const result = await stub.write(row);
    return Response.json({ ok: true, ...result });
  },
};

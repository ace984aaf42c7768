export { BenchObject } from "./bench-object.js";

// Ceiling (2): every request goes to the same, already existing Durable Object.
export default {
  async fetch(request, env) {
    const stub = env.OBJECTS.get(env.OBJECTS.idFromName("bench"));
    const result = await stub.write(request.url);
    return Response.json({ ok: true, ...result });
  },
};

export { BenchObject } from "./bench-object.js";

// Ceiling (3): every request creates a new Durable Object, like SendMessage creating a task.
export default {
  async fetch(request, env) {
    const stub = env.OBJECTS.get(env.OBJECTS.newUniqueId());
    const result = await stub.write(request.url);
    return Response.json({ ok: true, ...result });
  },
};

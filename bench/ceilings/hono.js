import { Hono } from "hono";

// Ceiling (1): the cheapest possible Hono response in the same runtime as the platform.
const app = new Hono();
app.get("/", (c) => c.json({ ok: true, runtime: "workerd" }));

export default app;

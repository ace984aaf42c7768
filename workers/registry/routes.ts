import { Hono, type Context, type MiddlewareHandler } from "hono";
import { A2AError, invalidParams } from "../../schema/a2a";
import type { AppEnv } from "../app-env";
import { authenticate } from "../auth/middleware";
import { jsonResponse, readJsonBody, requireJsonContentType } from "../bindings/http";
import { corsFor } from "../cors";
import { rateLimit } from "../rate-limit";
import { AgentEntrySchema, AgentIdSchema, roleAllowed } from "./entry";
import { assertNotHosted, probeReplica, registerAgent } from "./registry";
import { deleteAgent, getAgent, listAgents, registryDb } from "./store";
import { syncRegistry } from "./sync";
import { adminView, discoveryView, matchesQuery, roleOf } from "./view";

const ADMIN_ROLE = "admin";
const MAX_ENTRY_BYTES = 64 * 1024;

/** Only callers whose credentials carry the `admin` role manage the registry. */
const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get("identity").role !== ADMIN_ROLE) throw new A2AError("PermissionDenied", "Managing the agent registry needs the admin role");
  await next();
};

function originOf(c: Context<AppEnv>): string {
  const configured = c.env.PUBLIC_URL;
  if (configured) return configured.replace(/\/+$/, "");
  return new URL(c.req.url).origin;
}

async function entryBody(c: Context<AppEnv>, id?: string) {
  requireJsonContentType(c.req.raw);
  const body = await readJsonBody(c.req.raw, MAX_ENTRY_BYTES);
  const withId = id !== undefined && typeof body === "object" && body !== null && !Array.isArray(body) ? { id, ...body } : body;
  const parsed = AgentEntrySchema.safeParse(withId);
  if (!parsed.success) throw invalidParams(parsed.error.issues);
  if (id !== undefined && parsed.data.id !== id) throw new A2AError("InvalidParams", "The body's id must be the path's", {}, [{ field: "id", description: `must be ${id}` }]);
  return parsed.data;
}

function pathId(c: Context<AppEnv>): string {
  const parsed = AgentIdSchema.safeParse(c.req.param("id"));
  if (!parsed.success) throw new A2AError("RouteNotFound", "No such agent");
  return parsed.data;
}

async function existing(c: Context<AppEnv>, id: string) {
  const agent = await getAgent(registryDb(c.env), id);
  if (!agent) throw new A2AError("RouteNotFound", `No agent ${id} is registered`, { agentId: id });
  return agent;
}

/** Entries from AGENTS or for hosted agents are the deployment's: the admin API reads them, never changes them. */
function assertManaged(agent: { id: string; source: string }) {
  if (agent.source !== "admin") {
    throw new A2AError("AlreadyExists", `${agent.id} comes from ${agent.source === "hosted" ? "this deployment's hosted agents" : "the AGENTS configuration"}; change it there`, {
      agentId: agent.id,
      source: agent.source,
    });
  }
}

/**
 * The registry's HTTP surface: the admin API (`/admin/agents`, role `admin`: list, create, read, replace, delete,
 * probe now) and discovery (`GET /agents?q=`: the agents the caller's role may use, with their skills). Both
 * authenticate like the A2A endpoints and answer errors in the REST binding's shape.
 */
export function registryRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const edge: MiddlewareHandler<AppEnv>[] = [(c, next) => corsFor(c.env)(c, next), authenticate, rateLimit];
  routes.use("/admin/agents", ...edge, requireAdmin);
  routes.use("/admin/agents/*", ...edge, requireAdmin);
  routes.use("/agents", ...edge);

  routes.get("/agents", async (c) => {
    await syncRegistry(c.env);
    const role = roleOf(c.env, c.get("identity"));
    const query = (c.req.query("q") ?? "").slice(0, 256);
    const origin = originOf(c);
    const agents = (await listAgents(registryDb(c.env)))
      .filter((agent) => roleAllowed(agent.roles, role))
      .map((agent) => discoveryView(agent, origin))
      .filter((view) => matchesQuery(view, query));
    return jsonResponse({ agents });
  });

  routes.get("/admin/agents", async (c) => {
    await syncRegistry(c.env);
    return jsonResponse({ agents: (await listAgents(registryDb(c.env))).map(adminView) });
  });
  routes.post("/admin/agents", async (c) => {
    const entry = await entryBody(c);
    assertNotHosted(entry.id);
    const current = await getAgent(registryDb(c.env), entry.id);
    if (current) throw new A2AError("AlreadyExists", `An agent ${entry.id} is already registered; PUT /admin/agents/${entry.id} replaces it`, { agentId: entry.id });
    return jsonResponse(adminView(await registerAgent(c.env, entry, "admin", { strict: true })), 201);
  });
  routes.get("/admin/agents/:id", async (c) => jsonResponse(adminView(await existing(c, pathId(c)))));
  routes.put("/admin/agents/:id", async (c) => {
    const id = pathId(c);
    const entry = await entryBody(c, id);
    const current = await getAgent(registryDb(c.env), id);
    if (current) assertManaged(current);
    return jsonResponse(adminView(await registerAgent(c.env, entry, "admin", { strict: true })), current ? 200 : 201);
  });
  routes.delete("/admin/agents/:id", async (c) => {
    const agent = await existing(c, pathId(c));
    assertManaged(agent);
    await deleteAgent(registryDb(c.env), agent.id);
    return new Response(null, { status: 204 });
  });
  routes.post("/admin/agents/:id/probe", async (c) => {
    const agent = await existing(c, pathId(c));
    await Promise.all(agent.replicas.map((url) => probeReplica(c.env, agent, url)));
    return jsonResponse(adminView(await existing(c, agent.id)));
  });
  return routes;
}

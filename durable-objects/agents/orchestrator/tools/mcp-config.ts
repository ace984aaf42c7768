import { z } from "zod";

/**
 * One remote MCP server of the deployment (`MCP_SERVERS`, a JSON array). Header values may name secrets as
 * `${NAME}` (`"Authorization": "Bearer ${CRM_MCP_TOKEN}"`), so the variable itself holds no secret.
 */
export const McpServerConfigSchema = z.object({
  /** Prefixes its tools' names (`crm__search`): letters, digits and single dashes. */
  id: z.string().regex(/^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/).max(24),
  /** The Streamable HTTP endpoint, e.g. https://mcp.example.com/mcp. */
  url: z.url({ protocol: /^https?$/ }),
  /** The caller roles allowed to use its tools; "*" for every role. */
  roles: z.array(z.string().min(1)).min(1),
  headers: z.record(z.string(), z.string()).optional(),
  /** Only these of its tools (by their own names); default all. */
  tools: z.array(z.string()).optional(),
  /** Per call; default 30 s. */
  timeoutMs: z.number().int().min(100).max(600_000).optional(),
});
export type McpServerConfig = z.infer<typeof McpServerConfigSchema>;

const ServersSchema = z.array(McpServerConfigSchema).refine((servers) => new Set(servers.map((s) => s.id)).size === servers.length, "server ids must be unique");

/** The deployment's MCP servers; a malformed MCP_SERVERS is a deployment error, said at once. */
export function mcpServersOf(env: { MCP_SERVERS?: string }): McpServerConfig[] {
  if (!env.MCP_SERVERS?.trim()) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(env.MCP_SERVERS);
  } catch {
    throw new Error("MCP_SERVERS is not JSON");
  }
  const checked = ServersSchema.safeParse(parsed);
  if (!checked.success) throw new Error(`MCP_SERVERS: ${z.prettifyError(checked.error)}`);
  return checked.data;
}

export const allows = (server: McpServerConfig, role: string): boolean => server.roles.includes("*") || server.roles.includes(role);

/** The server's headers with `${NAME}` replaced by the environment's value; a name that is not set is an error naming it (never its value). */
export function resolveHeaders(server: McpServerConfig, env: object): Record<string, string> {
  const values = env as Record<string, unknown>;
  const headers: Record<string, string> = {};
  for (const [name, template] of Object.entries(server.headers ?? {})) {
    headers[name] = template.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, key: string) => {
      const value = values[key];
      if (typeof value !== "string" || value === "") throw new Error(`MCP server ${server.id}: header ${name} needs ${key}, which is not set`);
      return value;
    });
  }
  return headers;
}

/** The values of the variables the server's headers name: kept out of every error message. */
export function referencedSecrets(server: McpServerConfig, env: object): string[] {
  const values = env as Record<string, unknown>;
  const names = Object.values(server.headers ?? {}).flatMap((template) => [...template.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((match) => match[1]!));
  return names.map((name) => values[name]).filter((value): value is string => typeof value === "string" && value.length >= 4);
}

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker";
import { resolveHeaders, type McpServerConfig } from "./mcp-config";

const CLIENT_INFO = { name: "a2a-edge-platform", version: "0.1.0" };

/**
 * Runs `use` with a client connected to `server` for just that long. A connection per use, because a Durable
 * Object can be evicted between any two calls of a run and a session would not survive it; closing at once also
 * ends the transport's background SSE stream. The client validates tool output with @cfworker/json-schema: its
 * default, ajv, compiles schemas to code, which workerd refuses.
 */
export async function withMcpClient<T>(server: McpServerConfig, env: object, signal: AbortSignal, timeoutMs: number, use: (client: Client) => Promise<T>): Promise<T> {
  const transport = new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: resolveHeaders(server, env) } });
  const client = new Client(CLIENT_INFO, { jsonSchemaValidator: new CfWorkerJsonSchemaValidator() });
  try {
    await client.connect(transport, { signal, timeout: timeoutMs });
    return await use(client);
  } finally {
    await client.close().catch(() => undefined);
  }
}

import type { CallToolResult, Tool as McpTool } from "@modelcontextprotocol/sdk/types.js";
import { withMcpClient } from "./mcp-client";
import { allows, mcpServersOf, referencedSecrets, type McpServerConfig } from "./mcp-config";
import { jsonSchemaInput, jsonSchemaValidator } from "./mcp-schema";
import { result, TOOL_NAME, toolError, type Tool, type ToolOutcome } from "./tool";

export { mcpServersOf, type McpServerConfig } from "./mcp-config";

const DEFAULT_TIMEOUT_MS = 30_000;
const LIST_TIMEOUT_MS = 10_000;
const LIST_TTL_MS = 60_000;
/** Where the run's idempotency key goes in a call's `_meta`, for servers that want to recognise a repeat. */
export const IDEMPOTENCY_META = "dev.a2a-edge/idempotency-key";

/** Tool lists per server, for a minute: a run start should not cost a round trip to every server. */
const listed = new Map<string, { until: number; tools: McpTool[] }>();

/**
 * The tools of the deployment's MCP servers (`MCP_SERVERS`) that `role` may use, as Tools of the one contract:
 * named `<server id>__<tool name>`, the server's JSON Schema passed to the model and checked before each call,
 * called with the run's signal and the server's timeout. A server that cannot be listed is left out of this run
 * (one JSON log line says why); a malformed MCP_SERVERS throws.
 */
export async function mcpTools(env: object & { MCP_SERVERS?: string }, role: string, signal: AbortSignal = new AbortController().signal): Promise<Tool[]> {
  const servers = mcpServersOf(env).filter((server) => allows(server, role));
  const lists = await Promise.all(servers.map((server) => listTools(server, env, signal).catch((error: unknown) => skip(server, error, env))));
  const tools: Tool[] = [];
  const names = new Set<string>();
  servers.forEach((server, i) => {
    for (const tool of lists[i] ?? []) {
      if (server.tools && !server.tools.includes(tool.name)) continue;
      const adapted = adapt(server, tool, env);
      if (names.has(adapted.name)) continue;
      names.add(adapted.name);
      tools.push(adapted);
    }
  });
  return tools;
}

async function listTools(server: McpServerConfig, env: object, signal: AbortSignal): Promise<McpTool[]> {
  const key = `${server.id} ${server.url}`;
  const cached = listed.get(key);
  if (cached && cached.until > Date.now()) return cached.tools;
  const timeoutMs = Math.min(server.timeoutMs ?? DEFAULT_TIMEOUT_MS, LIST_TIMEOUT_MS);
  const tools: McpTool[] = [];
  await withMcpClient(server, env, AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]), timeoutMs, async (client) => {
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : undefined, { signal, timeout: timeoutMs });
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor && tools.length < 500);
  });
  listed.set(key, { until: Date.now() + LIST_TTL_MS, tools });
  return tools;
}

function skip(server: McpServerConfig, error: unknown, env: object): McpTool[] {
  console.log(JSON.stringify({ at: "mcp-list", server: server.id, outcome: "skipped", error: messageOf(error, server, env) }));
  return [];
}

/** `crm__search_people`; characters providers refuse become `_`, and a long name keeps a hash of the whole. */
export function mcpToolName(serverId: string, toolName: string): string {
  const name = `${serverId}__${toolName}`.replace(/[^a-zA-Z0-9_-]/g, "_");
  if (TOOL_NAME.test(name)) return name;
  let hash = 0x811c9dc5;
  for (const char of `${serverId}__${toolName}`) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return `${name.slice(0, 55)}_${hash.toString(16).padStart(8, "0")}`;
}

function adapt(server: McpServerConfig, tool: McpTool, env: object): Tool<Record<string, unknown>> {
  const timeoutMs = server.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const readOnly = tool.annotations?.readOnlyHint === true;
  // A client per call knows no tool list, so the SDK checks no output schema: it is checked here instead.
  const checkOutput = tool.outputSchema ? jsonSchemaValidator(tool.outputSchema) : undefined;
  return {
    name: mcpToolName(server.id, tool.name),
    description: `${tool.description ?? tool.annotations?.title ?? tool.title ?? tool.name} (MCP server ${server.id})`,
    input: jsonSchemaInput(tool.inputSchema as Record<string, unknown>),
    sideEffects: !readOnly,
    idempotent: !readOnly && tool.annotations?.idempotentHint === true,
    // The loop's own timer is the backstop; ours fires first, so the model hears which server was too slow.
    timeoutMs: timeoutMs + 1_000,
    async execute(args, ctx) {
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = AbortSignal.any([ctx.signal, timeout]);
      try {
        const answer = await withMcpClient(server, env, signal, timeoutMs, (client) =>
          client.callTool({ name: tool.name, arguments: args, _meta: { [IDEMPOTENCY_META]: ctx.idempotencyKey } }, undefined, { signal, timeout: timeoutMs }),
        );
        return outcomeOf(answer as CallToolResult, checkOutput);
      } catch (error) {
        if (ctx.signal.aborted) throw ctx.signal.reason;
        if (timeout.aborted) return toolError(`MCP server ${server.id}: ${tool.name} timed out after ${timeoutMs} ms`);
        return toolError(`MCP server ${server.id}: ${messageOf(error, server, env)}`);
      }
    },
  };
}

/**
 * Structured content when the tool gives it, else its text; binary content is described, never passed on. A tool
 * with an output schema must give structured content that matches it (MCP's rule), else the model hears why.
 */
export function outcomeOf(answer: CallToolResult, checkOutput?: (value: unknown) => { path: string[]; message: string }[]): ToolOutcome {
  const parts = answer.content ?? [];
  const texts = parts.map((part) => {
    switch (part.type) {
      case "text":
        return part.text;
      case "image":
      case "audio":
        return `[${part.type} ${part.mimeType}, ${Math.round((part.data.length * 3) / 4)} bytes]`;
      case "resource":
        return "text" in part.resource ? part.resource.text : `[resource ${part.resource.uri}]`;
      case "resource_link":
        return `[resource ${part.uri}]`;
      default:
        return "";
    }
  });
  const text = texts.filter(Boolean).join("\n");
  if (answer.isError) return toolError(text || "the tool reported an error");
  if (checkOutput) {
    if (!answer.structuredContent) return toolError("the tool has an output schema but returned no structured content");
    const problems = checkOutput(answer.structuredContent);
    if (problems.length) return toolError(`the tool's output does not match its schema: ${problems.map((p) => `${p.path.join(".") || "(root)"}: ${p.message}`).join("; ")}`);
  }
  return result(answer.structuredContent ?? text);
}

function messageOf(error: unknown, server: McpServerConfig, env: object): string {
  let message = error instanceof Error ? error.message : String(error);
  for (const secret of referencedSecrets(server, env)) message = message.split(secret).join("[redacted]");
  return message.slice(0, 500);
}

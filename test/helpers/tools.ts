import { z } from "zod";
import { env } from "cloudflare:workers";
import type { OriginTool } from "../../durable-objects/agents/orchestrator/prompt/roles";
import { result, type Tool, type ToolContext } from "../../durable-objects/agents/orchestrator/tools/tool";

/** A tool that stands for something the loop will offer (ask_user, a UI tool, an MCP server's tool, an agent). */
export function fakeTool(name: string, origin?: OriginTool["origin"], sideEffects = false): OriginTool {
  return { name, description: `fake ${name}`, input: z.object({}), sideEffects, ...(origin ? { origin } : {}), execute: async () => result("ok") };
}

/** A tool context for calling a tool directly, as the loop would. */
export function toolContext(overrides: { role?: string; tenant?: string; owner?: string; idempotencyKey?: string; env?: Env } = {}): ToolContext {
  return {
    signal: new AbortController().signal,
    caller: { owner: overrides.owner ?? "tool-tester", tenant: overrides.tenant ?? "", role: overrides.role ?? "recruiter", authenticated: true },
    idempotencyKey: overrides.idempotencyKey ?? `task-${crypto.randomUUID()}/1/call-1`,
    taskId: "task-test",
    contextId: "ctx-test",
    env: overrides.env ?? env,
    emit: { artifact() {}, status() {} },
  };
}

export const run = (tool: Tool, args: unknown, ctx: ToolContext = toolContext()) => tool.execute(tool.input.parse(args), ctx);

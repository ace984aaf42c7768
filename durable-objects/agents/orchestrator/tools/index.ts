import { askUserTool } from "./ask-user";
import { mcpTools } from "./mcp";
import { TOOL_NAME, type Tool, type ToolCaller } from "./tool";
import { uiTools } from "./ui";

/** A source of tools, asked once per run: it may depend on the deployment and on who is asking. */
export type ToolSource = (env: Env, caller: ToolCaller) => Tool[] | Promise<Tool[]>;

const sources: ToolSource[] = [() => [askUserTool], () => uiTools, (env, caller) => mcpTools(env, caller.role)];

/**
 * Adds tools of your own to every run (a fork's domain tools, say), next to the built-in sources. A name that
 * providers would refuse, or one already taken, is an error at once rather than at the first call.
 * @example registerTools(() => [myTool]);
 */
export function registerTools(source: ToolSource): () => void {
  sources.push(source);
  return () => {
    const at = sources.indexOf(source);
    if (at >= 0) sources.splice(at, 1);
  };
}

/**
 * Every tool a run of the orchestrator may be offered, before the role's policy and the active skill narrow it:
 * the built-ins, then each source's (skills, the recruiting domain, MCP servers, other agents, UI).
 */
export async function toolsForRun(env: Env, caller: ToolCaller): Promise<Tool[]> {
  const lists = await Promise.all(sources.map((source) => source(env, caller)));
  const tools = new Map<string, Tool>();
  for (const tool of lists.flat()) {
    if (!TOOL_NAME.test(tool.name)) throw new Error(`tool name ${JSON.stringify(tool.name)} must match ${TOOL_NAME}`);
    if (tools.has(tool.name)) throw new Error(`two tools are named ${tool.name}`);
    tools.set(tool.name, tool);
  }
  return [...tools.values()];
}

import type { AgentExecutor } from "../executor";
import { demoAgent } from "./demo-agent";

/** The agents a deployment can plug into its tasks, chosen by the `AGENT` variable (default: the demo agent). */
const AGENTS: Record<string, AgentExecutor> = { demo: demoAgent };

export function executorFor(env: { AGENT?: string }): AgentExecutor {
  const name = env.AGENT ?? "demo";
  const agent = AGENTS[name];
  if (!agent) throw new Error(`AGENT=${name} is not a registered agent (known: ${Object.keys(AGENTS).join(", ")})`);
  return agent;
}

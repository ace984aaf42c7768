import { createApp } from "./app";
import { runRegistryCron } from "./registry/health";

export { TaskObject } from "../durable-objects/task-object";
export { IndexWriter } from "../durable-objects/index-writer";
export { ContextObject } from "../durable-objects/context-object";
export { AgentBalancer } from "./registry/balancer";

const app = createApp();

export default {
  fetch: app.fetch,
  /** The Cron Trigger (`[triggers] crons`): the agent registry's sync and health probes. */
  scheduled(_controller, env, ctx) {
    ctx.waitUntil(
      runRegistryCron(env).catch((error: unknown) => console.error(JSON.stringify({ at: "registry-cron", error: String(error).slice(0, 500) }))),
    );
  },
} satisfies ExportedHandler<Env>;

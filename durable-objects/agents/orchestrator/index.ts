import type { AgentExecutor, TaskUpdater } from "../../executor";
import type { Entered } from "../../context-object";
import type { Scope } from "../../sql";
import { costOf, modelFor } from "../models";
import { HistoryUnavailable, readContextHistory } from "./history";
import { runLimits, tightened } from "./limits";
import { runTurn } from "./loop";
import { prepareTurn, type TurnSetup } from "./prompt/turn";
import { orchestrationOf, startTurn, type Orchestration } from "./run-state";
import { toolsForRun } from "./tools";
import { cancelChildren } from "./tools/delegate-cancel";
import type { ToolCaller } from "./tools/tool";
import { readConversation } from "./transcript";

/** The role of a caller whose credentials name none (and of `npm run dev`'s anonymous caller). */
export const defaultRole = (env: Env) => env.DEFAULT_ROLE || "viewer";

const BASE_PROMPT = [
  "You are the orchestrator of an enterprise recruiting platform, answering one user in one conversation.",
  "Use the tools you are given to look things up and to act; never invent data a tool could give you.",
  "When you need information only the user has, call ask_user. Answer in plain, short sentences.",
].join("\n");

interface ContextApi {
  enter(taskId: string, turnId: string): Promise<Entered>;
  leave(turnId: string): Promise<void>;
}

/** The conversation's object: one per (agent, tenant, owner, context). */
function contextOf(env: Env, scope: Scope, contextId: string): ContextApi {
  const name = [scope.agent, scope.tenant, scope.owner, contextId].join("\u0000");
  return env.CONTEXTS.get(env.CONTEXTS.idFromName(name)) as unknown as ContextApi;
}

/**
 * The orchestrator: each user message is one run of the agent loop (loop.ts) over the whole conversation. Runs
 * of one conversation go one at a time, in the order their messages arrived; each reads the earlier tasks'
 * messages from Postgres once, and its own from the task. Resumable: after a restart the run picks up from its
 * last committed step.
 */
export const orchestratorAgent: AgentExecutor = {
  resumable: true,
  async execute(request, updater, { env, agentId }) {
    const scope: Scope = { agent: agentId, tenant: request.caller.tenant, owner: request.caller.owner };
    const caller: ToolCaller = { ...request.caller, role: request.caller.role ?? defaultRole(env) };
    if (updater.snapshot()?.status.state !== "TASK_STATE_WORKING") updater.status("TASK_STATE_WORKING");
    const context = contextOf(env, scope, request.contextId);
    const turnId = request.message.messageId;
    try {
      const entered = await context.enter(request.taskId, turnId);
      if ("refused" in entered) return fail(updater, entered.refused);
      const earlier = entered.earlier ? readConversation(await readContextHistory(env, scope, request.contextId, request.taskId, updater.signal)).messages : [];
      const model = modelFor(env, "main");
      const intentModel = modelFor(env, "intent");
      const previous = orchestrationOf(updater.snapshot());
      // Levels 1 and 2 of what the model sees (prompt/turn.ts): the role's policy, the message's intent, the skill.
      const setup = await prepareTurn({
        env, caller, message: request.message, earlier, previous, tools: await toolsForRun(env, caller), intentModel,
        instructions: BASE_PROMPT, signal: updater.signal, costOf: (usage) => costOf(intentModel.id, usage, env),
      });
      if (setup.answer !== null) return answerWithoutModel(updater, setup, startTurn(previous, turnId, { model: model.id, role: caller.role }));
      await runTurn({
        request,
        updater,
        env,
        model,
        caller,
        limits: tightened(runLimits(env), (request.message.metadata as { limits?: unknown } | undefined)?.limits),
        costOf: (usage) => costOf(model.id, usage, env),
        initial: setup.initial,
        prompt: setup.prompt,
      });
    } catch (error) {
      if (updater.signal.aborted) return;
      if (error instanceof HistoryUnavailable) return fail(updater, error.message);
      throw error;
    } finally {
      void leaveWhenStored(updater, context, turnId);
      // A failed run leaves no child working for nobody (a cancelled one is handled by cancel, below).
      if (updater.snapshot()?.status.state === "TASK_STATE_FAILED") await cancelChildrenQuietly(env, request.taskId);
    }
  },
  async cancel(request, updater, { env }) {
    updater.status("TASK_STATE_CANCELED", "Canceled at the client's request.");
    // A child that asked the user something has no call running to see the abort: cancel it downstream.
    await cancelChildrenQuietly(env, request.taskId);
  },
};

/** An out-of-scope message (or a role this agent does not know) is answered with what the agent can do, without a model call. */
function answerWithoutModel(updater: TaskUpdater, setup: TurnSetup, base: Orchestration): void {
  const orchestration = { ...base, ...setup.initial, stopReason: "out-of-scope" };
  updater.metadata({ orchestration });
  updater.status("TASK_STATE_COMPLETED", setup.answer!, { messageMetadata: { orchestration: { kind: "answer", turn: base.turn.id, step: 0 } } });
}

async function cancelChildrenQuietly(env: Env, taskId: string): Promise<void> {
  try {
    await cancelChildren(env, taskId);
  } catch (error) {
    // The registry's database is out of reach: the children finish or expire downstream on their own.
    console.warn(JSON.stringify({ at: "delegate-cancel", taskId, error: String(error).slice(0, 200) }));
  }
}

function fail(updater: TaskUpdater, reason: string): void {
  updater.status("TASK_STATE_FAILED", reason);
}

/** The next run of the conversation may read the history once Postgres has this run's messages. */
async function leaveWhenStored(updater: TaskUpdater, context: ContextApi, turnId: string): Promise<void> {
  try {
    await updater.flushed();
    await context.leave(turnId);
  } catch (error) {
    // The context asks this task later whether it is done (context-object.ts); nothing is lost by failing here.
    console.warn(JSON.stringify({ at: "context-leave", turnId, error: String(error).slice(0, 200) }));
  }
}

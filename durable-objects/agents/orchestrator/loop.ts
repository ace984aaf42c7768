import { z } from "zod";
import type { ModelMessage } from "ai";
import type { Part } from "../../../schema/a2a";
import type { ExecutionRequest, TaskUpdater } from "../../executor";
import { ModelError, type ChatModel, type ModelToolCall, type StepResult, type Usage } from "../models/model";
import { reachedLimit, type RunLimits } from "./limits";
import { orchestrationOf, spentIn, startTurn, withStep, type Orchestration } from "./run-state";
import { TextStream } from "./text-stream";
import { toolSpec } from "./tools/tool-spec";
import { toolError, type Tool, type ToolCaller, type ToolContext, type ToolOutcome } from "./tools/tool";
import { a2uiClientOf } from "./tools/ui-client";
import { modelStepParts, noted, readConversation, toolResultParts, type OpenWork, type StepNote } from "./transcript";

/** What the model is shown for the next step: the prompt, and the tools it may call (the only ones it may). */
export interface StepPrompt {
  system: string;
  messages: ModelMessage[];
  tools: Tool[];
  /** The skill active for this step (activate_skill may change it mid-run), kept in the run's state. */
  skill?: string | null;
  /** This step's prompt in tokens per level (catalog, skill, resources, history, tools, message), kept as `usage.byLevel`. */
  byLevel?: Record<string, number>;
}

/** Shapes each step's prompt from the conversation so far and the run's state (role, skill, intent). */
export type PromptShaper = (view: { conversation: ModelMessage[]; state: Orchestration }) => StepPrompt | Promise<StepPrompt>;

export interface Turn {
  request: ExecutionRequest;
  updater: TaskUpdater;
  env: Env;
  model: ChatModel;
  caller: ToolCaller;
  limits: RunLimits;
  prompt: PromptShaper;
  /** USD for one call's usage with this run's model. */
  costOf(usage: Usage): number;
  /** Called with the run's state before the first step (intent, skill and role already decided). */
  initial?: Partial<Orchestration>;
}

type Next = "continue" | "stop";

/**
 * One run of the orchestrator, top to bottom: read back what the task has committed → run the tool calls it
 * left open (or resume the one that asked the user) → check the limits → one model call → commit the step →
 * again, until an answer without tool calls, a question for the user, a limit, an error or a cancel. Every
 * step is in the task (SQLite) before the next begins, so a run that restarts reads its way back here.
 */
export async function runTurn(turn: Turn): Promise<void> {
  const { updater, request } = turn;
  const wall = AbortSignal.timeout(Math.max(1, turn.limits.MAX_RUN_SECONDS * 1000 - (Date.now() - startedAt(turn))));
  const signal = AbortSignal.any([updater.signal, wall]);
  const run = new Run(turn, signal);
  try {
    while ((await run.next()) === "continue") {
      // each pass commits one step
    }
  } catch (error) {
    if (updater.signal.aborted) return; // canceled: the task object has already ended the task
    if (!wall.aborted) throw error;
    run.stop("MAX_RUN_SECONDS", `the run took longer than ${turn.limits.MAX_RUN_SECONDS} s (MAX_RUN_SECONDS)`);
  }
}

const startedAt = (turn: Turn) => {
  const state = orchestrationOf(turn.updater.snapshot());
  return state?.turn.id === turn.request.message.messageId ? state.turn.startedAt : Date.now();
};

class Run {
  private state: Orchestration;
  private readonly taskId: string;

  constructor(
    private readonly turn: Turn,
    private readonly signal: AbortSignal,
  ) {
    const base = startTurn(orchestrationOf(turn.updater.snapshot()), turn.request.message.messageId, { model: turn.model.id, role: turn.caller.role });
    this.state = { ...base, ...turn.initial };
    this.taskId = turn.updater.taskId;
    this.save();
  }

  async next(): Promise<Next> {
    if (this.signal.aborted) throw this.signal.reason;
    const { messages, open } = readConversation(this.turn.updater.snapshot()?.history ?? []);
    const prompt = await this.turn.prompt({ conversation: messages, state: this.state });
    if (open.suspended) return this.resumeSuspended(open, prompt.tools);
    const call = open.calls[0];
    if (call) return this.runCall(call, call.step, prompt.tools);
    const reached = reachedLimit(this.turn.limits, spentIn(this.state));
    if (reached) return this.stop(...reached);
    return this.modelStep(open.step + 1, prompt);
  }

  /** One model call; its complete response is committed as one step (or the final answer). */
  private async modelStep(step: number, prompt: StepPrompt): Promise<Next> {
    const { model, updater } = this.turn;
    const text = new TextStream(updater, `${this.taskId}-step-${step}`, "response");
    const started = Date.now();
    let result: StepResult;
    try {
      result = await model.step({
        system: prompt.system,
        messages: prompt.messages,
        tools: prompt.tools.map(toolSpec),
        signal: this.signal,
        maxOutputTokens: Math.max(1, Math.min(8192, this.turn.limits.MAX_OUTPUT_TOKENS - spentIn(this.state).outputTokens)),
        onTextDelta: (delta) => text.push(delta),
      });
    } catch (error) {
      text.close();
      if (this.signal.aborted) throw this.signal.reason;
      if (error instanceof ModelError) {
        log({ at: "model-call", taskId: this.taskId, step, model: model.id, durationMs: Date.now() - started, error: error.message, status: error.status });
        return this.stop("provider", `The model provider failed${error.status ? ` (HTTP ${error.status})` : ""}: ${error.message}`);
      }
      throw error;
    }
    text.finish();
    const durationMs = Date.now() - started;
    const costUsd = this.turn.costOf(result.usage);
    log({ at: "model-call", taskId: this.taskId, step, model: model.id, durationMs, ...result.usage, costUsd, finishReason: result.finishReason, toolCalls: result.toolCalls.length });
    this.state = withStep(this.state, { turn: this.state.turn.id, step, kind: "model", durationMs, ...result.usage, costUsd });
    if (prompt.skill !== undefined) this.state = { ...this.state, skill: prompt.skill };
    if (prompt.byLevel) this.state = { ...this.state, usage: { ...this.state.usage, byLevel: prompt.byLevel } };
    if (this.signal.aborted) throw this.signal.reason;
    if (result.toolCalls.length > 0) {
      this.save();
      updater.status("TASK_STATE_WORKING", modelStepParts(result.text, result.toolCalls), this.meta({ kind: "model", turn: this.state.turn.id, step }));
      return "continue";
    }
    if (!result.text.trim()) {
      return this.stop("empty", `The model returned neither an answer nor a tool call (finish reason: ${result.finishReason}).`);
    }
    this.state = { ...this.state, stopReason: "answer" };
    this.save();
    updater.status("TASK_STATE_COMPLETED", result.text, { ...this.meta({ kind: "answer", turn: this.state.turn.id, step }), eventMetadata: this.summary() });
    return "stop";
  }

  /** Runs one open tool call: refused, invalid, interrupted, or executed (with its timeout); commits the result. */
  private async runCall(call: { id: string; name: string; args: unknown }, step: number, offered: Tool[]): Promise<Next> {
    const tool = offered.find((candidate) => candidate.name === call.name);
    const key = `${this.taskId}/${step}/${call.id}`;
    const started = Date.now();
    let outcome: ToolOutcome;
    const args = call.args as { invalidJson?: string } | null;
    const parsed = tool?.input.safeParse(call.args);
    if (!tool) {
      outcome = toolError(`No tool named ${call.name} is available in this conversation (role ${this.turn.caller.role}); use only the tools you were given.`);
    } else if (args && typeof args === "object" && "invalidJson" in args && Object.keys(args).length === 1) {
      outcome = toolError(`The arguments were not valid JSON: ${String(args.invalidJson).slice(0, 200)}`);
    } else if (!parsed?.success) {
      outcome = toolError(`Invalid arguments for ${call.name}`, { issues: z.treeifyError(parsed!.error) });
    } else if (tool.sideEffects && this.state.pending?.callId === call.id && !tool.idempotent) {
      outcome = toolError(
        `This ${call.name} call was interrupted by a restart after it started; it was not repeated, so it may or may not have taken effect. Check before trying again.`,
        { interrupted: true },
      );
    } else {
      if (tool.sideEffects) {
        this.state = { ...this.state, pending: { step, callId: call.id, name: call.name, key, startedAt: started } };
        this.save();
      }
      outcome = await this.execute(tool, parsed.data, this.context(key, step, call.id, tool));
    }
    return this.settle(call, step, outcome, started);
  }

  /** The run started by the user's answer to a tool's question: that tool's `resume`, or the answer itself. */
  private async resumeSuspended(open: OpenWork, offered: Tool[]): Promise<Next> {
    const suspended = open.suspended!;
    const call = open.calls.find((c) => c.id === suspended.callId)!;
    const answer = this.turn.request.message;
    const tool = offered.find((candidate) => candidate.name === suspended.name);
    const started = Date.now();
    const key = `${this.taskId}/${suspended.step}/${suspended.callId}`;
    const outcome = !tool
      ? toolError(`No tool named ${suspended.name} is available in this conversation any more.`)
      : tool.resume
        ? await this.execute(tool, undefined, this.context(key, suspended.step, suspended.callId, tool), (ctx) => tool.resume!(suspended.state, answer, ctx))
        : ({ kind: "result", value: { answer: answer.parts } } as ToolOutcome);
    return this.settle(call, suspended.step, outcome, started, answer.messageId);
  }

  /** Commits what a call produced: a result for the model, or a question that leaves the task waiting. */
  private settle(call: { id: string; name: string }, step: number, outcome: ToolOutcome, started: number, answer?: string): Next {
    const durationMs = Date.now() - started;
    const { updater } = this.turn;
    if (this.signal.aborted) throw this.signal.reason;
    const isError = outcome.kind === "result" && outcome.isError === true;
    log({ at: "tool-call", taskId: this.taskId, step, tool: call.name, durationMs, outcome: outcome.kind, ...(isError ? { isError } : {}) });
    const { pending: _done, ...rest } = this.state;
    this.state = withStep(rest, { turn: this.state.turn.id, step, kind: "tool", name: call.name, durationMs, ...(isError ? { isError } : {}) });
    const turnId = this.state.turn.id;
    if (outcome.kind === "input-required") {
      this.state = { ...this.state, stopReason: "input-required" };
      this.save();
      const note: StepNote = { kind: "input-required", turn: turnId, step, callId: call.id, name: call.name, ...(outcome.state !== undefined ? { state: outcome.state } : {}) };
      updater.status("TASK_STATE_INPUT_REQUIRED", outcome.prompt, { ...this.meta(note), eventMetadata: this.summary() });
      return "stop";
    }
    this.save();
    const value = outcome.value === undefined ? null : outcome.value;
    const note: StepNote = { kind: "tool-result", turn: turnId, step, callId: call.id, ...(answer ? { answer } : {}) };
    updater.status("TASK_STATE_WORKING", toolResultParts({ id: call.id, name: call.name, value, ...(isError ? { isError } : {}) }), this.meta(note));
    return "continue";
  }

  /** Runs a tool's `execute` (or `resume`) under its timeout; a throw becomes an error result for the model. */
  private async execute(tool: Tool, args: unknown, ctx: ToolContext, work = (c: ToolContext) => tool.execute(args, c)): Promise<ToolOutcome> {
    const timeoutMs = tool.timeoutMs ?? this.turn.limits.TOOL_TIMEOUT_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<ToolOutcome>((resolve) => {
      timer = setTimeout(() => resolve(toolError(`${tool.name} did not finish within ${timeoutMs} ms (TOOL_TIMEOUT_MS) and was stopped.`, { timedOut: true })), timeoutMs);
    });
    const aborted = new Promise<never>((_, reject) => {
      if (this.signal.aborted) reject(this.signal.reason);
      this.signal.addEventListener("abort", () => reject(this.signal.reason), { once: true });
    });
    try {
      return await Promise.race([
        work(ctx).catch((error: unknown): ToolOutcome => {
          if (this.signal.aborted) throw error;
          console.error(JSON.stringify({ at: "tool-error", taskId: this.taskId, tool: tool.name, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
          return toolError(`${tool.name} failed: ${error instanceof Error ? error.message : String(error)}`);
        }),
        expired,
        aborted,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  private context(key: string, step: number, callId: string, tool: Tool): ToolContext {
    const { updater, request, env, caller } = this.turn;
    const a2ui = a2uiClientOf(request);
    const timeoutMs = tool.timeoutMs ?? this.turn.limits.TOOL_TIMEOUT_MS;
    const event = (extra?: Record<string, unknown>) => ({ messageMetadata: { ...noted({ kind: "tool-event", turn: this.state.turn.id, step, callId }), ...extra } });
    return {
      signal: AbortSignal.any([this.signal, AbortSignal.timeout(timeoutMs)]),
      caller,
      idempotencyKey: key,
      taskId: this.taskId,
      contextId: request.contextId,
      env,
      emit: {
        artifact: (artifact, options) => updater.artifact(artifact, options),
        status: (content: string | Part[], metadata?: Record<string, unknown>) => updater.status("TASK_STATE_WORKING", content, event(metadata)),
      },
      // The client's A2UI renderer, if its message declared one: UI tools show it surfaces, and anyone else text.
      ...(a2ui ? { a2ui } : {}),
    };
  }

  /** Ends the run without an answer: a limit, a provider error, an empty answer. The task fails, saying why. */
  stop(reason: string, message: string): Next {
    this.state = { ...this.state, stopReason: reason.startsWith("MAX_") ? `limit:${reason}` : reason };
    this.save();
    log({ at: "run-stop", taskId: this.taskId, reason: this.state.stopReason });
    const text = reason.startsWith("MAX_") ? `Stopped: ${message}.` : message;
    this.turn.updater.status("TASK_STATE_FAILED", text, { ...this.meta({ kind: "stop", turn: this.state.turn.id, reason: this.state.stopReason! }), eventMetadata: this.summary() });
    return "stop";
  }

  private save(): void {
    this.turn.updater.metadata({ orchestration: this.state });
  }

  private meta(note: StepNote) {
    return { messageMetadata: noted(note) };
  }

  /** The run state a stream's final status update carries, for clients that do not fetch the task. */
  private summary() {
    const { steps: _steps, ...rest } = this.state;
    return { orchestration: rest };
  }
}

const log = (line: Record<string, unknown>) => console.log(JSON.stringify(line));

export type { ModelToolCall };

import type { ModelMessage } from "ai";
import type { Message } from "../../../../schema/a2a";
import type { ChatModel, Usage } from "../../models/model";
import type { StepPrompt } from "../loop";
import type { Orchestration, StepRecord } from "../run-state";
import { skillStateFrom, skillTools, type SkillState } from "../tools/skills";
import type { Tool, ToolCaller } from "../tools/tool";
import { userText } from "../transcript";
import { capabilityAnswer } from "./capabilities";
import { classifyIntent, resolveActiveSkill, type Intent } from "./intent";
import { canUse, policyFor, rolesConfig, type RolePolicy } from "./roles";
import { shapePrompt } from "./shape";
import { skillNamed } from "./skills";

/** A tool result as the model's view of a conversation carries it. */
interface ToolResult {
  name: string;
  value: unknown;
  isError: boolean;
}

function toolResultsIn(messages: readonly ModelMessage[]): ToolResult[] {
  return messages.flatMap((m) =>
    m.role !== "tool"
      ? []
      : m.content.flatMap((part) => {
          if (part.type !== "tool-result") return [];
          const output = part.output as { type: string; value?: unknown };
          return [{ name: part.toolName, value: output.value, isError: output.type.startsWith("error") }];
        }),
  );
}

/**
 * The skill a conversation was last working in, read from its history: the last activate_skill result, or the
 * last call of a tool only one of the role's skills uses (search_candidates → candidate-search). Earlier turns
 * whose skill came from their intent alone leave no other trace in the messages.
 */
export function conversationSkill(history: readonly ModelMessage[], policy: RolePolicy): string | null {
  let skill: string | null = null;
  const owners = (tool: string) => policy.skills.filter((name) => skillNamed(name)!.allowedTools.includes(tool));
  for (const m of history) {
    if (m.role === "assistant" && typeof m.content !== "string") {
      for (const part of m.content) if (part.type === "tool-call" && owners(part.toolName).length === 1) skill = owners(part.toolName)[0]!;
    }
    if (m.role === "tool") {
      const activated = skillStateFrom(toolResultsIn([m]), { activeSkill: null, resourcesRead: [] }).activeSkill;
      if (activated && canUse(policy, "skill", activated)) skill = activated;
    }
  }
  return skill;
}

export interface TurnInput {
  env: Env;
  caller: ToolCaller;
  /** The user message that started the run. */
  message: Message;
  /** The conversation before this task (earlier tasks), as the model reads it. */
  earlier: ModelMessage[];
  /** This task's run state when the task ran before: a restart, or the user's answer to a question. */
  previous: Orchestration | undefined;
  /** Every tool the run could use (tools/index.ts); the role and the active skill narrow it per step. */
  tools: Tool[];
  /** The intent model (`modelFor(env, "intent")`); an offline model means the offline classifier. */
  intentModel?: ChatModel;
  /** The agent's own instructions, first in the system prompt. */
  instructions?: string;
  signal: AbortSignal;
  /** USD for the intent call's usage. */
  costOf?(usage: Usage): number;
}

/** What the loop gets for one run: its starting state, how to shape each step, or an answer that needs no model. */
export interface TurnSetup {
  policy: RolePolicy;
  /** Merged into the run's state before the first step: role, skill, intent, and the intent call's cost. */
  initial: Partial<Orchestration>;
  prompt: (view: { conversation: ModelMessage[] }) => StepPrompt & { skill: string | null; byLevel: Record<string, number> };
  /** The run's answer without a model call (an out-of-scope message, a role this agent does not know), or null. */
  answer: string | null;
}

/**
 * Levels 1 and 2 for one run: the caller's role policy, then (for a new task) the message's intent against the
 * role's skills, which fixes the turn's active skill; then a shaper that, before each step, rebuilds the skill
 * state from the run's own tool results (so a restart shapes the same prompt) and calls `shapePrompt`.
 * A restarted run, or an answer to the run's own question, keeps the intent and skill it had.
 */
export async function prepareTurn(input: TurnInput): Promise<TurnSetup> {
  const policy = policyFor(input.caller.role, { roles: rolesConfig(input.env) });
  const base = skillStateFrom(toolResultsIn(input.earlier));
  let intent: Pick<Intent, "skill" | "shift" | "confidence" | "source"> | undefined = input.previous?.intent;
  let turnSkill = input.previous ? input.previous.skill : conversationSkill(input.earlier, policy);
  const initial: Partial<Orchestration> = { role: policy.role };
  if (!input.previous && policy.skills.length > 0) {
    const classified = await classifyIntent({ message: userText(input.message), currentSkill: turnSkill, policy, history: input.earlier, model: input.intentModel, signal: input.signal });
    intent = { skill: classified.skill, shift: classified.shift, confidence: classified.confidence, source: classified.source };
    turnSkill = resolveActiveSkill(policy, turnSkill, classified);
    const costUsd = classified.source === "model" && input.costOf ? input.costOf(classified.usage) : 0;
    const record: StepRecord = { turn: input.message.messageId, step: 0, kind: "intent", durationMs: classified.latencyMs, ...classified.usage, costUsd };
    Object.assign(initial, { intent, steps: [record], usage: { ...classified.usage, costUsd } });
  }
  initial.skill = turnSkill && canUse(policy, "skill", turnSkill) ? turnSkill : null;
  if (intent) initial.intent = intent;
  const start: SkillState = { activeSkill: initial.skill ?? null, resourcesRead: base.resourcesRead };
  const state: SkillState = { ...start, resourcesRead: [...start.resourcesRead] };
  const tools = [...input.tools, ...skillTools(policy, state)];
  const shape = (conversation: readonly ModelMessage[]) => {
    // The run's own results replayed over the turn's start: the same state after a restart as before it.
    const now = skillStateFrom(toolResultsIn(conversation), start);
    state.activeSkill = now.activeSkill;
    state.resourcesRead = now.resourcesRead;
    const [first, ...steps] = conversation;
    return shapePrompt({
      role: policy, intent: intent ?? null, activeSkill: now.activeSkill, history: input.earlier, message: first ?? userText(input.message), steps,
      tools, resourcesRead: now.resourcesRead, ...(input.instructions ? { instructions: input.instructions } : {}),
    });
  };
  const firstLook = input.previous ? undefined : shape([{ role: "user", content: userText(input.message) }]);
  const answer = !policy.known ? capabilityAnswer(policy) : (firstLook?.capabilityAnswer ?? null);
  return {
    policy,
    initial,
    answer,
    prompt: ({ conversation }) => {
      const shaped = shape(conversation);
      return { system: shaped.system, messages: shaped.messages, tools: shaped.tools, skill: shaped.activeSkill, byLevel: { ...shaped.accounting.byLevel } };
    },
  };
}

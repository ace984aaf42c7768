import type { ModelMessage } from "ai";
import { z } from "zod";
import type { ChatModel } from "../../models/model";
import { classifyOffline, type OfflineParams } from "./offline-intent";
import { canUse, type RolePolicy } from "./roles";
import { ORCHESTRATOR_SKILLS, skillNamed } from "./skills";

/**
 * A message's intent (level 2): which of the role's skills it is about (`none`: out of scope), whether that
 * shifts the conversation off its current skill, how sure the classifier is, and what the classification cost.
 */
export interface Intent {
  skill: string;
  shift: boolean;
  confidence: number;
  source: "model" | "offline";
  usage: { inputTokens: number; outputTokens: number };
  latencyMs: number;
  /** The model that classified, when one did. */
  model?: string;
  /** Why the offline classifier decided although a model is configured (the model call failed). */
  fallback?: string;
}

export const NONE = "none";

export interface IntentEnv {
  /** The model for intent calls; default `MODEL` (the loop's). */
  INTENT_MODEL?: string;
  MODEL?: string;
}

/** Which model the intent call uses: `INTENT_MODEL`, else the loop's `MODEL`; undefined means offline. */
export const intentModelName = (env: IntentEnv): string | undefined => env.INTENT_MODEL || env.MODEL || undefined;

export function intentSchema(skills: readonly string[]) {
  return z.object({
    skill: z.enum([NONE, ...skills] as [string, ...string[]]).describe(`One of the skill names, or "${NONE}" when no skill fits`),
    shift: z.boolean().describe("True when the message moves away from the conversation's current skill to another one"),
    confidence: z.number().min(0).max(1),
  });
}

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function intentSystem(policy: RolePolicy, currentSkill: string | null): string {
  const skills = policy.skills.map((name) => `<skill><name>${name}</name><description>${escape(skillNamed(name)!.description)}</description></skill>`);
  return [
    "Classify the user's latest message: which one of the skills below it asks for.",
    `Answer "${NONE}" when no skill fits (small talk, general knowledge, tasks unrelated to these skills); never guess.`,
    "A short follow-up (a yes, a time, a figure, a choice) belongs to the current skill.",
    `The conversation's current skill: ${currentSkill ?? "none yet"}.`,
    `<available_skills>\n${skills.join("\n")}\n</available_skills>`,
  ].join("\n");
}

/** The last turns as plain text: the classifier needs the gist, not tool payloads. */
function recentTurns(history: readonly ModelMessage[], max = 6): ModelMessage[] {
  const turns: ModelMessage[] = [];
  for (const m of history) {
    if (m.role !== "user" && m.role !== "assistant") continue;
    const text = typeof m.content === "string" ? m.content : m.content.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("\n");
    if (text.trim()) turns.push(m.role === "user" ? { role: "user", content: text.slice(0, 500) } : { role: "assistant", content: text.slice(0, 500) });
  }
  return turns.slice(-max);
}

export interface ClassifyInput {
  message: string;
  currentSkill: string | null;
  policy: RolePolicy;
  history?: readonly ModelMessage[];
  /** The intent model; absent or offline → the offline classifier. */
  model?: ChatModel | undefined;
  signal?: AbortSignal;
  offlineParams?: OfflineParams;
  /** All of the agent's skills (default: the orchestrator's): the offline classifier refuses a message that is about one the role may not use. */
  agentSkills?: readonly string[];
}

/**
 * Level 2 of what the model sees: one structured-output call to the intent model (`ChatModel.object`, the
 * skill an enum of the role's skills or `none`), or the deterministic offline classifier when no model is
 * configured or the call fails. `shift` is made to agree with `skill`: it is true exactly when the message
 * picks a skill other than the current one.
 */
export async function classifyIntent(input: ClassifyInput): Promise<Intent> {
  const { policy, message } = input;
  const allowed = policy.skills.filter((name) => canUse(policy, "skill", name));
  const current = input.currentSkill && allowed.includes(input.currentSkill) ? input.currentSkill : null;
  const started = Date.now();
  const shiftOf = (skill: string) => current !== null && skill !== NONE && skill !== current;
  const offline = (fallback?: string): Intent => {
    const decision = classifyOffline({ message, currentSkill: current, allowed, known: input.agentSkills ?? ORCHESTRATOR_SKILLS }, input.offlineParams);
    return {
      skill: decision.skill, shift: shiftOf(decision.skill), confidence: decision.confidence, source: "offline",
      usage: { inputTokens: 0, outputTokens: 0 }, latencyMs: Date.now() - started, ...(fallback ? { fallback } : {}),
    };
  };
  const model = input.model;
  if (!model || model.offline || allowed.length === 0) return offline();
  try {
    const { value, usage } = await model.object({
      system: intentSystem({ ...policy, skills: allowed }, current),
      messages: [...recentTurns(input.history ?? []), { role: "user", content: message }],
      schema: intentSchema(allowed),
      name: "intent",
      signal: input.signal ?? new AbortController().signal,
    });
    return {
      skill: value.skill, shift: shiftOf(value.skill), confidence: value.confidence, source: "model",
      usage: { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens }, latencyMs: Date.now() - started, model: model.id,
    };
  } catch (error) {
    if (input.signal?.aborted) throw error;
    return offline(`the intent model failed: ${error instanceof Error ? error.message.slice(0, 200) : "unknown error"}`);
  }
}

/** The skill a turn works in: the intent's skill when it names an allowed one, else the current skill if still allowed. */
export function resolveActiveSkill(policy: RolePolicy, current: string | null, intent: Pick<Intent, "skill"> | null | undefined): string | null {
  if (intent && intent.skill !== NONE && canUse(policy, "skill", intent.skill)) return intent.skill;
  return current && canUse(policy, "skill", current) ? current : null;
}

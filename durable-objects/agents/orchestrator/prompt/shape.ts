import type { ModelMessage } from "ai";
import { estimateTokenCount } from "tokenx";
import type { ToolSpec } from "../../models/model";
import type { ResourceRef } from "../tools/skills";
import type { Tool } from "../tools/tool";
import { toolSpec } from "../tools/tool-spec";
import { capabilityAnswer } from "./capabilities";
import { NONE, type Intent } from "./intent";
import { canUse, canUseTool, isConversationTool, policyFor, type OriginTool, type RolePolicy } from "./roles";
import { SKILL_SCOPED_TOOLS, skillNamed } from "./skills";

/** Tokens per part of the prompt (estimated with tokenx): what each level of disclosure costs. */
export interface LevelUsage {
  catalog: number;
  skill: number;
  resources: number;
  history: number;
  tools: number;
  message: number;
}

export interface ShapeInput {
  /** The caller's role, or its policy already resolved (`policyFor`). */
  role: string | RolePolicy;
  /** This turn's intent; a confident `none` makes the turn a capability answer. */
  intent?: (Pick<Intent, "skill"> & { confidence?: number }) | null;
  /** The turn's skill (`resolveActiveSkill` at the start of the turn, then whatever activate_skill set). */
  activeSkill: string | null;
  /** Earlier messages of the conversation, oldest first. */
  history: readonly ModelMessage[];
  /** The user's message that started the turn. */
  message: ModelMessage | string;
  /** This run's own steps so far (the model's tool calls and their results), after the message. */
  steps?: readonly ModelMessage[];
  /** Every tool the run could offer; the role and the active skill decide which the model sees. */
  tools: readonly OriginTool[];
  /** Files read with read_skill_resource; only the active skill's are shown. */
  resourcesRead: readonly ResourceRef[];
  /** The agent's own instructions, first in the system prompt (counted with the catalog); default a one-line identity. */
  instructions?: string;
  /** For "today" in the prompt; default now. */
  now?: Date;
}

export interface ShapedPrompt {
  system: string;
  messages: ModelMessage[];
  toolSpecs: ToolSpec[];
  /** The tools the model is offered: a call to any other is refused at execution. */
  tools: Tool[];
  /** The active skill after the role's filter (a skill the role may not use is dropped). */
  activeSkill: string | null;
  /**
   * Set when the intent is a confident `none` and the role has no tool beyond the conversation's and the skills'
   * own (an MCP server or an agent might still serve the request): the turn's answer, without a model call.
   */
  capabilityAnswer: string | null;
  accounting: { byLevel: LevelUsage; total: number };
}

/** Below this confidence an out-of-scope intent is the model's to judge (with the capability list), not answered at once. */
export const CAPABILITY_ANSWER_CONFIDENCE = 0.8;

/** Tier 3 in the prompt: at most this many files, most recent first, within this many characters. */
const MAX_RESOURCES = 4;
const MAX_RESOURCE_CHARS = 48_000;

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function preamble(policy: RolePolicy, instructions: string | undefined, now: Date): string {
  return [
    instructions ?? "You are the assistant of an enterprise recruiting platform.",
    `The caller's role is ${policy.role}${policy.description ? ` (${policy.description})` : ""}. Only the skills and tools offered here exist for this role; if asked for anything else, say it is not available to the role.`,
    `Today is ${now.toISOString().slice(0, 10)} (${now.toLocaleDateString("en-GB", { weekday: "long", timeZone: "UTC" })}, UTC).`,
  ].join("\n");
}

/** Tier 1: every allowed skill's name and description, and how to use them. */
function catalogBlock(skills: readonly string[]): string {
  if (skills.length === 0) return "";
  const entries = skills.map((name) => `<skill><name>${name}</name><description>${escape(skillNamed(name)!.description)}</description></skill>`);
  return [
    "Skills hold the instructions for each kind of request. When the user's request matches a skill's description, call activate_skill with its name; the active skill's instructions appear below as <skill_content>. Follow them, and read a file they mention with read_skill_resource only when you need it.",
    `<available_skills>\n${entries.join("\n")}\n</available_skills>`,
  ].join("\n");
}

/** Tier 2: the active skill's body, with the names (never the contents) of its files. */
function skillBlock(name: string): string {
  const skill = skillNamed(name)!;
  const files = skill.resources.map((r) => r.path);
  return `<skill_content name="${name}">\n${skill.body}\n${files.length ? `Files (read_skill_resource): ${files.join(", ")}\n` : ""}</skill_content>`;
}

/** Tier 3: what read_skill_resource returned for the active skill, newest first, within the budget. */
function resourceBlock(active: string, read: readonly ResourceRef[]): string {
  const skill = skillNamed(active)!;
  const blocks: string[] = [];
  let chars = 0;
  const seen = new Set<string>();
  for (const ref of [...read].reverse()) {
    if (ref.skill !== active || seen.has(ref.path) || blocks.length >= MAX_RESOURCES) continue;
    const file = skill.resources.find((r) => r.path === ref.path);
    if (!file || chars + file.text.length > MAX_RESOURCE_CHARS) continue;
    seen.add(ref.path);
    chars += file.text.length;
    blocks.unshift(`<skill_resource skill="${active}" path="${escape(ref.path)}">\n${file.text}\n</skill_resource>`);
  }
  return blocks.join("\n");
}

/** Which of the run's tools the model sees: the role must allow it, and a skill's tool needs that skill active. */
function offeredTools(policy: RolePolicy, tools: readonly OriginTool[], active: string | null): OriginTool[] {
  const activeTools = new Set(active ? skillNamed(active)!.allowedTools : []);
  const hasFiles = active ? skillNamed(active)!.resources.length > 0 : false;
  return tools.filter((tool) => {
    if (!canUseTool(policy, tool)) return false;
    if (tool.name === "read_skill_resource" && !tool.origin) return hasFiles;
    if (!tool.origin && SKILL_SCOPED_TOOLS.has(tool.name)) return activeTools.has(tool.name);
    return true;
  });
}

/** The text of a message as a provider would receive it, for estimating its tokens. */
function messageText(message: ModelMessage): string {
  if (typeof message.content === "string") return message.content;
  return message.content.map((part) => ("text" in part && typeof part.text === "string" ? part.text : JSON.stringify(part))).join("\n");
}

const tokens = (text: string) => (text ? estimateTokenCount(text) : 0);

/**
 * What the model sees, as a pure function of the turn: the role's catalog (tier 1) always, the active skill's
 * body (tier 2) only while it is active, its files (tier 3) only once read, the history and the message, and
 * the tools the role and the skill allow, with each part's token cost. A `none` intent yields the capability
 * answer instead of a guess.
 */
export function shapePrompt(input: ShapeInput): ShapedPrompt {
  const policy = typeof input.role === "string" ? policyFor(input.role) : input.role;
  const skills = policy.skills.filter((name) => canUse(policy, "skill", name));
  const active = input.activeSkill && skills.includes(input.activeSkill) ? input.activeSkill : null;
  const outOfScope = input.intent?.skill === NONE;
  const head = [preamble(policy, input.instructions, input.now ?? new Date()), catalogBlock(skills)].filter(Boolean).join("\n\n");
  const skill = active ? skillBlock(active) : "";
  const resources = active ? resourceBlock(active, input.resourcesRead) : "";
  const message: ModelMessage = typeof input.message === "string" ? { role: "user", content: input.message } : input.message;
  const tools = offeredTools(policy, input.tools, active);
  // Skills' tools are no reason to call the model for a message no skill covers; an MCP server's or agent's are.
  const answerDirectly = outOfScope && (input.intent?.confidence ?? 1) >= CAPABILITY_ANSWER_CONFIDENCE && tools.every((tool) => isConversationTool(tool.name) || (!tool.origin && SKILL_SCOPED_TOOLS.has(tool.name)));
  const note = outOfScope
    ? `The latest message matches none of your skills. If one of your tools serves it, use it; otherwise do not guess, and answer with what you can do:\n${capabilityAnswer(policy)}`
    : "";
  const system = [head, skill, resources, note].filter(Boolean).join("\n\n");
  const toolSpecs = tools.map(toolSpec);
  const byLevel: LevelUsage = {
    catalog: tokens(head) + tokens(note),
    skill: tokens(skill),
    resources: tokens(resources),
    // The run's own steps count as history: they are what the conversation has become since the message.
    history: [...input.history, ...(input.steps ?? [])].reduce((sum, m) => sum + tokens(messageText(m)), 0),
    tools: tokens(toolSpecs.length ? JSON.stringify(toolSpecs) : ""),
    message: tokens(messageText(message)),
  };
  return {
    system,
    messages: [...input.history, message, ...(input.steps ?? [])],
    toolSpecs,
    tools,
    activeSkill: active,
    capabilityAnswer: answerDirectly ? capabilityAnswer(policy) : null,
    accounting: { byLevel, total: Object.values(byLevel).reduce((a, b) => a + b, 0) },
  };
}

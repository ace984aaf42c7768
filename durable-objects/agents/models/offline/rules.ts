import { domainWords, fillArguments } from "./arguments";
import type { OfflineContext, OfferedTool } from "./context";

/**
 * What the offline model does in one step: say something, or call tools (optionally saying something first).
 * Text is prefixed with OFFLINE_PREFIX by the model, never by a rule.
 */
export type OfflineAction = { say: string } | { calls: { tool: string; args: Record<string, unknown> }[]; say?: string };

/**
 * One row of the offline model's rule table. Rules are tried in order; the first that returns an action decides
 * the step. `decide` sees the turn (the user's message, the tools offered, the results so far) and must be
 * deterministic: the same prompt gives the same action, so a re-issued step after a restart matches the first.
 * @example
 * // Recruiting: "offer" calls make_offer with a fixed salary band once a candidate was screened.
 * extendOfflineRules({
 *   name: "recruiting-offer",
 *   decide: (ctx) => ctx.words.has("offer") && ctx.called.has("screen_candidate") && !ctx.called.has("make_offer")
 *     ? { calls: [{ tool: "make_offer", args: { band: "B2" } }] } : undefined,
 * });
 */
export interface OfflineRule {
  name: string;
  /** One line for docs/models.md and the rule listing. */
  description: string;
  decide(ctx: OfflineContext): OfflineAction | undefined;
}

export const ASK_USER = "ask_user";

/**
 * A tool the user's message is about: one of its domain words (`search_candidates` → search, candidate(s)) is in
 * the message, it was not called yet this turn, and it is not ask_user. The earliest mentioned first, then the
 * most specific (most words matched); one call per step, so a request naming two tools takes two steps.
 */
export function nextMentionedTool(ctx: OfflineContext): OfferedTool | undefined {
  const text = ctx.text.toLowerCase();
  const scored = ctx.tools
    .filter((tool) => tool.name !== ASK_USER && !ctx.called.has(tool.name))
    .map((tool) => {
      const hits = domainWords(tool).filter((word) => ctx.words.has(word));
      const first = Math.min(...hits.map((word) => text.search(new RegExp(`\\b${word}\\b`))).filter((at) => at >= 0), Infinity);
      return { tool, hits: hits.length, first };
    })
    .filter((entry) => entry.hits > 0);
  scored.sort((a, b) => a.first - b.first || b.hits - a.hits);
  return scored[0]?.tool;
}

/** Calls the tool the message is about, with arguments read from it; asks the user (via ask_user) for what is missing. */
export const callMentionedTool: OfflineRule = {
  name: "call-mentioned-tool",
  description: "A message naming what a tool is about calls it, arguments filled from the message; missing ones are asked for with ask_user.",
  decide(ctx) {
    const tool = nextMentionedTool(ctx);
    if (!tool) return undefined;
    const filled = fillArguments(tool, ctx.text);
    if ("args" in filled) return { calls: [{ tool: tool.name, args: filled.args }], say: `I will use ${tool.name}.` };
    const question = `To use ${tool.name} I need the ${filled.missing.replace(/[_-]+/g, " ")}. What should it be?`;
    const ask = ctx.tools.find((candidate) => candidate.name === ASK_USER);
    if (!ask || ctx.called.has(ASK_USER)) return { say: question };
    const property = (ask.inputSchema.required ?? Object.keys(ask.inputSchema.properties ?? {}))[0] ?? "question";
    return { calls: [{ tool: ASK_USER, args: { [property]: question } }] };
  },
};

/** Once this turn's tools have answered, reports what they returned. */
export const answerFromResults: OfflineRule = {
  name: "answer-from-results",
  description: "After tool results, answers by reporting each result (or error) in one sentence.",
  decide(ctx) {
    const results = ctx.results.filter((result) => result.toolName !== ASK_USER);
    if (results.length === 0) return undefined;
    const lines = results.map((result) => `${result.toolName} ${result.isError ? "failed" : "returned"}: ${brief(result.value)}`);
    return { say: `Here is what I found. ${lines.join(" ")}` };
  },
};

/** Anything else: says what it is and what it could do. */
export const fallback: OfflineRule = {
  name: "fallback",
  description: "Otherwise, says that no language model is configured, repeats the request and lists the tools it could call.",
  decide(ctx) {
    const tools = ctx.tools.filter((tool) => tool.name !== ASK_USER).map((tool) => tool.name);
    const request = ctx.text ? `You wrote: "${ctx.text.slice(0, 200)}". ` : "";
    const offer = tools.length ? `I can call ${tools.join(", ")}: mention what one of them is about.` : "I have no tools in this conversation.";
    return { say: `No language model is configured, so I follow fixed rules. ${request}${offer}` };
  },
};

const DEFAULT_RULES: readonly OfflineRule[] = [callMentionedTool, answerFromResults, fallback];
const extensions: OfflineRule[] = [];

/**
 * Adds rules that are tried before the built-in ones (e.g. the recruiting demo's). A rule with the same name
 * replaces the earlier one, so importing a module twice is harmless.
 */
export function extendOfflineRules(...rules: OfflineRule[]): void {
  for (const rule of rules) {
    const at = extensions.findIndex((existing) => existing.name === rule.name);
    if (at >= 0) extensions[at] = rule;
    else extensions.push(rule);
  }
}

/** The table the offline model uses: extensions first, then the built-in rules. */
export function offlineRules(): readonly OfflineRule[] {
  return [...extensions, ...DEFAULT_RULES];
}

export function decide(ctx: OfflineContext, rules: readonly OfflineRule[] = offlineRules()): { rule: string; action: OfflineAction } {
  for (const rule of rules) {
    const action = rule.decide(ctx);
    if (action) return { rule: rule.name, action };
  }
  return { rule: fallback.name, action: fallback.decide(ctx)! };
}

function brief(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

import { catalog, type SkillRecord } from "../../../../skills";
import { examplesOf, tagsOf, takesText } from "../../../../skills/skill";
import { isClass, lowerCaseVocabulary, terms, tokenize } from "./tokens";

/**
 * The offline intent classifier: BM25F over each skill's fields (name, tags, description, examples, body), a
 * prior for the conversation's current skill, and an out-of-scope decision from how much of the message the
 * skills' vocabulary covers. Deterministic and pure; the index is built once per isolate from the bundled skills.
 * Measured by `npm run eval` (bench/eval), where its parameters were tuned on the dev split only.
 */

const FIELDS = ["name", "tags", "description", "examples", "body"] as const;
type Field = (typeof FIELDS)[number];

export interface OfflineParams {
  /** Field weights and length normalisation (BM25F). */
  weights: Record<Field, number>;
  b: Record<Field, number>;
  k1: number;
  /** Added to the current skill's score: a follow-up stays in its skill unless another clearly wins. */
  prior: number;
  /** Lowest score that picks a skill on its own. */
  minScore: number;
  /** Lowest share of the message's words the skills know, to pick a skill. */
  minCoverage: number;
  /** Lowest coverage for a follow-up with no clear skill of its own to stay in the current skill. */
  minFollowUpCoverage: number;
}

export const DEFAULT_PARAMS: OfflineParams = {
  weights: { name: 3, tags: 2.5, description: 2, examples: 2, body: 0.4 },
  b: { name: 0.2, tags: 0.5, description: 0.6, examples: 0.5, body: 0.75 },
  k1: 1.2,
  prior: 1.5,
  minScore: 2.5,
  minCoverage: 0.5,
  minFollowUpCoverage: 0.5,
};

interface Doc {
  name: string;
  tf: Record<Field, Map<string, number>>;
  len: Record<Field, number>;
}

export interface OfflineIndex {
  docs: Map<string, Doc>;
  df: Map<string, number>;
  avgLen: Record<Field, number>;
  /** Every unigram the skills use, classes included: what "known" means for coverage. */
  vocabulary: Set<string>;
  /** Lower-case stems, for telling names from words. */
  lowerCase: Set<string>;
}

function fieldTexts(skill: SkillRecord): Record<Field, string> {
  return {
    name: skill.name.replace(/-/g, " "),
    tags: tagsOf(skill).join(" "),
    description: skill.description,
    examples: examplesOf(skill).join(" . "),
    body: skill.body,
  };
}

const counts = (list: string[]) => list.reduce((m, t) => m.set(t, (m.get(t) ?? 0) + 1), new Map<string, number>());

export function buildIndex(skills: readonly SkillRecord[]): OfflineIndex {
  const texts = skills.map(fieldTexts);
  const lowerCase = lowerCaseVocabulary(texts.flatMap((t) => Object.values(t)));
  const docs = new Map<string, Doc>();
  const df = new Map<string, number>();
  const vocabulary = new Set<string>();
  const totals = Object.fromEntries(FIELDS.map((f) => [f, 0])) as Record<Field, number>;
  skills.forEach((skill, i) => {
    const tf = {} as Doc["tf"];
    const len = {} as Doc["len"];
    const seen = new Set<string>();
    for (const field of FIELDS) {
      const tokens = tokenize(texts[i]![field], lowerCase);
      for (const t of tokens) vocabulary.add(t);
      const all = terms(tokens);
      tf[field] = counts(all);
      len[field] = all.length;
      totals[field] += all.length;
      for (const t of all) seen.add(t);
    }
    for (const t of seen) df.set(t, (df.get(t) ?? 0) + 1);
    docs.set(skill.name, { name: skill.name, tf, len });
  });
  const avgLen = Object.fromEntries(FIELDS.map((f) => [f, totals[f] / Math.max(1, skills.length)])) as Record<Field, number>;
  return { docs, df, avgLen, vocabulary, lowerCase };
}

let bundled: OfflineIndex | undefined;
/**
 * The index over every bundled skill that takes requests in words (idf is computed over all of them, whatever a
 * role may use). A skill for structured requests only (the recruiting CRM's: `a2a-input-modes: application/json`)
 * is never what a sentence asks for, and its text would skew the vocabulary.
 */
export const bundledIndex = () => (bundled ??= buildIndex(catalog.filter(takesText)));

function bm25f(index: OfflineIndex, doc: Doc, query: readonly string[], p: OfflineParams): number {
  const n = index.docs.size;
  let score = 0;
  for (const term of new Set(query)) {
    let weighted = 0;
    for (const f of FIELDS) {
      const tf = doc.tf[f].get(term);
      if (tf) weighted += (p.weights[f] * tf) / (1 - p.b[f] + (p.b[f] * doc.len[f]) / Math.max(1, index.avgLen[f]));
    }
    if (weighted === 0) continue;
    const df = index.df.get(term) ?? 0;
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    score += idf * ((weighted * (p.k1 + 1)) / (weighted + p.k1));
  }
  return score;
}

export interface OfflineDecision {
  skill: string | "none";
  confidence: number;
  /** Why: a skill matched, a follow-up stayed, nothing matched, nothing was said, or the match is a skill of another role. */
  basis: "match" | "follow-up" | "out-of-scope" | "empty" | "not-allowed";
  coverage: number;
  scores: Record<string, number>;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Classifies one message against the `allowed` skills, given the conversation's current skill (or null).
 * `known` are all the agent's skills: a message that best matches one the role may not use is out of scope
 * for the role (rather than forced onto the nearest allowed skill). Only allowed names or "none" come out.
 */
export function classifyOffline(
  input: { message: string; currentSkill: string | null; allowed: readonly string[]; known?: readonly string[] },
  params: OfflineParams = DEFAULT_PARAMS,
  index: OfflineIndex = bundledIndex(),
): OfflineDecision {
  const current = input.currentSkill && input.allowed.includes(input.currentSkill) ? input.currentSkill : null;
  const tokens = tokenize(input.message, index.lowerCase);
  // Names and identifiers say nothing about the skill: they count neither for nor against coverage.
  const content = tokens.filter((t) => t !== "<name>" && t !== "<id>");
  // Coverage: the share of the message's words the skills use. A date, time, number or amount is only half
  // evidence ("tomorrow" fits interview scheduling and the weather alike); a name is no evidence either way.
  const known = content.reduce((sum, t) => sum + (isClass(t) ? 0.5 : index.vocabulary.has(t) ? 1 : 0), 0);
  const coverage = content.length ? known / content.length : 0;
  const query = terms(tokens);
  const scores: Record<string, number> = {};
  for (const name of new Set([...input.allowed, ...(input.known ?? [])])) {
    const doc = index.docs.get(name);
    if (doc) scores[name] = bm25f(index, doc, query, params) + (name === current ? params.prior : 0);
  }
  const ranked = Object.entries(scores).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const [best, second] = ranked;
  const rounded = Object.fromEntries(ranked.filter(([k]) => input.allowed.includes(k)).map(([k, v]) => [k, round(v)]));
  if (best && !input.allowed.includes(best[0]) && best[1] >= params.minScore && coverage >= params.minCoverage) {
    return { skill: "none", confidence: 0.6, basis: "not-allowed", coverage: round(coverage), scores: rounded };
  }
  if (tokens.length === 0) {
    // Nothing but small words ("hello", "thanks", "yes please"): a follow-up, or plainly nothing to act on.
    return current ? { skill: current, confidence: 0.5, basis: "follow-up", coverage, scores: rounded } : { skill: "none", confidence: 0.9, basis: "empty", coverage, scores: rounded };
  }
  if (content.length === 0) {
    // Only names ("Priya?", "tell me about Arjun Patel"): the current skill goes on; without one, the skill
    // that talks about named people wins if it clearly does.
    if (current) return { skill: current, confidence: 0.5, basis: "follow-up", coverage, scores: rounded };
    if (best && best[1] >= params.minScore / 2 && best[1] > 1.5 * (second?.[1] ?? 0)) return { skill: best[0], confidence: 0.5, basis: "match", coverage, scores: rounded };
    return { skill: "none", confidence: 0.6, basis: "empty", coverage, scores: rounded };
  }
  // A skill wins on its score, or, when every word of the message is one the skills use, on a clear lead.
  const clearLead = best !== undefined && coverage >= 1 && best[1] >= params.minScore / 2 && best[1] >= 1.5 * (second?.[1] ?? 0);
  if (best && ((best[1] >= params.minScore && coverage >= params.minCoverage) || clearLead)) {
    const margin = (best[1] - (second?.[1] ?? 0)) / best[1];
    return { skill: best[0], confidence: round(Math.min(0.99, 0.5 + 0.5 * margin * coverage)), basis: "match", coverage: round(coverage), scores: rounded };
  }
  if (current && coverage >= params.minFollowUpCoverage) {
    return { skill: current, confidence: round(0.4 + 0.2 * coverage), basis: "follow-up", coverage: round(coverage), scores: rounded };
  }
  return { skill: "none", confidence: round(0.5 + 0.5 * (1 - coverage)), basis: "out-of-scope", coverage: round(coverage), scores: rounded };
}

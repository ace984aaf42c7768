// The offline intent classifier's text analysis: words, light stemming, and entity classes. Dates, times,
// weekdays, amounts of money, identifiers and people's names become class tokens (`<time>`, `<money>`, `<id>`,
// `<name>`…), so "Thursday
// at 2pm" in a skill's examples matches "Monday at 10" in a message, and a name never counts as an unknown word.

const STOP = new Set(
  ("a an the and or but if then so to of in on at by for with from into onto about as is are was were be been being am do does did " +
    "i me my we us our you your he him his she her they them their it its this that these those there here " +
    "what which whats how can could would should will shall may might must let lets please pls thanks thank ok okay yes yeah yep no nope sure " +
    "just also too very really some any all up out over again now then than not dont cant wont im ive id youre " +
    "hi hello hey go ahead want need like get got give tell know think see make do done one s t").split(" "),
);

const WEEKDAYS = new Set(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"]);
const MONTHS = new Set(["january", "february", "march", "april", "june", "july", "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]);
const RELATIVE_DAYS = new Set(["today", "tomorrow", "tonight", "morning", "afternoon", "evening"]);
/** Words that point back at something already on screen: a follow-up, whatever the skill. */
const REFERENCES = new Set(["first", "second", "third", "fourth", "fifth", "last", "previous", "latter", "former", "instead", "other", "another", "same", "both", "either", "neither"]);

/** Porter-style suffix stripping, enough to join interview/interviews/interviewed/interviewing. */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && (w.endsWith("ies") || w.endsWith("ied"))) w = `${w.slice(0, -3)}y`;
  else if (w.length > 4 && /(ches|shes|sses|xes)$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith("s") && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith("ing")) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith("ed")) w = w.slice(0, -2);
  if (/([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 4 && w.endsWith("e")) w = w.slice(0, -1);
  return w;
}

/**
 * One token per meaningful word of `text`, in order. With `knownWords` (stems the skills use in lower case), a
 * capitalised word outside it is a name (a person, a city) and becomes `<name>`: a class, not an unknown word.
 */
export function tokenize(text: string, knownWords?: ReadonlySet<string>): string[] {
  const out: string[] = [];
  // Money and clock times first: they contain characters the word split would break apart.
  const marked = text
    .replace(/(?:[€$£]\s?\d[\d,.]*\s?k?|\b\d[\d,.]*\s?(?:k|eur|euros?|gbp|usd|dollars?|pounds?)\b)/gi, " moneyamount ")
    .replace(/\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b|\b\d{1,2}:\d{2}\b/gi, " clocktime ")
    .replace(/\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}(?:st|nd|rd|th)\b/gi, " calendardate ");
  const words = marked.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
  for (const raw of words) {
    const lower = raw.toLowerCase().replace(/['’]s$/, "").replace(/['’]/g, "");
    // An identifier (JOB-7, app-priya-backend2, a UUID): letters and digits in one token. Neutral, like a name.
    const cls = /\d/.test(lower) && /\p{L}/u.test(lower) ? "<id>" : classOf(lower);
    if (cls) out.push(cls);
    else if (STOP.has(lower)) continue;
    else if (knownWords && /^\p{Lu}/u.test(raw) && !knownWords.has(stem(lower))) out.push("<name>");
    else for (const part of lower.split("-")) if (part.length > 1 && !STOP.has(part)) out.push(stem(part));
  }
  return out;
}

function classOf(lower: string): string | undefined {
  if (lower === "moneyamount") return "<money>";
  if (lower === "clocktime") return "<time>";
  if (lower === "calendardate" || MONTHS.has(lower)) return "<date>";
  if (WEEKDAYS.has(lower) || RELATIVE_DAYS.has(lower)) return "<day>";
  if (/^\d+$/.test(lower)) return "<num>";
  if (REFERENCES.has(lower)) return "<ref>";
  return undefined;
}

/** Stems written in lower case somewhere in `texts`: the words a capitalised token must be one of to stay a word. */
export function lowerCaseVocabulary(texts: readonly string[]): Set<string> {
  const vocab = new Set<string>();
  for (const text of texts) for (const word of text.match(/(?<![\p{L}\p{N}])\p{Ll}[\p{L}\p{N}-]*/gu) ?? []) for (const part of word.split("-")) vocab.add(stem(part));
  return vocab;
}

/** Unigrams plus adjacent pairs (`phone_screen`, `start_date`): pairs carry what single words share between skills. */
export function terms(tokens: readonly string[]): string[] {
  const pairs = tokens.slice(1).map((t, i) => `${tokens[i]}_${t}`);
  return [...tokens, ...pairs];
}

export const isClass = (token: string) => token.startsWith("<");

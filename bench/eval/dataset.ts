// The labeled intent set (intents.txt): parsed, grouped, and split into dev and held-out test. The split is
// mechanical (every third line of each group is held out), fixed before any tuning.

export interface Example {
  text: string;
  expected: string;
  current: string | null;
  group: string;
  /** direct: no current skill; shift: another skill than the current; follow-up: the same; oos: expected none. */
  kind: "direct" | "shift" | "follow-up" | "oos";
  split: "dev" | "test";
}

export function parseDataset(source: string): Example[] {
  const examples: Example[] = [];
  let group = "";
  let index = 0;
  for (const raw of source.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("## ")) {
      group = line.slice(3);
      index = 0;
      continue;
    }
    if (!line || line.startsWith("#")) continue;
    const [expected, current, ...rest] = line.split("|").map((s) => s.trim());
    const text = rest.join("|").trim();
    if (!expected || !current || !text) throw new Error(`intents.txt: malformed line: ${line}`);
    const cur = current === "-" ? null : current;
    const kind = expected === "none" ? "oos" : cur === null ? "direct" : cur === expected ? "follow-up" : "shift";
    examples.push({ text, expected, current: cur, group, kind, split: index % 3 === 2 ? "test" : "dev" });
    index++;
  }
  return examples;
}

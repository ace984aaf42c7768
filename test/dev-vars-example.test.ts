/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";
import example from "../.dev.vars.example?raw";
import declarations from "../env.d.ts?raw";
import wranglerToml from "../wrangler.toml?raw";

/** The Worker's own code, as text, to see which settings it reads. */
const sources = import.meta.glob(["/workers/**/*.ts", "/durable-objects/**/*.ts"], { query: "?raw", import: "default", eager: true }) as Record<string, string>;

const all = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((match) => match[1]!);

/** Declared in env.d.ts (secrets and settings `wrangler types` cannot see; bindings such as `AI` are not settings). */
const declaredText = declarations.slice(declarations.indexOf("interface PlatformSecrets"));
const declared = new Set(all(declaredText, /^\s+([A-Z][A-Z0-9_]*)\?: string;/gm));
const declaredBindings = new Set(all(declaredText, /^\s+([A-Z][A-Z0-9_]*)\?: (?!string;)/gm));
/** wrangler.toml [vars], up to the next table. */
const tomlVars = wranglerToml.slice(wranglerToml.indexOf("[vars]"));
const vars = new Set(all(tomlVars.slice(0, tomlVars.indexOf("\n[", 1)), /^([A-Z][A-Z0-9_]*)\s*=/gm));
/** Bindings (rate limiters, Durable Object namespaces) are not settings. */
const bindings = new Set(all(wranglerToml, /^\s*name\s*=\s*"([A-Z][A-Z0-9_]*)"/gm));
const listed = all(example, /^#? ?([A-Z][A-Z0-9_]*)=/gm);

describe(".dev.vars.example lists every setting and secret, each with its meaning", () => {
  it("has every one declared in env.d.ts or set in wrangler.toml [vars], once, and nothing else", () => {
    expect(declared.size).toBeGreaterThan(20);
    expect(vars.has("AGENT_VERSION")).toBe(true);
    expect([...listed].sort()).toEqual([...new Set([...declared, ...vars])].sort());
  });

  it("gives each a line of meaning right above it", () => {
    const lines = example.split("\n");
    lines.forEach((line, i) => {
      if (!/^#? ?[A-Z][A-Z0-9_]*=/.test(line)) return;
      const above = lines[i - 1] ?? "";
      expect(above.startsWith("# ") && !/^# ?[A-Z][A-Z0-9_]*=/.test(above) && above.length > 12, `meaning of ${line}`).toBe(true);
    });
  });

  it("and the Worker reads no setting that env.d.ts and wrangler.toml leave undeclared", () => {
    // Code only: a comment may name an example (`env.MY_SECRET`).
    const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|\s)\/\/.*$/gm, "$1");
    const read = new Set(Object.values(sources).flatMap((text) => all(code(text), /\b(?:env|vars)\.([A-Z][A-Z0-9_]*)\b/g)));
    const undeclared = [...read].filter((name) => !declared.has(name) && !vars.has(name) && !bindings.has(name) && !declaredBindings.has(name));
    expect(undeclared).toEqual([]);
    expect(read.has("DATABASE_URL")).toBe(true);
  });
});

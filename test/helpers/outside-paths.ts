/**
 * Finds what in a repository's files reaches outside it: a relative path that climbs above the root where a
 * file is imported or read, and a path that only exists on one machine (a home or workspace folder).
 * Files are given by their path from the repository root ("/test/helpers/a2a.ts") and their text.
 *
 * It reads the places paths are written in this project (imports, `new URL(…, import.meta.url)`, fs calls,
 * `join`/`resolve` from a known folder, markdown links, config files), not every string: a test's hostile input
 * such as "../../etc/passwd" is data, not a read.
 */

export interface Violation {
  file: string;
  line: number;
  text: string;
  why: string;
}

/** Folders that name one person's or one workplace's machine, wherever they appear. */
const MACHINE_PATH = /(?<![\w.:/~-])(?:\/(?:work|home|Users|root|mnt\/[a-z])\/[\w.-]+|[A-Za-z]:\\(?:Users|work)\\)/;

/** Module specifiers and URLs resolved against the file that names them. */
const SPECIFIER_PATTERNS = [
  /\bfrom\s*(["'])([^"']+)\1/g,
  /\bimport\s*(["'])([^"']+)\1/g,
  /\bimport\(\s*(["'`])([^"'`]+)\1/g,
  /\brequire\(\s*(["'`])([^"'`]+)\1/g,
  /\bnew URL\(\s*(["'`])([^"'`]+)\1\s*,\s*import\.meta\.url/g,
  /\]\((\s*)(\.{1,2}\/[^)\s#]*)/g, // markdown links
];

/** fs calls whose relative-path arguments are read from the process's working directory: the repository root. */
const FS_CALL = /\b(?:readFileSync|readFile|createReadStream|existsSync|statSync|readdirSync|openSync|glob)\(([^()]*)\)/g;
/** `join` or `resolve` from this file's folder or the root: the literal segments climb from the folder the first argument names. */
const JOIN_CALL = /\b(?:join|resolve)\(\s*(dirname\(fileURLToPath\(import\.meta\.url\)\)|import\.meta\.dirname|__dirname|root|ROOT|repoRoot)\s*,([^()]*)\)/g;
const LITERAL = /(["'`])([^"'`$]*)\1/g;

/** Files whose every relative-path string is a path (configuration, scripts in other languages). */
const CONFIG_FILE = /^\/(?:[^/]+\.json|wrangler\.toml|vitest\.config\.ts|drizzle\.config\.ts|\.ci\/[^/]+|\.npmrc)$/;

const dirOf = (file: string) => file.slice(0, file.lastIndexOf("/")) || "/";

/** Resolves `relative` from folder `from` (both from the root, "/" first); undefined when it climbs above the root. */
export function resolveInside(from: string, relative: string): string | undefined {
  const parts = from.split("/").filter(Boolean);
  for (const segment of relative.split("?")[0]!.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else {
      parts.push(segment);
    }
  }
  return `/${parts.join("/")}`;
}

const isRelative = (path: string) => path === "." || path === ".." || path.startsWith("./") || path.startsWith("../");

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Every violation in one file. */
export function outsidePaths(file: string, text: string): Violation[] {
  const found: Violation[] = [];
  const add = (index: number, shown: string, why: string) => found.push({ file, line: lineOf(text, index), text: shown.slice(0, 120), why });
  const climbs = (from: string, path: string, index: number, how: string) => {
    if (isRelative(path) && resolveInside(from, path) === undefined) add(index, path, `${how} climbs above the repository root`);
  };

  const machine = new RegExp(MACHINE_PATH.source, "g");
  for (const match of text.matchAll(machine)) add(match.index, match[0], "names a folder of one particular machine");

  for (const pattern of SPECIFIER_PATTERNS) {
    for (const match of text.matchAll(pattern)) climbs(dirOf(file), match[2]!.trim(), match.index, "an import or URL");
  }
  for (const match of text.matchAll(FS_CALL)) {
    for (const literal of match[1]!.matchAll(LITERAL)) climbs("/", literal[2]!, match.index, "a file read");
  }
  for (const match of text.matchAll(JOIN_CALL)) {
    const from = /^(?:root|ROOT|repoRoot)$/.test(match[1]!) ? "/" : dirOf(file);
    const segments = [...match[2]!.matchAll(LITERAL)].map((literal) => literal[2]!);
    const joined = segments.join("/");
    if (segments.length > 0 && segments[0]!.startsWith("..") && resolveInside(from, joined) === undefined) {
      add(match.index, match[0], "a joined path climbs above the repository root");
    }
  }
  if (CONFIG_FILE.test(file)) {
    for (const literal of text.matchAll(LITERAL)) climbs(file.startsWith("/.ci/") ? "/" : dirOf(file), literal[2]!, literal.index, "a configured path");
    for (const match of text.matchAll(/(?<![\w$)"'.])\.\.\/[\w./-]*/g)) climbs("/", match[0], match.index, "a path in a script");
  }
  return found;
}

/** Every violation in a set of files, keyed by their path from the root. */
export function outsidePathsIn(files: Record<string, string>): Violation[] {
  return Object.entries(files).flatMap(([file, text]) => outsidePaths(file, text));
}

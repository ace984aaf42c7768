/**
 * `PUSH_ALLOWED_URLS`: the only way around the SSRF guard, off by default. Comma-separated patterns
 * `scheme://host[:port|:*][/path-prefix[*]]`, e.g. `http://127.0.0.1:*` for local development or a
 * conformance run, or `https://hooks.internal.example:8443/a2a/`. A pattern without a port means the
 * scheme's default port. Matching is on the parsed URL, so a host is compared in its canonical form.
 */
export interface AllowPattern {
  protocol: string;
  hostname: string;
  /** "" is the scheme's default port, "*" any port. */
  port: string;
  pathPrefix: string;
}

const PATTERN = /^(https?):\/\/(\[[0-9A-Fa-f:.]+\]|[^/:@?#\s*]+)(?::(\*|\d{1,5}))?(\/[^\s?#]*)?$/;

const cache = new Map<string, AllowPattern[]>();

/** Parsed once per isolate per value; an entry that does not parse is skipped (fail closed) and logged. */
export function allowListOf(env: { PUSH_ALLOWED_URLS?: string }): AllowPattern[] {
  return parseAllowList(env.PUSH_ALLOWED_URLS ?? "", "push-allow-list");
}

/** Any list in the same syntax (the agent registry's `AGENT_ALLOWED_URLS`); `at` names it in the log. */
export function parseAllowList(raw: string, at: string): AllowPattern[] {
  const known = cache.get(raw);
  if (known) return known;
  const patterns = raw
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .flatMap((entry) => {
      const pattern = parsePattern(entry);
      if (!pattern) console.warn(JSON.stringify({ at, ignored: entry.slice(0, 200) }));
      return pattern ? [pattern] : [];
    });
  if (cache.size > 8) cache.clear();
  cache.set(raw, patterns);
  return patterns;
}

export function parsePattern(entry: string): AllowPattern | undefined {
  const match = PATTERN.exec(entry);
  if (!match) return undefined;
  const [, scheme, host, port = "", path = ""] = match;
  let hostname: string;
  try {
    hostname = new URL(`${scheme}://${host}/`).hostname;
  } catch {
    return undefined;
  }
  const defaultPort = scheme === "https" ? "443" : "80";
  return {
    protocol: `${scheme}:`,
    hostname,
    port: port === defaultPort ? "" : port,
    pathPrefix: path.replace(/\*$/, ""),
  };
}

export function isAllowed(url: URL, patterns: readonly AllowPattern[]): boolean {
  return patterns.some(
    (p) =>
      p.protocol === url.protocol &&
      p.hostname === url.hostname &&
      (p.port === "*" || p.port === url.port) &&
      (p.pathPrefix === "" || p.pathPrefix === "/" || url.pathname.startsWith(p.pathPrefix)),
  );
}

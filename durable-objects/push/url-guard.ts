import { isAllowed, type AllowPattern } from "./allow-list";
import { describeIp, isIpLiteral } from "./ip-literal";

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

const MAX_URL_LENGTH = 2048;

/** Names that resolve to the machine itself or to a private network by convention (RFC 6761, 6762, 8375). */
const PRIVATE_SUFFIXES = [".local", ".localdomain", ".internal", ".intranet", ".lan", ".arpa"];
/** Public wildcard-DNS services whose names resolve to whatever address they spell (127.0.0.1.nip.io). */
const ADDRESS_ECHO_DOMAINS = ["nip.io", "sslip.io", "xip.io", "localtest.me", "lvh.me", "vcap.me", "traefik.me", "localhost.direct"];

/**
 * The SSRF guard for a webhook URL, run at registration and again before every delivery: https only, a
 * public DNS name (no IP literal in any notation, no localhost or private-network names, no cloud metadata
 * host), no userinfo. A URL that matches `PUSH_ALLOWED_URLS` skips the address checks, never the others.
 * Names are checked as written, not resolved: a Worker cannot ask DNS before it connects.
 * The agent registry runs the same rules on card, JWKS and agent URLs (`what` names them in refusals).
 */
export function checkWebhookUrl(raw: string, allowList: readonly AllowPattern[], what = "webhooks"): UrlCheck {
  if (raw.length > MAX_URL_LENGTH) return refuse(`is longer than ${MAX_URL_LENGTH} characters`);
  // Parsers disagree about these (a backslash is a slash to WHATWG, not to others): refuse rather than guess.
  if (/[\u0000-\u0020\u007f-\u009f\\]/.test(raw)) return refuse("contains whitespace, control characters or a backslash");
  const authority = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)/.exec(raw);
  if (!authority) return refuse("is not an absolute URL of the form scheme://host/path");
  if (authority[2]!.includes("@")) return refuse("contains userinfo (user:password@); put credentials in `authentication`");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse("is not a valid URL");
  }
  if (url.username || url.password) return refuse("contains userinfo (user:password@); put credentials in `authentication`");
  if (isAllowed(url, allowList)) return { ok: true, url };
  if (url.protocol !== "https:") return refuse(`uses ${url.protocol.slice(0, 16)} but ${what} must use https`);
  const host = url.hostname.toLowerCase().replace(/\.+$/, "");
  if (host === "") return refuse("has no host");
  if (isIpLiteral(host)) return refuse(`names the IP address ${host}, ${describeIp(host)}; ${what} must use a public DNS name`);
  const blocked = hostProblem(host);
  if (blocked) return refuse(`host ${host.slice(0, 253)} ${blocked}`);
  return { ok: true, url };
}

function hostProblem(host: string): string | undefined {
  if (host === "localhost" || host.endsWith(".localhost")) return "is the local machine";
  if (host === "metadata" || host.startsWith("metadata.") || host === "instance-data" || host.startsWith("instance-data.")) {
    return "is a cloud metadata service";
  }
  if (!host.includes(".")) return "is a single-label name, which resolves inside a private network";
  if (PRIVATE_SUFFIXES.some((suffix) => host.endsWith(suffix))) return "is a private-network name";
  if (ADDRESS_ECHO_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`))) {
    return "is a wildcard-DNS name that resolves to the address it spells";
  }
  // `10.0.0.1.example.com`: the same trick on any other wildcard-DNS domain.
  if (/(^|\.)\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(\.|$)/.test(host)) {
    return "embeds an IP address";
  }
  return undefined;
}

const refuse = (reason: string): UrlCheck => ({ ok: false, reason: `refused: the URL ${reason}` });

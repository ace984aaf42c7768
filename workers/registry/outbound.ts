import { exports } from "cloudflare:workers";
import { parseAllowList } from "../../durable-objects/push/allow-list";
import { checkWebhookUrl } from "../../durable-objects/push/url-guard";
import { readBytes } from "../bindings/http";
import { selfOrigin } from "./self-origin";

export { selfOrigin };

/** Refused by the SSRF guard, or otherwise never sent: not worth a retry. */
export class OutboundRefused extends Error {
  override name = "OutboundRefused";
}

const allowList = (env: Env) => parseAllowList(env.AGENT_ALLOWED_URLS ?? "", "agent-allow-list");

/** The guard's verdict on a URL the registry would call: the push rules, with `AGENT_ALLOWED_URLS` as the way around. */
export function checkAgentUrl(env: Env, raw: string, what = "agent URLs"): { ok: true; url: URL } | { ok: false; reason: string } {
  try {
    if (new URL(raw).origin === selfOrigin(env)) return { ok: true, url: new URL(raw) };
  } catch {
    // The guard says why.
  }
  return checkWebhookUrl(raw, allowList(env), what);
}

/**
 * Every request the registry, the delegation tool and the gateway send downstream. The platform's own origin is
 * answered in-process by this Worker's default export (the loopback `ctx.exports` gives every Worker): a Worker
 * cannot fetch its own public hostname (on workers.dev that is error 1042, on a custom domain the request
 * bypasses Workers and goes to the origin), so this is how a hosted agent is called like any other, through
 * the whole HTTP stack (authentication, rate limits, logs). Anything else passes the SSRF guard first, and
 * redirects are never followed (a 3xx could point past the guard).
 */
export function outboundFetch(env: Env, what = "agent URLs"): typeof fetch {
  return async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const check = checkAgentUrl(env, request.url, what);
    if (!check.ok) throw new OutboundRefused(check.reason);
    if (check.url.origin === selfOrigin(env)) return exports.default.fetch(request);
    const response = await fetch(request, { redirect: "manual" });
    // 304 Not Modified answers a revalidation; it points nowhere.
    if (response.status >= 300 && response.status < 400 && response.status !== 304) {
      await response.body?.cancel();
      throw new OutboundRefused(`${check.url.origin} answered a redirect (${response.status}); redirects are not followed`);
    }
    return response;
  };
}

/** Reads at most `limit` bytes of a body as text; a longer one is an error, not a truncation. */
export async function readLimited(response: Response, limit: number): Promise<string> {
  const bytes = await readBytes(response, limit, (declared) =>
    new OutboundRefused(declared === undefined ? `the response is over ${limit} bytes` : `the response is ${declared} bytes; at most ${limit} are read`),
  );
  return new TextDecoder().decode(bytes);
}

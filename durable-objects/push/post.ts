import { parseRetryAfter } from "./retry-policy";

export const ATTEMPT_TIMEOUT_MS = 10_000;

export type AttemptResult =
  | { kind: "delivered"; status: number }
  /** Worth trying again later: the network, a timeout, 5xx, 408, 425, 429. */
  | { kind: "retry"; reason: string; retryAfterMs?: number | undefined }
  /** The receiver said no (a redirect, which is never followed, or another 4xx): retrying changes nothing. */
  | { kind: "refused"; reason: string }
  /** Stopped from our side: the config was deleted or replaced meanwhile. */
  | { kind: "aborted" };

const RETRYABLE_4XX = new Set([408, 425, 429]);

/**
 * One POST of one notification. Redirects are not followed (`redirect: "manual"`): a 3xx could lead past
 * the SSRF guard to an address it refused. Only the status and `Retry-After` of the answer are read.
 */
export async function postNotification(input: {
  url: URL;
  body: string;
  headers: Record<string, string>;
  signal: AbortSignal;
  timeoutMs?: number;
  /** The network (tests hand in one that fails: workerd prints every real connection failure on stderr). */
  fetch?: typeof fetch;
}): Promise<AttemptResult> {
  const timeoutMs = input.timeoutMs ?? ATTEMPT_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  const stop = () => controller.abort(new Error("stopped"));
  input.signal.addEventListener("abort", stop);
  try {
    const response = await (input.fetch ?? fetch)(input.url, { method: "POST", headers: input.headers, body: input.body, redirect: "manual", signal: controller.signal });
    await response.body?.cancel();
    const { status } = response;
    if (status >= 200 && status < 300) return { kind: "delivered", status };
    const reason = `HTTP ${status}`;
    if (status >= 500 || RETRYABLE_4XX.has(status)) return { kind: "retry", reason, retryAfterMs: parseRetryAfter(response.headers.get("Retry-After")) };
    if (status >= 300 && status < 400) return { kind: "refused", reason: `${reason}: redirects are not followed` };
    return { kind: "refused", reason };
  } catch (error) {
    if (input.signal.aborted) return { kind: "aborted" };
    const reason = controller.signal.aborted ? `timeout: no answer within ${timeoutMs} ms` : `network: ${String(error).slice(0, 200)}`;
    return { kind: "retry", reason };
  } finally {
    clearTimeout(timer);
    input.signal.removeEventListener("abort", stop);
  }
}

import { A2AError, type FieldViolation, type TaskPushNotificationConfig } from "../../schema/a2a";
import { allowListOf } from "./allow-list";
import { checkWebhookUrl } from "./url-guard";

/** What the guard reads of a config; inline and created configs both have these fields. */
export type GuardedConfig = Pick<TaskPushNotificationConfig, "url" | "token" | "authentication">;

/** RFC 9110 §5.6.2 token: what an auth scheme name may contain. */
const AUTH_SCHEME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;
/** Visible ASCII and spaces only: no CR/LF (header injection) and nothing a header value cannot carry. */
const HEADER_SAFE = /^[\x20-\x7e]*$/;
const MAX_TOKEN = 1024;
const MAX_CREDENTIALS = 4096;

/** Everything wrong with a webhook registration, as BadRequest field violations under `prefix`. */
export function pushConfigViolations(config: GuardedConfig, env: { PUSH_ALLOWED_URLS?: string }, prefix = ""): FieldViolation[] {
  const field = (name: string) => (prefix ? `${prefix}.${name}` : name);
  const violations: FieldViolation[] = [];
  const url = checkWebhookUrl(config.url, allowListOf(env));
  if (!url.ok) violations.push({ field: field("url"), description: url.reason });
  const headerValue = (name: string, value: string | undefined, max: number) => {
    if (value === undefined) return;
    if (!HEADER_SAFE.test(value)) {
      violations.push({ field: field(name), description: "must be printable ASCII: no CR, LF or other control characters" });
    } else if (value.length > max) {
      violations.push({ field: field(name), description: `must be at most ${max} characters` });
    }
  };
  headerValue("token", config.token, MAX_TOKEN);
  const auth = config.authentication;
  if (auth && !AUTH_SCHEME.test(auth.scheme)) {
    violations.push({ field: field("authentication.scheme"), description: "must be an HTTP auth scheme name such as Bearer or Basic" });
  }
  headerValue("authentication.credentials", auth?.credentials, MAX_CREDENTIALS);
  return violations;
}

/** The edge check before a config reaches the task object: InvalidParams naming each refused field. */
export function assertPushConfig(config: GuardedConfig, env: { PUSH_ALLOWED_URLS?: string }, prefix = ""): void {
  const violations = pushConfigViolations(config, env, prefix);
  if (violations.length === 0) return;
  const summary = violations.map((v) => `${v.field}: ${v.description}`).join("; ");
  throw new A2AError("InvalidParams", `Invalid push notification config: ${summary}`, {}, violations);
}

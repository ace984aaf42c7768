import type { SigningKey } from "../signing-keys";
import type { StoredConfig } from "./config-store";
import { signNotification } from "./signature";

export const HEADER_TOKEN = "X-A2A-Notification-Token";
export const HEADER_EVENT_ID = "X-A2A-Notification-Id";
export const HEADER_SIGNATURE = "X-A2A-Notification-Signature";

/**
 * The headers of one webhook call (REFERENCE §6): `Authorization` from the config's `authentication`, the
 * config's token, an event id that is the same on every retry of the event (receivers drop duplicates by
 * it), and, when signing keys are configured, a fresh signature.
 */
export async function notificationHeaders(input: {
  config: StoredConfig;
  eventId: string;
  body: string;
  signingKey: SigningKey | undefined;
  issuer: string | undefined;
  contentType: string;
}): Promise<Record<string, string>> {
  const { config } = input;
  const headers: Record<string, string> = {
    "Content-Type": input.contentType,
    [HEADER_EVENT_ID]: input.eventId,
  };
  const auth = config.authentication;
  if (auth?.credentials) headers.Authorization = `${auth.scheme} ${auth.credentials}`;
  if (config.token) headers[HEADER_TOKEN] = config.token;
  if (input.signingKey) {
    headers[HEADER_SIGNATURE] = await signNotification(input.signingKey, { body: input.body, audience: config.url, issuer: input.issuer });
  }
  return headers;
}

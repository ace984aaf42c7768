import { SignJWT } from "jose";
import type { SigningKey } from "../signing-keys";

/** Long enough for clock skew and a slow receiver; short, so a captured token is soon worthless. */
const LIFETIME_SECONDS = 300;

export interface SignatureInput {
  /** The exact request body: the digest binds the token to it. */
  body: string;
  /** The webhook URL as registered: binds the token to one receiver, so it cannot be replayed to another. */
  audience: string;
  /** The agent's public origin when known (`PUBLIC_URL`). */
  issuer?: string | undefined;
}

/**
 * A compact JWS (ES256) over the notification, sent as `X-A2A-Notification-Signature`. Claims: `iat`,
 * `exp`, a fresh `jti` per attempt (replay protection; duplicates of one event share the
 * `X-A2A-Notification-Id` header instead), `aud`, and `request_body_sha256` (hex, as in the A2A samples).
 */
export async function signNotification(key: SigningKey, input: SignatureInput): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(input.body)));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  const jwt = new SignJWT({ request_body_sha256: hex })
    .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime(`${LIFETIME_SECONDS}s`)
    .setJti(crypto.randomUUID())
    .setAudience(input.audience);
  if (input.issuer) jwt.setIssuer(input.issuer);
  return jwt.sign(key.privateKey);
}

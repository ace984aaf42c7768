import { SignJWT } from "jose";
import { loadSigningKeys } from "../../durable-objects/signing-keys";
import { agentBaseUrl, type Credentials } from "./entry";
import { selfOrigin } from "./self-origin";

/** Who a downstream call is made for. */
export interface DownstreamCaller {
  owner: string;
  /** "" when the caller is bound to no tenant. */
  tenant: string;
  role: string;
  /**
   * The caller's own `Authorization` value, only while the request that carries it is being served: it is never
   * stored, so a run resumed after a restart has none (a `forward` agent then refuses the call).
   */
  bearer?: string;
}

/** A call that cannot be authenticated as the entry says: a configuration problem, reported, never retried. */
export class CredentialsUnavailable extends Error {
  override name = "CredentialsUnavailable";
}

/** `typ` of the platform's delegation tokens, so that nothing mistakes them for an identity provider's. */
export const DELEGATION_TOKEN_TYPE = "a2a-edge-delegation+jwt";

/**
 * The platform's short-lived JWT for one downstream call: signed with the first `SIGNING_KEYS` key (its public
 * half is at /.well-known/jwks.json), `iss` the platform, `aud` the agent, `sub`/`tenant`/`role` the caller.
 * A downstream agent that trusts the platform's JWKS can authorize the real user from it.
 */
export async function delegationToken(env: Env, caller: DownstreamCaller, audience: string, ttlSeconds: number): Promise<string> {
  const [key] = await loadSigningKeys(env);
  if (!key) throw new CredentialsUnavailable("credentials mode jwt needs SIGNING_KEYS, which is not set");
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: caller.role, ...(caller.tenant ? { tenant: caller.tenant } : {}) })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: DELEGATION_TOKEN_TYPE })
    .setIssuer(selfOrigin(env))
    .setSubject(caller.owner)
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .setJti(crypto.randomUUID())
    .sign(key.privateKey);
}

/**
 * The headers that authenticate one call to an agent, as its entry's credentials say. Secret values go into
 * headers only: never into an error message, a log line or a tool result.
 */
export async function credentialHeaders(env: Env, entry: { id: string; credentials: Credentials; trusted: boolean }, cardUrl: string, caller: DownstreamCaller): Promise<Record<string, string>> {
  const credentials = entry.credentials;
  switch (credentials.mode) {
    case "none":
      return {};
    case "header": {
      const value = (env as unknown as Record<string, string | undefined>)[credentials.secret];
      if (!value) throw new CredentialsUnavailable(`the secret ${credentials.secret} for agent ${entry.id} is not set`);
      return { [credentials.header]: credentials.scheme ? `${credentials.scheme} ${value}` : value };
    }
    case "forward":
      if (!entry.trusted) throw new CredentialsUnavailable(`agent ${entry.id} is not trusted with the caller's token`);
      if (!caller.bearer) {
        throw new CredentialsUnavailable(
          `agent ${entry.id} needs the caller's own token, which is not kept: after a restart of the run, or for a caller without a bearer token, it cannot be called; send the message again`,
        );
      }
      return { Authorization: caller.bearer };
    case "jwt":
      return { Authorization: `Bearer ${await delegationToken(env, caller, credentials.audience ?? agentBaseUrl(cardUrl), credentials.ttlSeconds)}` };
  }
}

import { decodeProtectedHeader, importJWK, jwtVerify } from "jose";
import { loadSigningKeys } from "../../durable-objects/signing-keys";
import { DELEGATION_TOKEN_TYPE } from "../registry/credentials";
import { selfOrigin } from "../registry/self-origin";
import { BoundTenantSchema, OwnerSchema, RoleSchema, type Identity } from "./identity";
import { invalidToken } from "./jwt";

const publicKeys = new Map<string, CryptoKey>();

/** Whether a bearer token is one of the platform's own delegation tokens (by its `typ`), without verifying it. */
export function isPlatformToken(token: string): boolean {
  try {
    return decodeProtectedHeader(token).typ === DELEGATION_TOKEN_TYPE;
  } catch {
    return false;
  }
}

/**
 * The caller named by a delegation token this platform signed (workers/registry/credentials.ts) for one of its own
 * hosted agents: the orchestrator calling `/agents/{id}/` on behalf of a user. It must verify with a current
 * `SIGNING_KEYS` key, come from this platform (`iss`), be meant for exactly this agent (`aud` = its base URL),
 * and be unexpired. The hosted agent then sees the real user, tenant and role.
 */
export async function platformIdentity(env: Env, token: string, audience: string): Promise<Identity> {
  const { kid } = decodeProtectedHeader(token);
  const key = (await loadSigningKeys(env)).find((k) => k.kid === kid);
  if (!key) throw invalidToken("The platform token's key is not one of this deployment's signing keys");
  let publicKey = publicKeys.get(key.kid);
  if (!publicKey) {
    publicKey = (await importJWK(key.publicJwk, "ES256")) as CryptoKey;
    publicKeys.set(key.kid, publicKey);
  }
  let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
  try {
    ({ payload } = await jwtVerify(token, publicKey, {
      algorithms: ["ES256"],
      typ: DELEGATION_TOKEN_TYPE,
      issuer: selfOrigin(env),
      audience,
      requiredClaims: ["exp", "sub"],
      clockTolerance: 5,
    }));
  } catch (error) {
    throw invalidToken(`The platform token is not valid here: ${error instanceof Error ? error.message.slice(0, 120) : "refused"}`);
  }
  const owner = OwnerSchema.safeParse(payload.sub);
  const tenant = payload.tenant === undefined ? undefined : BoundTenantSchema.safeParse(payload.tenant);
  const role = payload.role === undefined ? undefined : RoleSchema.safeParse(payload.role);
  if (!owner.success || tenant?.success === false || role?.success === false) throw invalidToken("The platform token's claims are malformed");
  return { owner: owner.data, scheme: "bearer", ...(tenant?.success ? { tenant: tenant.data } : {}), ...(role?.success ? { role: role.data } : {}) };
}

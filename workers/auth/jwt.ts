import {
  createRemoteJWKSet,
  errors,
  importJWK,
  importSPKI,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from "jose";
import { A2AError } from "../../schema/a2a";
import type { JwtSettings } from "./settings";

/** Every asymmetric JWS algorithm jose verifies; `none` and HMAC with a public key can never get through. */
const ASYMMETRIC = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"];

/** Thrown for a token that is not acceptable; the middleware turns it into 401 with `error="invalid_token"`. */
export const invalidToken = (message: string) => new A2AError("Unauthenticated", message, { error: "invalid_token" });

interface Verifier {
  getKey: JWTVerifyGetKey;
  algorithms: string[];
}

/** Keys are imported and the remote JWKS cached (jose: 10 min, refetched on an unknown kid) once per isolate. */
const verifiers = new WeakMap<JwtSettings, Verifier>();

/**
 * The configured public key, imported per algorithm on first use. Imported keys are kept, not pending imports:
 * Workers refuse to resume one request on a promise that another request's context settles.
 */
function publicKeyResolver(publicKey: NonNullable<JwtSettings["publicKey"]>): (alg: string) => Promise<CryptoKey | Uint8Array> {
  const imported = new Map<string, CryptoKey | Uint8Array>();
  return async (alg) => {
    // A JWK that names its algorithm decides it (jose would reject the mismatch with a TypeError, not a JOSE error).
    const keyAlg = ("jwk" in publicKey ? publicKey.jwk.alg : undefined) ?? alg;
    if (keyAlg !== alg) throw invalidToken(`The token's algorithm ${alg.slice(0, 16)} does not fit the configured key`);
    const known = imported.get(keyAlg);
    if (known) return known;
    try {
      const key = "jwk" in publicKey ? await importJWK(publicKey.jwk, keyAlg) : await importSPKI(publicKey.pem, keyAlg);
      imported.set(keyAlg, key);
      return key;
    } catch {
      throw invalidToken(`The token's algorithm ${alg.slice(0, 16)} does not fit the configured key`);
    }
  };
}

function verifierFor(settings: JwtSettings): Verifier {
  let verifier = verifiers.get(settings);
  if (verifier) return verifier;
  const jwks = settings.jwksUrl ? createRemoteJWKSet(settings.jwksUrl, { cooldownDuration: 30_000, cacheMaxAge: 600_000 }) : undefined;
  const fromPublicKey = settings.publicKey ? publicKeyResolver(settings.publicKey) : undefined;
  const publicKid = settings.publicKey && "jwk" in settings.publicKey ? settings.publicKey.jwk.kid : undefined;
  const algorithms = [...(settings.secret ? ["HS256"] : []), ...(jwks || fromPublicKey ? ASYMMETRIC : [])];
  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (header.alg === "HS256") {
      if (settings.secret) return settings.secret;
      throw invalidToken("HS256 tokens are not accepted here");
    }
    const usePublicKey = fromPublicKey && (!jwks || header.kid === undefined || header.kid === publicKid);
    if (usePublicKey) return fromPublicKey(header.alg);
    if (jwks) return jwks(header, token);
    throw invalidToken(`${String(header.alg).slice(0, 16)} tokens are not accepted here`);
  };
  verifier = { getKey, algorithms };
  verifiers.set(settings, verifier);
  return verifier;
}

/** What a jose failure means for the caller: a bad token (401), or a key source we cannot reach (503). */
function explain(error: unknown): A2AError {
  if (error instanceof A2AError) return error;
  if (error instanceof errors.JWTExpired) return invalidToken("The token has expired");
  if (error instanceof errors.JWTClaimValidationFailed) return invalidToken(`The token's ${error.claim} claim is not accepted (${error.reason})`);
  if (error instanceof errors.JWSSignatureVerificationFailed) return invalidToken("The token's signature does not verify");
  if (error instanceof errors.JOSEAlgNotAllowed) return invalidToken("The token's algorithm is not accepted");
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return invalidToken("No published key matches the token");
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JOSENotSupported) {
    return invalidToken("The token is not a valid JWT");
  }
  console.error(JSON.stringify({ at: "auth", error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }));
  return new A2AError("Unavailable", "Token keys cannot be loaded right now; try again shortly");
}

/** Verifies signature, `exp` (required), `nbf`, `iss` and `aud` with the configured clock skew. */
export async function verifyJwt(token: string, settings: JwtSettings): Promise<JWTPayload> {
  const { getKey, algorithms } = verifierFor(settings);
  try {
    const { payload } = await jwtVerify(token, getKey, {
      algorithms,
      audience: settings.audience,
      ...(settings.issuer ? { issuer: settings.issuer } : {}),
      clockTolerance: settings.clockToleranceSeconds,
      requiredClaims: ["exp"],
    });
    return payload;
  } catch (error) {
    throw explain(error);
  }
}

import { z } from "zod";

/** One ES256 key from `SIGNING_KEYS`: the private half signs, the public half is published in the JWKS. */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JsonWebKey;
}

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, "must be base64url");

/** A private EC P-256 JWK as `wrangler secret put SIGNING_KEYS` holds it; `kid` names it in the JWKS. */
const PrivateJwkSchema = z.object({
  kty: z.literal("EC"),
  crv: z.literal("P-256"),
  x: base64url,
  y: base64url,
  d: base64url,
  kid: z.string().min(1).max(128),
  alg: z.literal("ES256").optional(),
});

const SigningKeysSchema = z
  .array(PrivateJwkSchema)
  .max(8)
  .refine((keys) => new Set(keys.map((k) => k.kid)).size === keys.length, "every key needs its own kid");

let cached: { raw: string; keys: Promise<SigningKey[]> } | undefined;

/**
 * The keys in the `SIGNING_KEYS` secret (a JSON array of private JWKs, EC P-256, each with a `kid`), parsed
 * and imported once per isolate. The first key signs; keep the previous one after it while rotating so
 * receivers holding old tokens can still verify them. Unset or empty: no keys, nothing is signed.
 * @example loadSigningKeys(env).then(([current]) => current?.kid)
 */
export function loadSigningKeys(env: { SIGNING_KEYS?: string }): Promise<SigningKey[]> {
  const raw = env.SIGNING_KEYS?.trim() ?? "";
  if (cached?.raw === raw) return cached.keys;
  const keys = raw === "" ? Promise.resolve([]) : importKeys(raw);
  cached = { raw, keys };
  // A broken secret is reported to every caller, and parsed again next time (it may have been fixed).
  keys.catch(() => {
    if (cached?.keys === keys) cached = undefined;
  });
  return keys;
}

async function importKeys(raw: string): Promise<SigningKey[]> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error("SIGNING_KEYS is not JSON: expected an array of private EC P-256 JWKs");
  }
  const parsed = SigningKeysSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`SIGNING_KEYS is invalid at ${issue?.path.join(".") || "(root)"}: ${issue?.message}`);
  }
  return Promise.all(
    parsed.data.map(async ({ kty, crv, x, y, d, kid }) => ({
      kid,
      privateKey: await crypto.subtle.importKey("jwk", { kty, crv, x, y, d }, { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]),
      publicJwk: { kty, crv, x, y, kid, alg: "ES256", use: "sig" } as JsonWebKey,
    })),
  );
}

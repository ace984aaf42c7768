import { importJWK, type JWK } from "jose";
import { z } from "zod";

/** One private EC P-256 key as the `SIGNING_KEYS` secret holds it (RFC 7517 JWK with a `kid`). */
const PrivateJwkSchema = z.object({
  kty: z.literal("EC"),
  crv: z.literal("P-256"),
  kid: z.string().min(1).max(128),
  x: z.string().min(1),
  y: z.string().min(1),
  d: z.string().min(1),
  alg: z.literal("ES256").optional(),
});

export interface SigningKey {
  kid: string;
  alg: "ES256";
  privateKey: CryptoKey;
  /** The public half as served at `/.well-known/jwks.json`: never carries `d`. */
  publicJwk: JWK;
}

/**
 * Keys for everything the platform signs (agent cards, webhook JWTs), from `SIGNING_KEYS`: a JSON array of
 * private JWKs. The first key is the current one; the others stay published so signatures made with them
 * still verify during a rotation. Unset means nothing is signed.
 *
 * The parsed keys are kept per isolate. A pending import is not shared between requests: Workers refuse to
 * resume one request on a promise that another request's context settles.
 */
let cached: { raw: string; keys: SigningKey[] } | undefined;

export async function loadSigningKeys(env: { SIGNING_KEYS?: string }): Promise<SigningKey[]> {
  const raw = env.SIGNING_KEYS?.trim() ?? "";
  if (raw === "") return [];
  if (cached?.raw === raw) return cached.keys;
  const keys = await parseSigningKeys(raw);
  cached = { raw, keys };
  return keys;
}

async function parseSigningKeys(raw: string): Promise<SigningKey[]> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error("SIGNING_KEYS is not JSON: expected an array of private EC P-256 JWKs");
  }
  const parsed = z.array(PrivateJwkSchema).min(1).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`SIGNING_KEYS: ${issue ? `${issue.path.join(".")} ${issue.message}` : "invalid"} (expected private EC P-256 JWKs with kid)`);
  }
  const kids = parsed.data.map((jwk) => jwk.kid);
  if (new Set(kids).size !== kids.length) throw new Error("SIGNING_KEYS: every key needs its own kid");
  return Promise.all(
    parsed.data.map(async (jwk) => {
      const { d: _private, ...publicPart } = jwk;
      const privateKey = (await importJWK({ ...jwk, alg: "ES256" }, "ES256")) as CryptoKey;
      return { kid: jwk.kid, alg: "ES256" as const, privateKey, publicJwk: { ...publicPart, alg: "ES256", use: "sig" } };
    }),
  );
}

import { loadSigningKeys } from "../durable-objects/signing-keys";

/**
 * `GET /.well-known/jwks.json`: the public halves of `SIGNING_KEYS`, which receivers of signed push
 * notifications verify against. An empty set when signing is off. Cached briefly, because rotation adds
 * the new key here before it signs anything.
 */
export async function serveJwks(env: Env): Promise<Response> {
  const keys = await loadSigningKeys(env);
  return new Response(JSON.stringify({ keys: keys.map((k) => k.publicJwk) }), {
    headers: {
      "Content-Type": "application/jwk-set+json",
      "Cache-Control": "public, max-age=300",
      "Access-Control-Allow-Origin": "*",
    },
  });
}

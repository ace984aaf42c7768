// Real credentials for the suite, made fresh per run: an identity provider's JWKS served over HTTP (the Worker
// fetches and caches it as in production), a PEM public key, an HS256 secret, hashed API keys, and card signing
// keys. The Worker gets the public halves as bindings; the tests get the private halves through `inject`.
import { createHash, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { exportJWK, exportSPKI, generateKeyPair } from "jose";

const ISSUER = "https://issuer.test";
const AUDIENCE = "a2a-edge-platform-tests";

async function privateJwk(alg, kid, options = {}) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...options });
  const jwk = { ...(await exportJWK(privateKey)), alg, ...(kid ? { kid } : {}) };
  return { jwk, publicKey };
}

const publicOf = ({ d, p, q, dp, dq, qi, ...rest }) => rest;
const sha256 = (text) => createHash("sha256").update(text).digest("hex");

export async function startAuthFixtures() {
  const es256 = await privateJwk("ES256", "idp-es256");
  const rs256 = await privateJwk("RS256", "idp-rs256");
  // Same kid as the published ES256 key, never published: a forged token.
  const rogue = await privateJwk("ES256", "idp-es256");
  // The configured public key is a PEM: its tokens carry no kid, so they never go to the JWKS.
  const pem = await privateJwk("ES384", undefined);
  const cardA = await privateJwk("ES256", "card-2026-a");
  const cardB = await privateJwk("ES256", "card-2026-b");
  const hsSecret = randomBytes(32).toString("base64url");
  const apiKeys = {
    plain: `ak_${randomBytes(24).toString("base64url")}`,
    operator: `ak_${randomBytes(24).toString("base64url")}`,
  };

  let jwksFetches = 0;
  const jwks = JSON.stringify({ keys: [publicOf(es256.jwk), publicOf(rs256.jwk)] });
  const server = createServer((req, res) => {
    if (req.url === "/jwks.json") {
      jwksFetches += 1;
      res.writeHead(200, { "Content-Type": "application/jwk-set+json" });
      res.end(jwks);
    } else if (req.url === "/stats") {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ jwksFetches }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${server.address().port}`;

  return {
    bindings: {
      AUTH_JWKS_URL: `${base}/jwks.json`,
      AUTH_JWT_PUBLIC_KEY: await exportSPKI(pem.publicKey),
      AUTH_JWT_SECRET: hsSecret,
      AUTH_AUDIENCE: AUDIENCE,
      AUTH_ISSUER: ISSUER,
      AUTH_CLOCK_SKEW_SECONDS: "5",
      AUTH_TENANT_CLAIM: "tenant",
      AUTH_ROLE_CLAIM: "role",
      AUTH_API_KEYS: JSON.stringify([
        { sha256: sha256(apiKeys.plain), owner: "api-key-user" },
        { sha256: sha256(apiKeys.operator), owner: "api-key-operator", tenant: "keyed-tenant", role: "operator" },
      ]),
      SIGNING_KEYS: JSON.stringify([cardA.jwk, cardB.jwk]),
      CORS_ORIGINS: "https://app.test, https://admin.test",
    },
    forTests: {
      issuer: ISSUER,
      audience: AUDIENCE,
      statsUrl: `${base}/stats`,
      keys: { es256: es256.jwk, rs256: rs256.jwk, rogue: rogue.jwk, pem: pem.jwk },
      hsSecret,
      apiKeys,
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

import { canonicalizeAgentCard, verifyAgentCardSignature, type AgentCard as SdkAgentCard } from "@a2a-js/sdk";
import { decodeProtectedHeader, importJWK, type JWK } from "jose";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { canonicalCardPayload } from "../../workers/card-signing";
import { ORIGIN, rpc, worker } from "../helpers/a2a";
import { mintToken } from "../helpers/auth";
import { validateWireStrict } from "../helpers/wire-schema";

const CARD_URL = `${ORIGIN}/.well-known/agent-card.json`;
const JWKS_URL = `${ORIGIN}/.well-known/jwks.json`;

const getCard = async () => (await (await worker(CARD_URL, undefined, "none")).json()) as any;

/** What a client does: find the `kid` in the JWKS that `jku` names (fetched from the Worker itself). */
async function retrieveFrom(allowedKids?: string[]) {
  return async (kid: string, jku?: string) => {
    expect(jku).toBe(JWKS_URL);
    const { keys } = (await (await worker(jku!, undefined, "none")).json()) as { keys: JWK[] };
    const jwk = keys.find((key) => key.kid === kid && (!allowedKids || allowedKids.includes(kid)));
    if (!jwk) throw new Error(`no key ${kid}`);
    return (await importJWK(jwk, "ES256")) as CryptoKey;
  };
}

/** The official SDK's verifier, given the card as JSON the way its resolver reads it off the wire. */
const sdkVerify = async (card: unknown, allowedKids?: string[]) => verifyAgentCardSignature(await retrieveFrom(allowedKids))(card as SdkAgentCard);

describe("agent card signing (§7: JWS, detached payload, RFC 8785)", () => {
  // The SDK reports each signature that fails on console.debug; failing is what several tests here want.
  beforeAll(() => void vi.spyOn(console, "debug").mockImplementation(() => {}));

  it("carries one ES256 signature per configured key, each with kid, typ JOSE and jku", async () => {
    const card = await getCard();
    expect(validateWireStrict("Agent Card", card)).toEqual([]);
    expect(card.signatures).toHaveLength(2);
    const headers = card.signatures.map((s: any) => decodeProtectedHeader(s));
    expect(headers).toEqual([
      { alg: "ES256", kid: "card-2026-a", typ: "JOSE", jku: JWKS_URL },
      { alg: "ES256", kid: "card-2026-b", typ: "JOSE", jku: JWKS_URL },
    ]);
  });

  it("serves the public half of every key at /.well-known/jwks.json, and no private part", async () => {
    const response = await worker(JWKS_URL, undefined, "none");
    expect(response.status).toBe(200);
    const { keys } = (await response.json()) as { keys: JWK[] };
    expect(keys.map((k) => k.kid)).toEqual(["card-2026-a", "card-2026-b"]);
    for (const key of keys) {
      expect(key).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
      expect(key.d).toBeUndefined();
    }
  });

  it("signs exactly the bytes the official SDK canonicalises", async () => {
    const card = await getCard();
    expect(canonicalCardPayload(card)).toBe(canonicalizeAgentCard(card as SdkAgentCard));
  });

  it("verifies with the official @a2a-js/sdk verifyAgentCardSignature", async () => {
    await expect(sdkVerify(await getCard())).resolves.toBeUndefined();
  });

  it("verifies for a client that only trusts the second key (rotation)", async () => {
    await expect(sdkVerify(await getCard(), ["card-2026-b"])).resolves.toBeUndefined();
  });

  it.each([
    ["one byte of the name", (card: any) => (card.name = `${card.name.slice(0, -1)}${card.name.at(-1) === "m" ? "n" : "m"}`)],
    ["one byte of an interface URL", (card: any) => (card.supportedInterfaces[0].url = card.supportedInterfaces[0].url.replace("https", "httpz"))],
    ["a capability", (card: any) => (card.capabilities.streaming = !card.capabilities.streaming)],
    ["a skill's description", (card: any) => (card.skills[0].description += ".")],
    ["the security scheme's header name", (card: any) => (card.securitySchemes.apiKey.apiKeySecurityScheme.name = "X-Api-Kez")],
  ])("fails to verify after changing %s", async (_, change) => {
    const card = await getCard();
    change(card);
    await expect(sdkVerify(card)).rejects.toThrow(/No valid signatures/);
  });

  it("fails to verify when one byte of a signature changes", async () => {
    const card = await getCard();
    const signature: string = card.signatures[0].signature;
    card.signatures = [{ ...card.signatures[0], signature: `${signature[0] === "A" ? "B" : "A"}${signature.slice(1)}` }];
    await expect(sdkVerify(card)).rejects.toThrow(/No valid signatures/);
  });

  it("the extended agent card is signed as well", async () => {
    const { body } = await rpc("GetExtendedAgentCard", {}, {}, { bearer: await mintToken({ sub: "signed-card-reader", role: "operator" }) });
    expect(body.result.signatures).toHaveLength(2);
    await expect(sdkVerify(body.result)).resolves.toBeUndefined();
  });
});

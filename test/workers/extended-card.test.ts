import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../workers/app";
import { reasonOf, rest, rpc, worker, type Credential } from "../helpers/a2a";
import { AUTH, mintToken } from "../helpers/auth";
import { validateWireStrict } from "../helpers/wire-schema";

const skillIds = (card: any) => card.skills.map((s: any) => s.id).sort();
const operator = async (claims: Record<string, unknown> = {}): Promise<Credential> => ({ bearer: await mintToken({ sub: "ops", role: "operator", ...claims }) });

describe("GetExtendedAgentCard (§7)", () => {
  it("the public card announces it", async () => {
    const card: any = await (await worker("https://agent.test/.well-known/agent-card.json")).json();
    expect(card.capabilities.extendedAgentCard).toBe(true);
  });

  it.each(["jsonrpc", "rest"] as const)("%s: an ordinary caller gets the public skills only", async (binding) => {
    const card = binding === "jsonrpc" ? (await rpc("GetExtendedAgentCard")).body.result : (await rest("GET", "/extendedAgentCard")).body;
    expect(validateWireStrict("Agent Card", card)).toEqual([]);
    expect(skillIds(card)).toEqual(["echo"]);
  });

  it.each(["jsonrpc", "rest"] as const)("%s: an operator also gets the skills reserved for its role (a2a-roles)", async (binding) => {
    const as = await operator();
    const card = binding === "jsonrpc" ? (await rpc("GetExtendedAgentCard", {}, {}, as)).body.result : (await rest("GET", "/extendedAgentCard", undefined, {}, as)).body;
    expect(validateWireStrict("Agent Card", card)).toEqual([]);
    expect(skillIds(card)).toEqual(["a2a-conformance", "echo"]);
  });

  it("an API key's role counts like a token's", async () => {
    const card = (await rest("GET", "/extendedAgentCard", undefined, {}, { apiKey: AUTH.apiKeys.operator })).body;
    expect(skillIds(card)).toEqual(["a2a-conformance", "echo"]);
  });

  it("a caller bound to a tenant gets interfaces that carry it, for clients to copy into requests", async () => {
    const card = (await rpc("GetExtendedAgentCard", {}, {}, await operator({ tenant: "acme" }))).body.result;
    expect(card.supportedInterfaces.map((i: any) => [i.protocolVersion, i.tenant])).toEqual([
      ["1.0", "acme"],
      ["1.0", "acme"],
      ["1.0", "acme"],
      ["0.3", undefined],
      ["0.3", undefined],
    ]);
    expect(validateWireStrict("Agent Card", card)).toEqual([]);
  });

  it("without credentials → 401", async () => {
    const { response, body } = await rpc("GetExtendedAgentCard", {}, {}, "none");
    expect(response.status).toBe(401);
    expect(reasonOf(body.error?.data)).toBe("UNAUTHENTICATED");
  });

  it("an anonymous caller let in by ALLOW_ANONYMOUS still gets 401 with a challenge, in either error shape", async () => {
    const app = createApp();
    const vars = { ...env, ALLOW_ANONYMOUS: "true" } as Env;
    const origin = "https://anonymous-allowed.test";
    const viaRest = await app.fetch(new Request(`${origin}/a2a/rest/extendedAgentCard`, { headers: { "A2A-Version": "1.0" } }), vars);
    expect(viaRest.status).toBe(401);
    expect(viaRest.headers.get("WWW-Authenticate")).toContain("Bearer");
    const viaRpc = await app.fetch(
      new Request(`${origin}/a2a/jsonrpc`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "A2A-Version": "1.0" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 7, method: "GetExtendedAgentCard" }),
      }),
      vars,
    );
    expect(viaRpc.status).toBe(401);
    const body: any = await viaRpc.json();
    expect(body.id).toBe(7);
    expect(reasonOf(body.error.data)).toBe("UNAUTHENTICATED");
  });
});

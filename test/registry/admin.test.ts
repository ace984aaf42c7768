import { describe, expect, it } from "vitest";
import { ORIGIN, reasonOf, worker } from "../helpers/a2a";
import { admin, cardUrlOf, register, SDK, statsOf, uniqueId } from "../helpers/registry";

describe("registry admin API", () => {
  it("registers a v1.0 agent: card fetched, version, bindings and skills recorded, replica healthy", async () => {
    const id = uniqueId("billing");
    const created = await register({ id, replicas: [cardUrlOf("alpha")], roles: ["user"] });
    expect(created.source).toBe("admin");
    const [replica] = created.replicas;
    expect(replica.card.protocolVersions).toEqual(["1.0"]);
    expect(replica.card.shape).toBe("1.0");
    expect(replica.card.bindings).toEqual([
      { url: `${SDK.alpha}/a2a/jsonrpc`, binding: "JSONRPC", version: "1.0" },
      { url: `${SDK.alpha}/a2a/rest`, binding: "HTTP+JSON", version: "1.0" },
    ]);
    expect(replica.card.skills.map((s: { id: string }) => s.id)).toEqual(["invoices"]);
    expect(replica.card.signature).toBe("unsigned");
    expect(replica.card.etag).toMatch(/^W\/"/);
    expect(Date.parse(replica.card.expiresAt)).toBeGreaterThan(Date.now());
    expect(replica.health.state).toBe("healthy");
    expect(replica.health.latencyMs).toBeGreaterThanOrEqual(0);
    const read = await admin("GET", `/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.replicas[0].cardUrl).toBe(cardUrlOf("alpha"));
  });

  it("records a v0.3 agent from its v0.3 card (url, additionalInterfaces)", async () => {
    const id = uniqueId("weather");
    const created = await register({ id, replicas: [cardUrlOf("legacy")] });
    const { card } = created.replicas[0];
    expect(card.shape).toBe("0.3");
    expect(card.protocolVersions).toEqual(["0.3"]);
    expect(card.bindings).toContainEqual({ url: `${SDK.legacy}/a2a/jsonrpc`, binding: "JSONRPC", version: "0.3" });
    expect(card.bindings).toContainEqual({ url: `${SDK.legacy}/a2a/rest`, binding: "HTTP+JSON", version: "0.3" });
  });

  it("verifies a signed card through its jku, and refuses one whose signature does not match", async () => {
    const good = await register({ id: uniqueId("signed"), replicas: [cardUrlOf("signed")], requireSignature: true });
    expect(good.replicas[0].card.signature).toBe("verified");
    expect(good.replicas[0].card.signatureKid).toBe("signed-key");

    const id = uniqueId("forged");
    const bad = await admin("POST", "", { id, replicas: [cardUrlOf("badsig")] });
    expect(bad.status).toBe(400);
    expect(reasonOf(bad.body.error.details)).toBe("INVALID_PARAMS");
    expect(bad.body.error.message).toMatch(/no signature verifies.*does not match the card/);
    expect((await admin("GET", `/${id}`)).status).toBe(404);
  });

  it("refuses an unsigned card when the entry requires a signature, and a signature whose key is not pinned", async () => {
    const unsigned = await admin("POST", "", { id: uniqueId("unsigned"), replicas: [cardUrlOf("alpha")], requireSignature: true });
    expect(unsigned.status).toBe(400);
    expect(unsigned.body.error.message).toMatch(/unsigned/);
    const wrongKeys = await admin("POST", "", {
      id: uniqueId("pinned"),
      replicas: [cardUrlOf("signed")],
      keys: { keys: [{ kty: "EC", crv: "P-256", kid: "signed-key", x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0" }] },
    });
    expect(wrongKeys.status).toBe(400);
    expect(wrongKeys.body.error.message).toMatch(/does not match the card/);
  });

  it("refuses card URLs the SSRF guard refuses, with the reason per replica", async () => {
    const { status, body } = await admin("POST", "", {
      id: uniqueId("ssrf"),
      replicas: ["http://169.254.169.254/latest/meta-data", "https://localhost/.well-known/agent-card.json", "https://10.0.0.1.nip.io/card"],
    });
    expect(status).toBe(400);
    const violations = body.error.details.find((d: any) => d["@type"].endsWith("BadRequest")).fieldViolations;
    expect(violations.map((v: any) => v.field)).toEqual(["replicas.0", "replicas.1", "replicas.2"]);
    expect(violations[0].description).toMatch(/metadata|https/);
    expect(violations[1].description).toMatch(/local machine/);
    expect(violations[2].description).toMatch(/wildcard-DNS/);
  });

  it("validates entries with zod and answers spec-shaped errors", async () => {
    const { status, body } = await admin("POST", "", { id: "Not An Id", replicas: [], credentials: { mode: "header", secret: "DATABASE_URL" }, extra: 1 });
    expect(status).toBe(400);
    expect(body.error.status).toBe("INVALID_ARGUMENT");
    const fields = body.error.details.find((d: any) => d["@type"].endsWith("BadRequest")).fieldViolations.map((v: any) => v.field);
    expect(fields).toEqual(expect.arrayContaining(["id", "replicas", "credentials.secret"]));
    const notJson = await worker(`${ORIGIN}/admin/agents`, { method: "POST", headers: { "Content-Type": "text/plain" }, body: "x" }, { claims: { sub: "a", role: "admin" } });
    expect(notJson.status).toBe(415);
  });

  it("is for the admin role only", async () => {
    expect((await admin("GET", "", undefined, "default")).status).toBe(403);
    const anonymous = await admin("GET", "", undefined, "none");
    expect(anonymous.status).toBe(401);
    expect(anonymous.response.headers.get("WWW-Authenticate")).toMatch(/Bearer/);
    expect((await admin("GET", "")).status).toBe(200);
  });

  it("replaces, refuses duplicates and deletes; hosted entries are read-only and their ids are taken", async () => {
    const id = uniqueId("crud");
    await register({ id, replicas: [cardUrlOf("alpha")] });
    expect((await admin("POST", "", { id, replicas: [cardUrlOf("alpha")] })).status).toBe(409);
    const replaced = await admin("PUT", `/${id}`, { replicas: [cardUrlOf("lb-a")], roles: ["ops"] });
    expect(replaced.status).toBe(200);
    expect(replaced.body.roles).toEqual(["ops"]);
    expect(replaced.body.replicas.map((r: any) => r.cardUrl)).toEqual([cardUrlOf("lb-a")]);
    expect((await admin("DELETE", `/${id}`)).status).toBe(204);
    expect((await admin("GET", `/${id}`)).status).toBe(404);

    const list = await admin("GET", "");
    const demo = list.body.agents.find((a: any) => a.id === "demo");
    expect(demo.source).toBe("hosted");
    expect(demo.replicas[0].card.name).toBe("A2A conformance demo");
    expect(demo.replicas[0].card.signature).toBe("verified");
    const clash = await admin("POST", "", { id: "demo", replicas: [cardUrlOf("alpha")] });
    expect(clash.status).toBe(409);
    expect(clash.body.error.message).toMatch(/hosted/);
    expect((await admin("DELETE", "/demo")).status).toBe(409);
  });

  it("probes on demand and revalidates the card with its ETag", async () => {
    const id = uniqueId("probe");
    await register({ id, replicas: [cardUrlOf("alpha")] });
    const before = (await statsOf("alpha")).cardFetches;
    const registered = (await admin("GET", `/${id}`)).body.replicas[0];
    const probed = await admin("POST", `/${id}/probe`);
    expect(probed.status).toBe(200);
    const replica = probed.body.replicas[0];
    // Revalidated: a 304 keeps the card (same ETag), extends it, and counts as a success.
    expect(replica.health).toMatchObject({ state: "healthy", consecutiveFailures: 0, lastError: null });
    expect(replica.card.etag).toBe(registered.card.etag);
    expect(Date.parse(replica.card.fetchedAt)).toBeGreaterThanOrEqual(Date.parse(registered.card.fetchedAt));
    expect((await statsOf("alpha")).cardFetches).toBe(before + 1);
  });
});

describe("discovery", () => {
  const discover = async (role: string, q = "") => {
    const response = await worker(`${ORIGIN}/agents${q ? `?q=${encodeURIComponent(q)}` : ""}`, {}, { claims: { sub: "discoverer", role } });
    expect(response.status).toBe(200);
    return ((await response.json()) as { agents: any[] }).agents;
  };

  it("lists only the agents the caller's role may use, with skills, filtered by a text query", async () => {
    const finance = uniqueId("finance");
    const weather = uniqueId("weather");
    await register({ id: finance, replicas: [cardUrlOf("alpha")], roles: ["accountant"] });
    await register({ id: weather, replicas: [cardUrlOf("legacy")], roles: ["*"] });

    const forAccountant = await discover("accountant");
    expect(forAccountant.map((a) => a.id)).toEqual(expect.arrayContaining([finance, weather, "demo"]));
    const entry = forAccountant.find((a) => a.id === finance);
    expect(entry.skills[0]).toMatchObject({ id: "invoices", name: "Invoices", tags: ["billing", "finance"] });
    expect(entry).not.toHaveProperty("agentCard"); // a remote replica's address is not shown
    expect(forAccountant.find((a) => a.id === "demo").agentCard).toBe(`${ORIGIN}/agents/demo/.well-known/agent-card.json`);

    const forOthers = await discover("user");
    expect(forOthers.map((a) => a.id)).not.toContain(finance);
    expect(forOthers.map((a) => a.id)).toContain(weather);

    const searched = await discover("accountant", "invoices billing");
    expect(searched.map((a) => a.id)).toContain(finance);
    expect(searched.map((a) => a.id)).not.toContain(weather);
  });
});

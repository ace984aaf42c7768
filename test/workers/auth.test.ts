import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { METHOD_NAMES, methods, type MethodName } from "../../schema/a2a";
import { createApp } from "../../workers/app";
import { authSettings } from "../../workers/auth/settings";
import { JSONRPC_URL, makeMessage, ORIGIN, reasonOf, REST_URL, rpc, rest, worker, type Credential } from "../helpers/a2a";
import { AUTH, mintToken } from "../helpers/auth";
import { captureLogs } from "../helpers/logs";
import { jsonRpcErrorViolations, restErrorViolations } from "../helpers/wire-schema";

/** Valid params for every method, so that credentials are the only thing a refusal can be about. */
const PARAMS: Record<MethodName, Record<string, unknown>> = {
  SendMessage: { message: makeMessage() },
  SendStreamingMessage: { message: makeMessage() },
  GetTask: { id: "t1" },
  ListTasks: {},
  CancelTask: { id: "t1" },
  SubscribeToTask: { id: "t1" },
  CreateTaskPushNotificationConfig: { taskId: "t1", url: "https://example.com/hook" },
  GetTaskPushNotificationConfig: { taskId: "t1", id: "c1" },
  ListTaskPushNotificationConfigs: { taskId: "t1" },
  DeleteTaskPushNotificationConfig: { taskId: "t1", id: "c1" },
  GetExtendedAgentCard: {},
};

/** Every REST route of the method table, its path segments filled in. */
const REST_ROUTES = METHOD_NAMES.flatMap((method) =>
  methods[method].rest.map((route) => ({ method, verb: route.verb, path: route.path.replace(/\{\w+\}/g, (name) => (name === "{id}" && route.path.includes("{taskId}") ? "c1" : "t1")) })),
);

const restBody = (method: MethodName, verb: string) => (verb === "POST" ? JSON.stringify(PARAMS[method]) : undefined);

async function callRest(method: MethodName, verb: string, path: string, as: Credential) {
  const body = restBody(method, verb);
  const response = await worker(
    `${REST_URL}${path}`,
    { method: verb, headers: { "A2A-Version": "1.0", ...(body ? { "Content-Type": "application/json" } : {}) }, ...(body ? { body } : {}) },
    as,
  );
  return { response, body: (await response.json()) as any };
}

function expectRpcUnauthenticated(response: Response, body: any) {
  expect(response.status).toBe(401);
  expect(jsonRpcErrorViolations(body)).toEqual([]);
  expect(body.id).toBeNull();
  expect(reasonOf(body.error.data)).toBe("UNAUTHENTICATED");
}

function expectRestUnauthenticated(response: Response, body: any) {
  expect(response.status).toBe(401);
  expect(restErrorViolations(body, 401)).toEqual([]);
  expect(body.error.status).toBe("UNAUTHENTICATED");
  expect(reasonOf(body.error.details)).toBe("UNAUTHENTICATED");
}

describe("every method on both bindings is refused without credentials (§9)", () => {
  it.each(METHOD_NAMES)("JSON-RPC %s → 401 with a challenge per scheme, JSON-RPC error shape", async (method) => {
    const { response, body } = await rpc(method, PARAMS[method], {}, "none");
    expectRpcUnauthenticated(response, body);
    const challenge = response.headers.get("WWW-Authenticate") ?? "";
    expect(challenge).toMatch(/^Bearer realm="a2a"/);
    expect(challenge).toContain('ApiKey realm="a2a", header="X-API-Key"');
  });

  it.each(REST_ROUTES.map((r) => [`${r.verb} ${r.path}`, r] as const))("REST %s → 401, REST error shape", async (_, route) => {
    const { response, body } = await callRest(route.method, route.verb, route.path, "none");
    expectRestUnauthenticated(response, body);
    expect(response.headers.get("WWW-Authenticate")).toContain("Bearer");
  });

  it("the tenant-prefixed REST routes too", async () => {
    const { response, body } = await callRest("ListTasks", "GET", "/acme/tasks", "none");
    expectRestUnauthenticated(response, body);
  });

  it("the agent card and the JWKS stay public", async () => {
    expect((await worker("https://agent.test/.well-known/agent-card.json", undefined, "none")).status).toBe(200);
    expect((await worker("https://agent.test/.well-known/jwks.json", undefined, "none")).status).toBe(200);
  });
});

describe("accepted credentials", () => {
  const roundTrip = async (as: Credential) => {
    const sent = await rpc("SendMessage", { message: makeMessage({}, "who am I") }, {}, as);
    expect(sent.body.error, JSON.stringify(sent.body.error)).toBeUndefined();
    const id = sent.body.result.task.id;
    const got = await rest("GET", `/tasks/${id}`, undefined, {}, as);
    expect(got.status).toBe(200);
    expect(got.body.id).toBe(id);
    return id as string;
  };

  it.each([
    ["an ES256 JWT from the JWKS", "es256"],
    ["an RS256 JWT from the JWKS", "rs256"],
    ["an ES384 JWT for the configured PEM public key (no kid)", "pem"],
    ["an HS256 JWT for the configured secret", "hs256"],
  ] as const)("%s", async (_, key) => {
    await roundTrip({ bearer: await mintToken({ sub: `user-${key}` }, { key }) });
  });

  it("an API key in X-API-Key (stored as its SHA-256)", async () => {
    await roundTrip({ apiKey: AUTH.apiKeys.plain });
  });

  it("a token that expired within the configured clock skew (5 s)", async () => {
    await roundTrip({ bearer: await mintToken({}, { expiresIn: -2 }) });
  });

  it("the JWKS is fetched once and then served from the isolate's cache", async () => {
    const fetches = async () => ((await (await fetch(AUTH.statsUrl)).json()) as { jwksFetches: number }).jwksFetches;
    await rpc("ListTasks", {}, {}, { bearer: await mintToken({}, { key: "es256" }) });
    const before = await fetches();
    for (let i = 0; i < 5; i++) {
      const { response } = await rpc("ListTasks", {}, {}, { bearer: await mintToken({ sub: `cached-${i}` }, { key: i % 2 ? "es256" : "rs256" }) });
      expect(response.status).toBe(200);
    }
    expect(await fetches()).toBe(before);
  });
});

describe("refused credentials → 401 invalid_token, on both bindings", () => {
  const cases: Array<[string, () => Promise<Credential>]> = [
    ["an expired token", async () => ({ bearer: await mintToken({}, { expiresIn: -60 }) })],
    ["a token for another audience", async () => ({ bearer: await mintToken({}, { audience: "someone-else" }) })],
    ["a token without an audience", async () => ({ bearer: await mintToken({}, { audience: null }) })],
    ["a token from another issuer", async () => ({ bearer: await mintToken({}, { issuer: "https://evil.test" }) })],
    ["a token without exp", async () => ({ bearer: await mintToken({}, { noExpiry: true }) })],
    ["a token signed by an unpublished key with a published kid", async () => ({ bearer: await mintToken({}, { key: "rogue" }) })],
    [
      "a token whose payload was changed after signing",
      async () => {
        const [header, , signature] = (await mintToken()).split(".");
        return { bearer: `${header}.${btoa(JSON.stringify({ sub: "admin", aud: AUTH.audience, iss: AUTH.issuer, exp: 9e9 })).replace(/=+$/, "")}.${signature}` };
      },
    ],
    ["an unsecured token (alg none)", async () => ({ bearer: `${b64({ alg: "none" })}.${b64({ sub: "x", aud: AUTH.audience, iss: AUTH.issuer, exp: 9e9 })}.` })],
    [
      "an HS256 token keyed with the public JWK (algorithm confusion)",
      async () => {
        const { SignJWT } = await import("jose");
        const { d: _d, ...publicJwk } = AUTH.keys.es256;
        const key = new TextEncoder().encode(JSON.stringify(publicJwk));
        const token = await new SignJWT({ sub: "x" }).setProtectedHeader({ alg: "HS256", kid: publicJwk.kid! }).setAudience(AUTH.audience).setIssuer(AUTH.issuer).setExpirationTime("1h").sign(key);
        return { bearer: token };
      },
    ],
    ["a token without the owner claim (sub)", async () => ({ bearer: await mintToken({ sub: undefined }) })],
    ["a token whose tenant claim is not a tenant", async () => ({ bearer: await mintToken({ tenant: "no/slashes" }) })],
    ["garbage", async () => ({ bearer: "not-a-jwt" })],
    ["an unknown API key", async () => ({ apiKey: "ak_nope" })],
  ];

  it.each(cases)("%s", async (name, credential) => {
    const as = await credential();
    const { response, body } = await rpc("GetTask", { id: "t1" }, {}, as);
    expectRpcUnauthenticated(response, body);
    const viaRest = await callRest("GetTask", "GET", "/tasks/t1", as);
    expectRestUnauthenticated(viaRest.response, viaRest.body);
    if (typeof as === "object" && "bearer" in as) expect(viaRest.response.headers.get("WWW-Authenticate")).toMatch(/^Bearer realm="a2a", error="invalid_token", error_description=".+"/);
    void name;
  });

  it("another Authorization scheme (Basic) is refused, not ignored", async () => {
    const response = await worker(`${REST_URL}/tasks`, { headers: { "A2A-Version": "1.0", Authorization: "Basic dXNlcjpwYXNz" } });
    expect(response.status).toBe(401);
  });
});

const b64 = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");

/**
 * The app with other bindings: the same code the Worker runs, configured as a different deployment. Each gets an
 * origin of its own, since the public card is cached per origin.
 */
const deployment = (overrides: Partial<Env>) => {
  const app = createApp();
  const vars = { ...env, AUTH_JWKS_URL: "", AUTH_JWT_PUBLIC_KEY: "", AUTH_JWT_SECRET: "", AUTH_API_KEYS: "", ...overrides } as Env;
  const origin = `https://deployment-${crypto.randomUUID().slice(0, 8)}.test`;
  return (path: string, init?: RequestInit) => app.fetch(new Request(`${origin}${path}`, init), vars);
};

describe("secure by default", () => {
  afterEach(() => vi.restoreAllMocks());

  it("with no scheme configured and no ALLOW_ANONYMOUS, nothing under /a2a is served (503), and the operator is told why", async () => {
    const logged = captureLogs("error");
    const call = deployment({});
    const response = await call("/a2a/jsonrpc", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ListTasks" }) });
    expect(response.status).toBe(503);
    const body: any = await response.json();
    expect(jsonRpcErrorViolations(body)).toEqual([]);
    const card: any = await (await call("/.well-known/agent-card.json")).json();
    expect(card.securitySchemes).toBeUndefined();
    expect(card.capabilities.extendedAgentCard).toBe(false);
    expect(logged).toEqual([{ at: "auth", problem: expect.stringContaining("no authentication is configured") }]);
  });

  it("ALLOW_ANONYMOUS=true serves callers without credentials as owner `anonymous`, and still refuses bad ones", async () => {
    const call = deployment({ ALLOW_ANONYMOUS: "true", AUTH_JWT_SECRET: AUTH.hsSecret });
    const json = { "Content-Type": "application/json", "A2A-Version": "1.0" };
    const sent = await call("/a2a/rest/message:send", { method: "POST", headers: json, body: JSON.stringify({ message: makeMessage() }) });
    expect(sent.status).toBe(200);
    const bad = await call("/a2a/rest/tasks", { headers: { Authorization: "Bearer nope" } });
    expect(bad.status).toBe(401);
  });

  it.each([
    [{ AUTH_JWT_SECRET: "short" }, "AUTH_JWT_SECRET"],
    [{ AUTH_JWKS_URL: "https://idp.test/jwks", AUTH_AUDIENCE: "" }, "AUTH_AUDIENCE"],
    [{ AUTH_JWKS_URL: "http://idp.test/jwks" }, "https"],
    [{ AUTH_API_KEYS: "[{\"sha256\":\"abc\",\"owner\":\"x\"}]" }, "AUTH_API_KEYS"],
    [{ AUTH_JWT_PUBLIC_KEY: JSON.stringify(AUTH.keys.es256) }, "private key"],
  ] as Array<[Partial<Env>, string]>)("a setting that does not hold (%j) stops serving and says why in the log", (overrides, words) => {
    const settings = authSettings({ ...env, AUTH_JWKS_URL: "", AUTH_JWT_PUBLIC_KEY: "", AUTH_JWT_SECRET: "", AUTH_API_KEYS: "", ...overrides } as Env);
    expect(settings.problem).toContain(words);
  });
});

describe("the card declares the schemes it enforces (§7)", () => {
  it("securitySchemes and securityRequirements", async () => {
    const card: any = await (await worker("https://agent.test/.well-known/agent-card.json")).json();
    expect(card.securitySchemes).toEqual({
      bearer: { httpAuthSecurityScheme: { scheme: "Bearer", bearerFormat: "JWT", description: expect.any(String) } },
      apiKey: { apiKeySecurityScheme: { location: "header", name: "X-API-Key", description: expect.any(String) } },
    });
    expect(card.securityRequirements).toEqual([{ schemes: { bearer: { list: [] } } }, { schemes: { apiKey: { list: [] } } }]);
  });

  it("JSON-RPC batch entries are all refused at once when the request is not authenticated", async () => {
    const response = await worker(
      JSONRPC_URL,
      { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify([{ jsonrpc: "2.0", id: 1, method: "ListTasks" }]) },
      "none",
    );
    expect(response.status).toBe(401);
  });
});

describe("a browser's WebSocket carries its bearer token as a subprotocol", () => {
  const upgrade = (protocols: string) =>
    worker(`${ORIGIN}/a2a/ws`, { headers: { Upgrade: "websocket", "A2A-Version": "1.0", "Sec-WebSocket-Protocol": protocols } }, "none");

  /** One request frame over an open socket, and its answer. */
  async function call(socket: WebSocket, request: object): Promise<any> {
    const answer = new Promise<any>((resolve) => socket.addEventListener("message", (m) => resolve(JSON.parse(m.data as string)), { once: true }));
    socket.send(JSON.stringify(request));
    return answer;
  }

  it("is accepted in place of Authorization: the socket acts as the token's owner, and only a2a.jsonrpc is echoed", async () => {
    const owner = `ws-browser-${crypto.randomUUID()}`;
    const token = await mintToken({ sub: owner });
    const { body: created } = await rpc("SendMessage", { message: makeMessage() }, { Authorization: `Bearer ${token}` });
    const taskId = created.result.task.id;

    const response = await upgrade(`a2a.jsonrpc, a2a.bearer.${token}`);
    expect(response.status).toBe(101);
    expect(response.headers.get("Sec-WebSocket-Protocol")).toBe("a2a.jsonrpc");
    const socket = response.webSocket!;
    socket.accept();
    const got = await call(socket, { jsonrpc: "2.0", id: 1, method: "GetTask", params: { id: taskId } });
    expect(got.result.id).toBe(taskId);
    socket.close();

    // Another owner's token on the same task: not found, as over HTTP.
    const other = await upgrade(`a2a.jsonrpc, a2a.bearer.${await mintToken({ sub: `${owner}-other` })}`);
    const otherSocket = other.webSocket!;
    otherSocket.accept();
    expect((await call(otherSocket, { jsonrpc: "2.0", id: 2, method: "GetTask", params: { id: taskId } })).error.code).toBe(-32001);
    otherSocket.close();
  });

  it("refuses a token that does not verify, before any upgrade", async () => {
    const response = await upgrade(`a2a.jsonrpc, a2a.bearer.${await mintToken({}, { expiresIn: -600 })}`);
    expect(response.status).toBe(401);
    expect(response.webSocket).toBeNull();
    expect(response.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
  });

  it("needs a2a.jsonrpc offered beside the token, so the token is never the protocol echoed back", async () => {
    const response = await upgrade(`a2a.bearer.${await mintToken()}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error.message).toContain("a2a.jsonrpc");
  });

  it("is not read from a request that is no WebSocket upgrade", async () => {
    const response = await worker(
      JSONRPC_URL,
      {
        method: "POST",
        headers: { "Content-Type": "application/json", "A2A-Version": "1.0", "Sec-WebSocket-Protocol": `a2a.jsonrpc, a2a.bearer.${await mintToken()}` },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ListTasks", params: {} }),
      },
      "none",
    );
    expect(response.status).toBe(401);
  });
});

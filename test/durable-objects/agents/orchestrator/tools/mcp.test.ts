import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { IDEMPOTENCY_META, mcpToolName, mcpTools, outcomeOf } from "../../../../../durable-objects/agents/orchestrator/tools/mcp";
import { jsonSchemaValidator } from "../../../../../durable-objects/agents/orchestrator/tools/mcp-schema";
import type { Tool, ToolContext } from "../../../../../durable-objects/agents/orchestrator/tools/tool";

// MCP tools in workerd, against the real MCP server the test setup starts (test/setup/mcp-server.mjs).

const testEnv = env as Env & { MCP_TEST_URL: string; MCP_TEST_AUTH_URL: string; MCP_CONTROL_URL: string; MCP_TEST_TOKEN: string };

interface Call {
  tool: string;
  args: Record<string, unknown>;
  outcome: string;
}

/** An environment with one MCP server of its own (its calls recorded under a fresh tag). */
function withServer(server: Record<string, unknown> = {}) {
  const tag = crypto.randomUUID();
  const config = { id: "crm", url: testEnv.MCP_TEST_URL, roles: ["recruiter"], ...server, headers: { "X-Test-Tag": tag, ...(server.headers as object) } };
  return {
    tag,
    env: { MCP_SERVERS: JSON.stringify([config]), MCP_TEST_TOKEN: testEnv.MCP_TEST_TOKEN },
    calls: async (): Promise<Call[]> => ((await (await fetch(`${testEnv.MCP_CONTROL_URL}/calls?tag=${tag}`)).json()) as { calls: Call[] }).calls,
  };
}

function context(signal = new AbortController().signal): ToolContext {
  return {
    signal,
    caller: { owner: "u1", tenant: "t1", role: "recruiter", authenticated: true },
    idempotencyKey: "task-1/3/call-1",
    taskId: "task-1",
    contextId: "ctx-1",
    env: env as Env,
    emit: { artifact: () => undefined, status: () => undefined },
  };
}

const byName = (tools: Tool[], name: string) => {
  const tool = tools.find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`no tool ${name} among ${tools.map((t) => t.name).join(", ")}`);
  return tool;
};

afterEach(() => vi.restoreAllMocks());

async function withoutCodeGeneration<T>(run: () => Promise<T>): Promise<T> {
  const original = globalThis.Function;
  const refuse = () => {
    throw new EvalError("Code generation from strings disallowed for this context");
  };
  globalThis.Function = new Proxy(original, { construct: refuse, apply: refuse });
  try {
    return await run();
  } finally {
    globalThis.Function = original;
  }
}

describe("MCP tools over Streamable HTTP", () => {
  it("lists a server's tools for the roles it allows, prefixed, with the server's JSON Schema for the model", async () => {
    const { env: e } = withServer({ id: "crm-1" });
    const tools = await mcpTools(e, "recruiter");
    expect(tools.map((tool) => tool.name).sort()).toEqual(["crm-1__add", "crm-1__echo", "crm-1__fail", "crm-1__lookup_candidate", "crm-1__record_event", "crm-1__slow"]);
    const echo = byName(tools, "crm-1__echo");
    expect(echo.description).toBe("Echoes the text back. (MCP server crm-1)");
    expect(z.toJSONSchema(echo.input)).toMatchObject({ type: "object", properties: { text: { type: "string", minLength: 1 } }, required: ["text"] });
    expect(await mcpTools(e, "candidate")).toEqual([]);
  });

  it("reads side effects and idempotency from the tools' annotations, and honours an allow-list", async () => {
    const { env: e } = withServer({ tools: ["echo", "record_event", "lookup_candidate"] });
    const tools = await mcpTools(e, "recruiter");
    expect(tools.map((tool) => [tool.name, tool.sideEffects, tool.idempotent])).toEqual([
      ["crm__echo", false, false],
      ["crm__record_event", true, false],
      ["crm__lookup_candidate", false, false],
    ]);
  });

  it("validates arguments against the JSON Schema before any call (with @cfworker/json-schema)", async () => {
    const { env: e, calls } = withServer();
    const tools = await mcpTools(e, "recruiter");
    const echo = byName(tools, "crm__echo");
    const add = byName(tools, "crm__add");
    expect(echo.input.safeParse({ text: "hi" }).success).toBe(true);
    const missing = echo.input.safeParse({});
    expect(missing.success).toBe(false);
    expect(missing.error?.issues[0]?.message).toContain("text");
    const empty = echo.input.safeParse({ text: "" });
    expect(empty.error?.issues[0]).toMatchObject({ path: ["text"] });
    expect(add.input.safeParse({ a: 1, b: "2" }).error?.issues[0]).toMatchObject({ path: ["b"] });
    expect(await calls()).toEqual([]);
  });

  it("calls a tool and returns its text, or its structured content (checked against its output schema)", async () => {
    const { env: e, calls } = withServer({ id: "crm-nocodegen" });
    // Deployed workerd refuses code generation from strings (ajv's way); the test runner allows `new Function`,
    // so it is refused here for the duration, as in production.
    const tools = await withoutCodeGeneration(() => mcpTools(e, "recruiter"));
    expect(await byName(tools, "crm-nocodegen__echo").execute({ text: "hello MCP" }, context())).toEqual({ kind: "result", value: "hello MCP" });
    expect(await withoutCodeGeneration(() => byName(tools, "crm-nocodegen__add").execute({ a: 2, b: 3 }, context()))).toEqual({ kind: "result", value: { sum: 5 } });
    expect((await calls()).map((call) => [call.tool, call.outcome])).toEqual([
      ["echo", "ok"],
      ["add", "ok"],
    ]);
  });

  it("maps an isError result to a tool error the model sees, and a call the server refuses too", async () => {
    const { env: e } = withServer();
    const tools = await mcpTools(e, "recruiter");
    expect(await byName(tools, "crm__fail").execute({ reason: "no such candidate" }, context())).toEqual({ kind: "result", value: { error: "failed: no such candidate" }, isError: true });
    const refused = await byName(tools, "crm__echo").execute({ text: "" }, context());
    // The SDK's server reports invalid arguments as an isError result (MCP 2025-11-25), which is mapped the same way.
    expect(refused).toMatchObject({ kind: "result", isError: true, value: { error: expect.stringContaining("Invalid arguments for tool echo") } });
  });

  it("passes the run's idempotency key in _meta", async () => {
    const { env: e, calls } = withServer();
    await byName(await mcpTools(e, "recruiter"), "crm__record_event").execute({ key: "offer-42" }, context());
    expect((await calls())[0]?.args).toEqual({ key: "offer-42", meta: { [IDEMPOTENCY_META]: "task-1/3/call-1" } });
  });

  it("stops a call when the run is cancelled, within a second", async () => {
    const { env: e, calls } = withServer();
    const slow = byName(await mcpTools(e, "recruiter"), "crm__slow");
    const abort = new AbortController();
    const call = slow.execute({ ms: 10_000 }, context(abort.signal));
    await expect.poll(async () => (await calls()).length, { timeout: 3000 }).toBe(1);
    const reason = new Error("CancelTask");
    const aborted = Date.now();
    abort.abort(reason);
    await expect(call).rejects.toBe(reason);
    expect(Date.now() - aborted).toBeLessThan(1000);
    await expect.poll(async () => (await calls())[0]?.outcome, { timeout: 3000 }).toBe("abandoned");
  });

  it("times a slow call out with a tool error naming the server", async () => {
    const { env: e } = withServer({ timeoutMs: 300 });
    const slow = byName(await mcpTools(e, "recruiter"), "crm__slow");
    expect(slow.timeoutMs).toBe(1300);
    const started = Date.now();
    expect(await slow.execute({ ms: 5_000 }, context())).toEqual({ kind: "result", value: { error: "MCP server crm: slow timed out after 300 ms" }, isError: true });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("sends headers built from secrets, and never shows the secret when the server refuses", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const guarded = withServer({ url: testEnv.MCP_TEST_AUTH_URL, headers: { Authorization: "Bearer ${MCP_TEST_TOKEN}" } });
    const tools = await mcpTools(guarded.env, "recruiter");
    expect(await byName(tools, "crm__echo").execute({ text: "authorised" }, context())).toEqual({ kind: "result", value: "authorised" });

    const wrong = withServer({ id: "crm-wrong", url: testEnv.MCP_TEST_AUTH_URL, headers: { Authorization: "Bearer ${WRONG_TOKEN}" } });
    const wrongEnv = { ...wrong.env, WRONG_TOKEN: "not-the-token-1234" };
    expect(await mcpTools(wrongEnv, "recruiter")).toEqual([]);
    const unset = withServer({ id: "crm-unset", url: testEnv.MCP_TEST_AUTH_URL, headers: { Authorization: "Bearer ${NOT_SET}" } });
    expect(await mcpTools(unset.env, "recruiter")).toEqual([]);
    const lines = log.mock.calls.map(([line]) => JSON.parse(String(line)));
    expect(lines).toContainEqual(expect.objectContaining({ at: "mcp-list", server: "crm-wrong", outcome: "skipped" }));
    expect(lines).toContainEqual(expect.objectContaining({ at: "mcp-list", server: "crm-unset", error: "MCP server crm-unset: header Authorization needs NOT_SET, which is not set" }));
    expect(JSON.stringify(lines)).not.toContain("not-the-token-1234");
    expect(JSON.stringify(lines)).not.toContain(testEnv.MCP_TEST_TOKEN);
  });

  it("leaves an unreachable server out and keeps the others", async () => {
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    const tag = crypto.randomUUID();
    const servers = [
      { id: "down", url: "http://127.0.0.1:9/mcp", roles: ["*"] },
      { id: "up", url: testEnv.MCP_TEST_URL, roles: ["*"], headers: { "X-Test-Tag": tag }, tools: ["echo"] },
    ];
    expect((await mcpTools({ MCP_SERVERS: JSON.stringify(servers) }, "anyone")).map((tool) => tool.name)).toEqual(["up__echo"]);
  });

  it("refuses a malformed MCP_SERVERS at once", async () => {
    await expect(mcpTools({ MCP_SERVERS: "[{" }, "r")).rejects.toThrow("MCP_SERVERS is not JSON");
    await expect(mcpTools({ MCP_SERVERS: JSON.stringify([{ id: "a b", url: "ftp://x", roles: [] }]) }, "r")).rejects.toThrow(/MCP_SERVERS/);
    await expect(mcpTools({ MCP_SERVERS: JSON.stringify([{ id: "a", url: "http://x/mcp", roles: ["r"] }, { id: "a", url: "http://y/mcp", roles: ["r"] }]) }, "r")).rejects.toThrow(/unique/);
  });

  it("holds structured content to the tool's output schema, and describes binary content instead of passing it on", () => {
    const check = jsonSchemaValidator({ type: "object", properties: { sum: { type: "number" } }, required: ["sum"] });
    expect(outcomeOf({ content: [], structuredContent: { sum: 5 } }, check)).toEqual({ kind: "result", value: { sum: 5 } });
    expect(outcomeOf({ content: [], structuredContent: { sum: "five" } }, check)).toEqual({ kind: "result", isError: true, value: { error: "the tool's output does not match its schema: sum: Instance type \"string\" is invalid. Expected \"number\"." } });
    expect(outcomeOf({ content: [{ type: "text", text: "5" }] }, check)).toMatchObject({ isError: true, value: { error: "the tool has an output schema but returned no structured content" } });
    expect(outcomeOf({ content: [{ type: "text", text: "a chart:" }, { type: "image", mimeType: "image/png", data: "AAAA" }] })).toEqual({ kind: "result", value: "a chart:\n[image image/png, 3 bytes]" });
  });

  it("names tools within what every provider accepts", () => {
    expect(mcpToolName("crm", "search.people")).toBe("crm__search_people");
    const long = mcpToolName("crm", "x".repeat(80));
    expect(long).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(long).not.toBe(mcpToolName("crm", "x".repeat(81)));
  });
});

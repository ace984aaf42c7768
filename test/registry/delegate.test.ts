import { env } from "cloudflare:workers";
import { createLocalJWKSet, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { delegationTool, type DelegateArgs } from "../../durable-objects/agents/orchestrator/tools/delegate";
import { derivedId } from "../../durable-objects/agents/orchestrator/tools/delegate-call";
import type { Tool, ToolOutcome } from "../../durable-objects/agents/orchestrator/tools/tool";
import type { Message } from "../../schema/a2a";
import { traceIdOf } from "../../workers/registry/trace";
import { eventually, ORIGIN, worker } from "../helpers/a2a";
import { cardUrlOf, register, statsOf, toolContext, uniqueId, type Emitted } from "../helpers/registry";

async function toolFor(role = "user"): Promise<Tool<DelegateArgs>> {
  const tool = await delegationTool(env, { role });
  if (!tool) throw new Error("no delegation tool");
  return tool;
}

/** The events of an SSE body as the downstream server wrote it: the StreamResponse kind (or v0.3 `kind`) of each. */
function kindsOfRecordedStream(body: string): string[] {
  return body
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => JSON.parse(line.slice(6)).result)
    .map((result) => result.kind ?? Object.keys(result)[0]);
}

/** Each child event as the parent shows it: status updates (the task snapshot too) and artifacts. */
const shown = (emitted: Emitted[]) => emitted.map((e) => (e.kind === "status" ? "status" : e.options?.append ? "artifact+" : "artifact"));
const PARENT_KIND: Record<string, string> = { task: "status", statusUpdate: "status", artifactUpdate: "artifact", "status-update": "status", "artifact-update": "artifact" };

const answer = (text: string): Message => ({ messageId: crypto.randomUUID(), role: "ROLE_USER", parts: [{ text }] });
const value = (outcome: ToolOutcome) => (outcome.kind === "result" ? (outcome.value as any) : undefined);

describe("send_to_agent: delegation as a child task over A2A", () => {
  it("is one tool whose enum holds the agents the role may use, described from their skills", async () => {
    const open = uniqueId("open");
    const restricted = uniqueId("restricted");
    await register({ id: open, replicas: [cardUrlOf("alpha")], roles: ["*"] });
    await register({ id: restricted, replicas: [cardUrlOf("alpha")], roles: ["finance"] });
    const forUser = await toolFor("user");
    expect(forUser.name).toBe("send_to_agent");
    const options = (forUser.input as any).shape.agent.options as string[];
    expect(options).toContain(open);
    expect(options).toContain("demo");
    expect(options).not.toContain(restricted);
    expect(forUser.description).toContain(`- ${open}`);
    expect(forUser.description).toMatch(/Invoices: Looks up and explains invoices\. \[billing, finance\]/);
    expect((await toolFor("finance")).input.safeParse({ agent: restricted, message: "x" }).success).toBe(true);
    // The same filter guards execution: a call for an agent outside the role is refused, not sent.
    const { ctx } = toolContext({ role: "user" });
    const refused = await (await toolFor("finance")).execute({ agent: restricted, message: "x" }, ctx);
    expect(refused).toMatchObject({ kind: "result", isError: true });
    expect(value(refused).error).toMatch(/may not use/);
  });

  it.each([
    ["v1.0", "alpha"],
    ["v0.3", "legacy"],
  ])("sends a %s child task over real HTTP and shows its events in the parent's stream, in order", async (_version, server) => {
    const id = uniqueId(server);
    await register({ id, replicas: [cardUrlOf(server)] });
    const { ctx, emitted } = toolContext();
    const outcome = await (await toolFor()).execute({ agent: id, message: "hello child" }, ctx);
    const result = value(outcome);
    expect(outcome.kind).toBe("result");
    expect(result).toMatchObject({ agent: id, state: "completed", text: "done: hello child" });
    expect(result.artifacts).toEqual([{ name: "answer", text: `${server}:\nhello child` }]);

    // What the downstream server received: the derived messageId, the parent as reference and in metadata, a trace.
    const stats = await statsOf(server);
    const received = stats.messages.find((m) => m.metadata?.delegation?.parentTaskId === ctx.taskId)!;
    expect(received.messageId).toBe(await derivedId(ctx.idempotencyKey));
    expect(received.referenceTaskIds).toEqual([ctx.taskId]);
    expect(received.metadata.delegation).toEqual({ parentTaskId: ctx.taskId, parentContextId: ctx.contextId });
    expect(received.headers.traceparent).toMatch(new RegExp(`^00-${await traceIdOf(ctx.taskId)}-[0-9a-f]{16}-01$`));
    expect(received.headers["a2a-version"]).toBe(server === "alpha" ? "1.0" : "0.3");

    // The parent showed every event the child's stream carried, in the same order, marked with the child.
    const stream = stats.streams.find((s) => s.body.includes(received.taskId))!;
    expect(shown(emitted).map((k) => k.replace("+", ""))).toEqual(kindsOfRecordedStream(stream.body).map((k) => PARENT_KIND[k]));
    expect(shown(emitted)).toEqual(["status", "status", "artifact", "artifact+", "status"]);
    for (const event of emitted) {
      const metadata = event.kind === "status" ? event.metadata : event.artifact.metadata;
      expect(metadata?.delegation).toMatchObject({ agentId: id, taskId: received.taskId });
    }
    expect(emitted[1]).toMatchObject({ kind: "status", content: [{ text: "working on: hello child" }] });
    const artifacts = emitted.filter((e) => e.kind === "artifact") as Extract<Emitted, { kind: "artifact" }>[];
    const childArtifactId = (artifacts[0]!.artifact.metadata!.delegation as { artifactId: string }).artifactId;
    expect(artifacts.map((a) => a.artifact.artifactId)).toEqual([`${received.taskId}/${childArtifactId}`, `${received.taskId}/${childArtifactId}`]);
    expect(artifacts[1]!.options).toEqual({ append: true, lastChunk: true });
  });

  it("sends a blocking SendMessage to an agent whose card offers no streaming, and shows the finished task", async () => {
    const id = uniqueId("unary");
    await register({ id, replicas: [cardUrlOf("unary")] });
    const { ctx, emitted } = toolContext();
    const outcome = await (await toolFor()).execute({ agent: id, message: "no stream" }, ctx);
    expect(value(outcome)).toMatchObject({ agent: id, state: "completed", text: "done: no stream" });
    // No stream was opened: one SendMessage, and the parent shows the task as it ended.
    expect((await statsOf("unary")).streams.some((s) => s.body.includes(value(outcome).taskId))).toBe(false);
    expect(emitted).toEqual([expect.objectContaining({ kind: "status", content: [{ text: "done: no stream" }], metadata: { delegation: expect.objectContaining({ state: "TASK_STATE_COMPLETED" }) } })]);
  });

  it("sends structured requests as a data part and returns data artifacts", async () => {
    const id = uniqueId("data");
    await register({ id, replicas: [cardUrlOf("alpha")] });
    const { ctx } = toolContext();
    const outcome = await (await toolFor()).execute({ agent: id, message: "lookup", data: { invoice: 42, lines: ["a", "b"] } }, ctx);
    expect(value(outcome).artifacts).toEqual([{ name: "answer", data: [{ invoice: 42, lines: ["a", "b"] }] }]);
  });

  it("surfaces a child's INPUT_REQUIRED as the parent's, and resume() sends the user's answer to the same child", async () => {
    const id = uniqueId("ask");
    await register({ id, replicas: [cardUrlOf("legacy")] });
    const tool = await toolFor();
    const { ctx, emitted } = toolContext();
    const asked = await tool.execute({ agent: id, message: "ask me" }, ctx);
    expect(asked.kind).toBe("input-required");
    if (asked.kind !== "input-required") return;
    expect(asked.prompt).toEqual([{ text: "What is your name?" }]);
    const childTaskId = (asked.state as { taskId: string }).taskId;
    const resumed = await tool.resume!(asked.state, answer("Ada"), ctx);
    expect(value(resumed)).toMatchObject({ agent: id, taskId: childTaskId, state: "completed", text: "Hello, Ada" });
    const messages = (await statsOf("legacy")).messages.filter((m) => m.taskId === childTaskId);
    expect(messages.map((m) => m.text)).toEqual(["ask me", "Ada"]);
    expect(new Set(messages.map((m) => m.messageId)).size).toBe(2);
    expect(emitted.filter((e) => e.kind === "status").at(-1)).toMatchObject({ content: [{ text: "Hello, Ada" }] });
  });

  it("cancels the running child downstream when the parent's signal aborts", async () => {
    const id = uniqueId("cancel");
    await register({ id, replicas: [cardUrlOf("alpha")] });
    const controller = new AbortController();
    const { ctx } = toolContext({ signal: controller.signal });
    const running = (await toolFor()).execute({ agent: id, message: "hang on" }, ctx);
    const child = await eventually(async () => (await statsOf("alpha")).messages.find((m) => m.metadata?.delegation?.parentTaskId === ctx.taskId), 5000, "the child task");
    controller.abort(new Error("CancelTask"));
    const outcome = await running;
    expect(outcome).toMatchObject({ kind: "result", isError: true });
    expect(value(outcome).error).toMatch(new RegExp(`cancelled; its task ${child.taskId} was cancelled too`));
    await eventually(async () => ((await statsOf("alpha")).cancels.includes(child.taskId) ? true : undefined), 5000, "CancelTask downstream");
  });

  it("cancels a child that outlives the call's own time limit", async () => {
    const id = uniqueId("slowpoke");
    await register({ id, replicas: [cardUrlOf("alpha")], limits: { timeoutMs: 1500, retries: 0 } });
    const { ctx } = toolContext();
    const outcome = await (await toolFor()).execute({ agent: id, message: "hang until the limit" }, ctx);
    expect(value(outcome).error).toMatch(/did not finish within 1500 ms; its task .* was cancelled/);
    const child = (await statsOf("alpha")).messages.find((m) => m.metadata?.delegation?.parentTaskId === ctx.taskId)!;
    await eventually(async () => ((await statsOf("alpha")).cancels.includes(child.taskId) ? true : undefined), 5000, "CancelTask downstream");
  });

  it("follows the child a previous run started instead of creating it again (same idempotency key)", async () => {
    const id = uniqueId("resume");
    await register({ id, replicas: [cardUrlOf("alpha")] });
    const tool = await toolFor();
    const key = `${crypto.randomUUID()}/3/call-1`;
    const first = toolContext({ idempotencyKey: key });
    const running = tool.execute({ agent: id, message: "slow work" }, first.ctx);
    // The run's object restarts while the child works: the resumed run calls the tool again with the same key.
    await eventually(async () => ((await statsOf("alpha")).messages.some((m) => m.metadata?.delegation?.parentTaskId === first.ctx.taskId) ? true : undefined), 5000);
    const again = toolContext({ idempotencyKey: key, taskId: first.ctx.taskId });
    const [original, resumed] = await Promise.all([running, tool.execute({ agent: id, message: "slow work" }, again.ctx)]);
    expect(value(original).state).toBe("completed");
    expect(value(resumed)).toMatchObject({ state: "completed", taskId: value(original).taskId });
    // …and once more after it finished (the restart came after the child completed, before the result was kept).
    const third = toolContext({ idempotencyKey: key, taskId: first.ctx.taskId });
    expect(value(await tool.execute({ agent: id, message: "slow work" }, third.ctx))).toMatchObject({ state: "completed", taskId: value(original).taskId });
    const messageId = await derivedId(key);
    const sent = (await statsOf("alpha")).messages.filter((m) => m.messageId === messageId);
    expect(sent).toHaveLength(1);
  });

  it("reports a failed child as a failed tool result", async () => {
    const id = uniqueId("failing");
    await register({ id, replicas: [cardUrlOf("alpha")] });
    const { ctx } = toolContext();
    const outcome = await (await toolFor()).execute({ agent: id, message: "fail now" }, ctx);
    expect(outcome).toMatchObject({ kind: "result", isError: true });
    expect(value(outcome)).toMatchObject({ error: `${id} failed: could not do it`, state: "failed" });
  });
});

describe("credentials to downstream agents", () => {
  const lastHeaders = async (server: string, parentTaskId: string) =>
    (await statsOf(server)).messages.find((m) => m.metadata?.delegation?.parentTaskId === parentTaskId)!.headers;

  it("none: no Authorization; header: the secret's value, never in the result", async () => {
    const plain = uniqueId("plain");
    const keyed = uniqueId("keyed");
    await register({ id: plain, replicas: [cardUrlOf("alpha")] });
    await register({ id: keyed, replicas: [cardUrlOf("alpha")], credentials: { mode: "header", header: "X-Downstream-Secret", secret: "AGENT_SECRET_TEST_DOWNSTREAM" } });
    const tool = await toolFor();
    const a = toolContext();
    await tool.execute({ agent: plain, message: "hi" }, a.ctx);
    expect((await lastHeaders("alpha", a.ctx.taskId)).authorization).toBeNull();
    const b = toolContext();
    const outcome = await tool.execute({ agent: keyed, message: "hi" }, b.ctx);
    expect((await lastHeaders("alpha", b.ctx.taskId))["x-downstream-secret"]).toBe("downstream-secret-for-tests");
    expect(JSON.stringify(outcome)).not.toContain("downstream-secret-for-tests");
  });

  it("jwt: a short-lived token signed with SIGNING_KEYS naming the caller and role, audience the agent", async () => {
    const id = uniqueId("jwt");
    await register({ id, replicas: [cardUrlOf("alpha")], credentials: { mode: "jwt", ttlSeconds: 120 } });
    const { ctx } = toolContext({ owner: "alice", role: "accountant", tenant: "acme" });
    await (await delegationTool(env, { role: "accountant" }))!.execute({ agent: id, message: "hi" }, ctx);
    const authorization = (await lastHeaders("alpha", ctx.taskId)).authorization!;
    const jwks = createLocalJWKSet(await (await worker(`${ORIGIN}/.well-known/jwks.json`)).json());
    const { payload, protectedHeader } = await jwtVerify(authorization.replace(/^Bearer /, ""), jwks, {
      audience: cardUrlOf("alpha").replace("/.well-known/agent-card.json", ""),
      algorithms: ["ES256"],
    });
    expect(protectedHeader.typ).toBe("a2a-edge-delegation+jwt");
    expect(payload).toMatchObject({ sub: "alice", role: "accountant", tenant: "acme" });
    expect(payload.exp! - payload.iat!).toBe(120);
  });

  it("forward: the caller's own token, to trusted agents only, and never after a restart", async () => {
    const trusted = uniqueId("trusted");
    const untrusted = uniqueId("untrusted");
    await register({ id: trusted, replicas: [cardUrlOf("alpha")], credentials: { mode: "forward" }, trusted: true });
    await register({ id: untrusted, replicas: [cardUrlOf("alpha")], credentials: { mode: "forward" } });
    const tool = await toolFor();
    const live = toolContext({ bearer: "Bearer caller.token.value" });
    await tool.execute({ agent: trusted, message: "hi" }, live.ctx);
    expect((await lastHeaders("alpha", live.ctx.taskId)).authorization).toBe("Bearer caller.token.value");
    const refused = await tool.execute({ agent: untrusted, message: "hi" }, toolContext({ bearer: "Bearer caller.token.value" }).ctx);
    expect(value(refused).error).toMatch(/not trusted/);
    const afterRestart = await tool.execute({ agent: trusted, message: "hi" }, toolContext().ctx);
    expect(value(afterRestart).error).toMatch(/not kept: after a restart/);
  });
});

describe("hosted agents are registry entries like any other", () => {
  it("delegates to a hosted agent through the Worker's loopback, as the calling user", async () => {
    const { ctx, emitted } = toolContext({ owner: "hosted-caller", role: "user" });
    const outcome = await (await toolFor()).execute({ agent: "demo", message: "over the loopback" }, ctx);
    expect(value(outcome)).toMatchObject({ agent: "demo", state: "completed", text: "You said: over the loopback" });
    expect(emitted.length).toBeGreaterThan(0);
    // The platform's delegation token named the user: the child task is theirs, in the demo agent's scope.
    const taskId = value(outcome).taskId;
    const get = async (sub: string) =>
      worker(
        `${ORIGIN}/agents/demo/a2a/jsonrpc`,
        { method: "POST", headers: { "Content-Type": "application/json", "A2A-Version": "1.0" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "GetTask", params: { id: taskId } }) },
        { claims: { sub } },
      ).then((r) => r.json() as Promise<any>);
    expect((await get("hosted-caller")).result.id).toBe(taskId);
    expect((await get("someone-else")).error.code).toBe(-32001);
  });
});

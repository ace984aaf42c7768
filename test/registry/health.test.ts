import { env } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { afterAll, describe, expect, it } from "vitest";
import worker from "../../workers/index";
import { delegationTool } from "../../durable-objects/agents/orchestrator/tools/delegate";
import { eventually } from "../helpers/a2a";
import { admin, breakAgent, cardUrlOf, connectionsTo, register, startAgent, statsOf, stopAgent, toolContext, uniqueId } from "../helpers/registry";

const tool = async () => (await delegationTool(env, { role: "user" }))!;

/** Which replica served each of these parent tasks (by the messages the downstream servers received). */
async function servedBy(parentTaskIds: string[]): Promise<string[]> {
  // A stopped replica has served nothing new (and cannot be asked).
  const none = { messages: [] as Awaited<ReturnType<typeof statsOf>>["messages"] };
  const [a, b] = await Promise.all([statsOf("lb-a").catch(() => none), statsOf("lb-b").catch(() => none)]);
  return parentTaskIds.map((id) =>
    a.messages.some((m) => m.metadata?.delegation?.parentTaskId === id) ? "lb-a" : b.messages.some((m) => m.metadata?.delegation?.parentTaskId === id) ? "lb-b" : "none",
  );
}

async function call(agent: string, message = "ping") {
  const { ctx } = toolContext();
  const outcome = await (await tool()).execute({ agent, message }, ctx);
  return { ctx, outcome, value: outcome.kind === "result" ? (outcome.value as any) : undefined };
}

async function healthOf(id: string) {
  const { body } = await admin("GET", `/${id}`);
  return Object.fromEntries(body.replicas.map((r: any) => [r.cardUrl, r.health]));
}

/** The Worker's own scheduled handler, as the Cron Trigger runs it. */
async function runCron() {
  const ctx = createExecutionContext();
  worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "* * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

afterAll(async () => {
  await startAgent("lb-b");
  await startAgent("gone");
});

describe("balancing across replicas", () => {
  it("sends each call to the replica with the fewest outstanding calls, ties in turn", async () => {
    const id = uniqueId("lb");
    await register({ id, replicas: [cardUrlOf("lb-a"), cardUrlOf("lb-b")] });
    // One long call holds a replica…
    const controller = new AbortController();
    const { ctx: holding } = toolContext({ signal: controller.signal });
    const held = (await tool()).execute({ agent: id, message: "hang" }, holding);
    await eventually(async () => ((await servedBy([holding.taskId]))[0] !== "none" ? true : undefined), 5000, "the long call");
    const [busy] = await servedBy([holding.taskId]);
    // …so the next calls go to the other one.
    const meanwhile = [await call(id), await call(id)];
    expect(await servedBy(meanwhile.map((c) => c.ctx.taskId))).toEqual(busy === "lb-a" ? ["lb-b", "lb-b"] : ["lb-a", "lb-a"]);
    controller.abort();
    await held;
    // With nothing outstanding, calls alternate.
    const calls = [await call(id), await call(id), await call(id), await call(id)];
    const served = await servedBy(calls.map((c) => c.ctx.taskId));
    expect(served.filter((s) => s === "lb-a")).toHaveLength(2);
    expect(served.filter((s) => s === "lb-b")).toHaveLength(2);
    expect(calls.every((c) => c.value.state === "completed")).toBe(true);
  });

  it("skips a replica stopped mid-test: calls still succeed, it turns unhealthy and is not tried again; a probe brings it back", async () => {
    const id = uniqueId("lb-down");
    await register({ id, replicas: [cardUrlOf("lb-a"), cardUrlOf("lb-b")] });
    await stopAgent("lb-b");
    // Every call still succeeds (one that picks lb-b is retried on lb-a) until lb-b has failed three times.
    const calls = [];
    while (calls.length < 12 && (await healthOf(id))[cardUrlOf("lb-b")].state !== "unhealthy") calls.push(await call(id));
    expect(calls.every((c) => c.value.state === "completed")).toBe(true);
    expect(new Set(await servedBy(calls.map((c) => c.ctx.taskId)))).toEqual(new Set(["lb-a"]));
    const down = (await healthOf(id))[cardUrlOf("lb-b")];
    expect(down.state).toBe("unhealthy");
    expect(down.consecutiveFailures).toBe(3);
    expect(down.lastError).toMatch(/could not be reached/);
    // Unhealthy: no longer tried, so no further failures are counted against it by calls.
    await call(id);
    await call(id);
    expect((await healthOf(id))[cardUrlOf("lb-b")].consecutiveFailures).toBe(3);

    // The Cron Trigger probes it: still down, then up again after the process restarts.
    await runCron();
    expect((await healthOf(id))[cardUrlOf("lb-b")]).toMatchObject({ state: "unhealthy", consecutiveFailures: 4 });
    await startAgent("lb-b");
    await runCron();
    const up = (await healthOf(id))[cardUrlOf("lb-b")];
    expect(up).toMatchObject({ state: "healthy", consecutiveFailures: 0, lastError: null });
    expect(up.latencyMs).toBeGreaterThanOrEqual(0);
    const after = [await call(id), await call(id)];
    expect(new Set(await servedBy(after.map((c) => c.ctx.taskId)))).toEqual(new Set(["lb-a", "lb-b"]));
  });
});

describe("an agent that is down", () => {
  it("is retried with jittered exponential backoff, then failed honestly; then fails fast while unhealthy", async () => {
    const id = uniqueId("gone");
    await register({ id, replicas: [cardUrlOf("gone")], limits: { timeoutMs: 30_000, retries: 4 } });
    // There, but broken: every connection is reset, and the moment each attempt came is noted.
    await breakAgent("gone");
    const first = await call(id);
    expect(first.outcome).toMatchObject({ kind: "result", isError: true });
    expect(first.value.error).toBe(`${id} is unavailable: it could not be reached.`);
    const attempts = await connectionsTo("gone");
    expect(attempts).toHaveLength(5);
    // Waits of at least half of 200 ms × 2^(n−1) between attempts: 100, 200, 400, 800 ms.
    const gaps = attempts.slice(1).map((at, i) => at - attempts[i]!);
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(100 * 2 ** i));
    expect((await healthOf(id))[cardUrlOf("gone")]).toMatchObject({ state: "unhealthy", consecutiveFailures: 5 });

    const again = Date.now();
    const second = await call(id);
    expect(second.value.error).toMatch(new RegExp(`^${id} is unavailable: all 1 of its replicas are unhealthy \\(last error: it could not be reached\\)`));
    expect(Date.now() - again).toBeLessThan(300);
    expect(await connectionsTo("gone")).toHaveLength(5);
    expect((await healthOf(id))[cardUrlOf("gone")].consecutiveFailures).toBe(5);
    await startAgent("gone");
  });
});

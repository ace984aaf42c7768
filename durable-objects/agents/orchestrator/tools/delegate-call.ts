import { Message as SdkMessage } from "@a2a-js/sdk";
import { A2AError as SdkA2AError } from "@a2a-js/sdk/errors";
import type { Client } from "@a2a-js/sdk/client";
import type { Part, Task } from "../../../../schema/a2a";
import { balancerOf } from "../../../../workers/registry/balancer";
import { replicaClient, type Exchange } from "../../../../workers/registry/client";
import { CredentialsUnavailable, type DownstreamCaller } from "../../../../workers/registry/credentials";
import { roleAllowed, type RegisteredAgent } from "../../../../workers/registry/entry";
import { OutboundRefused } from "../../../../workers/registry/outbound";
import { reportCall } from "../../../../workers/registry/registry";
import { findDelegation, getAgent, registryDb, saveDelegation } from "../../../../workers/registry/store";
import { traceIdOf } from "../../../../workers/registry/trace";
import { applyTask, childResult, newChildView, showChildEvent, toWire, type ChildView } from "./delegate-events";
import { askUser, result, toolError, type ToolContext, type ToolOutcome } from "./tool";

/** Statuses worth another attempt: overload and a gateway that could not reach the agent. */
const RETRY_STATUSES = new Set([429, 502, 503, 504]);
/** How long an attempt may wait for response headers before it counts as timed out and is retried. */
const CONNECT_TIMEOUT_MS = 15_000;
const BACKOFF_BASE_MS = 200;
const BACKOFF_CAP_MS = 5000;
const CANCEL_TIMEOUT_MS = 5000;
const FINAL_STATES = new Set(["TASK_STATE_COMPLETED", "TASK_STATE_FAILED", "TASK_STATE_CANCELED", "TASK_STATE_REJECTED"]);
const INTERRUPTED = new Set(["TASK_STATE_INPUT_REQUIRED", "TASK_STATE_AUTH_REQUIRED"]);

/** What a call sends: parts to an agent, as a new child task or as the answer to a child waiting for input. */
export interface DelegationRequest {
  agentId: string;
  parts: Part[];
  /** Derived from the tool call's idempotency key: the same on every attempt and after a restart. */
  messageId: string;
  /** The row that remembers the child (`registry_delegations`), by the same key. */
  key: string;
  /** A follow-up goes to the replica that holds the child task. */
  follow?: { cardUrl: string; taskId: string; contextId: string };
  /**
   * The agent must learn who the caller is (it acts for them: the recruiting CRM): the call is refused unless the
   * entry's credentials name the caller (`jwt`, `forward`), or caller and agent both see the same anonymous user.
   */
  onBehalf?: boolean;
}

/** How a delegation ended: the child's view once it stopped, or a failed tool result saying why it could not. */
export type ChildOutcome = { ok: true; view: ChildView; cardUrl: string } | { ok: false; outcome: ToolOutcome };

/** What `input-required` keeps, so that `resume` can send the user's answer to the same child. */
export interface ChildWaiting {
  agentId: string;
  cardUrl: string;
  taskId: string;
  contextId: string;
}

/** A stable id from a key: `dlg-` and 32 hex digits of its SHA-256. */
export async function derivedId(key: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)));
  return `dlg-${Array.from(digest.slice(0, 16), (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Full-jitter exponential backoff: a random wait up to 200 ms × 2^(n−1), at most 5 s; cut short by `signal`. */
function backoff(attempt: number, signal: AbortSignal): Promise<void> {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
  const wait = ceiling / 2 + Math.random() * (ceiling / 2);
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, wait);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}

const stateName = (state: string | undefined) => (state ?? "").replace("TASK_STATE_", "").toLowerCase().replace(/_/g, "-");

/** The outcome for the model once the child stopped: its answer, its question, or an honest failure. */
function outcomeOf(view: ChildView, cardUrl: string): ToolOutcome {
  if (view.reply || view.state === "TASK_STATE_COMPLETED") return result(childResult(view));
  if (view.state === "TASK_STATE_INPUT_REQUIRED" && view.taskId && view.contextId) {
    const waiting: ChildWaiting = { agentId: view.agentId, cardUrl, taskId: view.taskId, contextId: view.contextId };
    return askUser(view.message?.parts.length ? view.message.parts : `${view.agentId} needs more input.`, waiting);
  }
  const { text } = childResult(view);
  // A structured refusal (data parts of the child's last message, e.g. an error code) reaches the model too.
  const data = view.message?.parts.filter((p) => p.data !== undefined).map((p) => p.data) ?? [];
  return toolError(`${view.agentId} ${stateName(view.state) || "stopped"}${text ? `: ${text}` : ""}`, {
    agent: view.agentId,
    taskId: view.taskId,
    state: stateName(view.state),
    ...(data.length > 0 ? { data } : {}),
  });
}

/** Cancels a child downstream (CancelTask), bounded in time; a failure is logged, never thrown. */
async function cancelChild(client: Client, view: ChildView): Promise<void> {
  if (!view.taskId) return;
  try {
    await client.cancelTask({ tenant: "", id: view.taskId, metadata: undefined }, { signal: AbortSignal.timeout(CANCEL_TIMEOUT_MS) });
  } catch (error) {
    console.warn(JSON.stringify({ at: "delegate-cancel", agentId: view.agentId, taskId: view.taskId, error: String(error).slice(0, 200) }));
  }
}

function sdkMessage(request: DelegationRequest, ctx: ToolContext) {
  return SdkMessage.fromJSON({
    messageId: request.messageId,
    role: "ROLE_USER",
    parts: request.parts,
    ...(request.follow ? { taskId: request.follow.taskId, contextId: request.follow.contextId } : { referenceTaskIds: [ctx.taskId] }),
    metadata: { delegation: { parentTaskId: ctx.taskId, parentContextId: ctx.contextId } },
  });
}

/**
 * One delegation: the message goes to a healthy replica (fewest outstanding calls) of the agent as an A2A child
 * task, streamed when the card allows, and every event of the child shows in the parent's stream as it comes.
 *
 * - A connection error, a timeout before the answer starts, 429 or 502–504 is retried with jittered exponential
 *   backoff on another replica, up to the entry's `retries`; the same `messageId` goes every time.
 * - A stream that breaks once the child exists is followed again on its replica (SubscribeToTask, else GetTask),
 *   so the child is never created twice; a run resumed after a restart does the same from `registry_delegations`.
 * - The parent's signal aborting (CancelTask, the run's limit) cancels the child downstream; so does the entry's
 *   per-call `timeoutMs`.
 * - Every attempt is a passive health signal for its replica.
 */
export async function delegate(ctx: ToolContext, request: DelegationRequest): Promise<ToolOutcome> {
  const child = await delegateChild(ctx, request);
  return child.ok ? outcomeOf(child.view, child.cardUrl) : child.outcome;
}

const failed = (message: string, details?: Record<string, unknown>): ChildOutcome => ({ ok: false, outcome: toolError(message, details) });

/**
 * Whether the entry's credentials tell the agent who the caller is: a platform JWT or the caller's own token name
 * them; no credentials do only when the caller is anonymous too (both sides then see the same anonymous user).
 */
function namesCaller(agent: RegisteredAgent, caller: ToolContext["caller"]): boolean {
  const mode = agent.credentials.mode;
  return mode === "jwt" || (mode === "forward" && Boolean(caller.bearer)) || (mode === "none" && !caller.authenticated && caller.tenant === "");
}

/** `delegate`, leaving the reading of the child's answer to the caller (tools/recruiting-crm.ts reads a data artifact). */
export async function delegateChild(ctx: ToolContext, request: DelegationRequest): Promise<ChildOutcome> {
  const { env } = ctx;
  const db = registryDb(env);
  const agent = await getAgent(db, request.agentId);
  if (!agent) return failed(`There is no agent ${request.agentId}.`);
  if (!roleAllowed(agent.roles, ctx.caller.role)) return failed(`Role ${ctx.caller.role} may not use agent ${agent.id}.`);
  if (request.onBehalf && !namesCaller(agent, ctx.caller)) {
    return failed(
      `${agent.id} acts for the caller, but its credentials (${agent.credentials.mode}) do not name them: set SIGNING_KEYS so the platform signs a delegation token (credentials mode jwt).`,
      { agent: agent.id },
    );
  }
  const timeout = AbortSignal.timeout(agent.limits.timeoutMs);
  const signal = AbortSignal.any([ctx.signal, timeout]);
  const caller: DownstreamCaller = { owner: ctx.caller.owner, tenant: ctx.caller.tenant, role: ctx.caller.role, ...(ctx.caller.bearer ? { bearer: ctx.caller.bearer } : {}) };
  const traceId = await traceIdOf(ctx.taskId);
  const view = newChildView(agent.id);
  // A run resumed after a restart finds the child it had started: follow it, never create it again.
  const known = request.follow ? undefined : await findDelegation(db, request.key);
  let pinned = request.follow?.cardUrl ?? (known?.childTaskId ? known.cardUrl : undefined);
  if (known?.childTaskId) Object.assign(view, { taskId: known.childTaskId, contextId: known.childContextId ?? undefined });
  if (request.follow) Object.assign(view, { taskId: request.follow.taskId, contextId: request.follow.contextId });
  /** True while the child is known to exist and the next attempt only has to follow it. */
  let following = Boolean(known?.childTaskId);
  const balancer = balancerOf(env, agent.id);
  const tried: string[] = [];
  let lastProblem = "no replica of the agent has a usable card";

  for (let attempt = 0; attempt <= agent.limits.retries; attempt++) {
    if (attempt > 0) await backoff(attempt, signal);
    if (signal.aborted) break;
    const cardUrl = await pickReplica(agent, pinned, tried, balancer);
    if (!cardUrl) break;
    const replica = agent.replicaStates.find((r) => r.cardUrl === cardUrl)!;
    const exchange: Exchange = {};
    const started = Date.now();
    let client: Client | undefined;
    let answered = false;
    try {
      client = await replicaClient(env, agent, replica, caller, traceId, exchange, CONNECT_TIMEOUT_MS);
      if (!following) await record(ctx, request, agent.id, cardUrl, view, "started");
      const events = following ? follow(client, view, signal) : client.sendMessageStream({ tenant: "", message: sdkMessage(request, ctx), configuration: undefined, metadata: undefined }, { signal });
      for await (const raw of events) {
        if (!answered) {
          answered = true;
          void reportCall(env, agent.id, cardUrl, { ok: true, latencyMs: Date.now() - started });
        }
        const hadTask = Boolean(view.taskId);
        showChildEvent(view, toWire(raw), ctx.emit);
        if (view.taskId && !hadTask) await record(ctx, request, agent.id, cardUrl, view, "working");
      }
      if (view.reply || FINAL_STATES.has(view.state ?? "") || INTERRUPTED.has(view.state ?? "")) {
        await record(ctx, request, agent.id, cardUrl, view, stateName(view.state) || "completed");
        return { ok: true, view, cardUrl };
      }
      // The stream ended before the child did: follow it again.
      lastProblem = "the stream ended before the child task finished";
      if (view.taskId) (pinned = cardUrl), (following = true);
    } catch (error) {
      if (ctx.signal.aborted || timeout.aborted) {
        if (client) await cancelChild(client, view);
        await record(ctx, request, agent.id, cardUrl, view, "canceled");
        return failed(
          ctx.signal.aborted
            ? `The call to ${agent.id} was cancelled${view.taskId ? `; its task ${view.taskId} was cancelled too` : ""}.`
            : `${agent.id} did not finish within ${agent.limits.timeoutMs} ms${view.taskId ? `; its task ${view.taskId} was cancelled` : ""}.`,
          { agent: agent.id, ...(view.taskId ? { taskId: view.taskId } : {}) },
        );
      }
      if (error instanceof CredentialsUnavailable || error instanceof OutboundRefused) return failed(`${agent.id} cannot be called: ${error.message}`);
      const retryable = exchange.unreachable || exchange.timedOut || RETRY_STATUSES.has(exchange.status ?? 0);
      // A protocol error answered by the agent (bad request, unknown task, …) is its final word.
      if (!retryable && error instanceof SdkA2AError && !(following && exchange.status === 200)) {
        await record(ctx, request, agent.id, cardUrl, view, "failed");
        return failed(`${agent.id} refused the request: ${error.message.slice(0, 500)}`, { agent: agent.id });
      }
      lastProblem = exchange.unreachable
        ? "it could not be reached"
        : exchange.timedOut
          ? `no answer within ${CONNECT_TIMEOUT_MS} ms`
          : exchange.status && exchange.status !== 200
            ? `it answered HTTP ${exchange.status}`
            : `the connection broke (${error instanceof Error ? error.message.slice(0, 120) : "error"})`;
      // A replica that is overloaded (429) is not unhealthy; one that cannot be reached or fails is. The failure is
      // recorded before the retry, so that the next pick (here or in a concurrent call) already counts it.
      if (exchange.status !== 429) await reportCall(env, agent.id, cardUrl, { ok: false, error: lastProblem });
      if (view.taskId) {
        // The child exists on this replica: only this replica can carry on with it.
        pinned = cardUrl;
        following = true;
      } else tried.push(cardUrl);
    } finally {
      await balancer.release(cardUrl);
    }
  }
  if (ctx.signal.aborted || timeout.aborted) {
    return failed(ctx.signal.aborted ? `The call to ${agent.id} was cancelled.` : `${agent.id} did not finish within ${agent.limits.timeoutMs} ms.`, { agent: agent.id });
  }
  if (tried.length === 0 && !pinned) {
    // Nothing was tried: every replica was unhealthy (or none has a card). Fail fast, without a request.
    const usable = agent.replicaStates.filter((r) => r.card);
    const down = usable.filter((r) => r.state === "unhealthy");
    if (usable.length > 0 && down.length === usable.length) {
      lastProblem = `all ${down.length} of its replicas are unhealthy${down[0]?.lastError ? ` (last error: ${down[0].lastError})` : ""}`;
    }
  }
  const where = view.taskId ? ` (its task ${view.taskId} may still be running there)` : "";
  return failed(`${agent.id} is unavailable: ${lastProblem}${where}.`, { agent: agent.id, ...(view.taskId ? { taskId: view.taskId } : {}) });
}

/**
 * The replica for the next attempt: the pinned one (a child lives there), else the balancer's choice among the
 * healthy ones not tried yet in this call, else (every healthy one failed once) among the healthy ones again.
 */
async function pickReplica(agent: RegisteredAgent, pinned: string | undefined, tried: string[], balancer: ReturnType<typeof balancerOf>): Promise<string | null> {
  if (pinned) {
    await balancer.hold(pinned);
    return pinned;
  }
  const candidates = agent.replicaStates.filter((r) => r.card).map((r) => ({ cardUrl: r.cardUrl, state: r.state }));
  return (await balancer.acquire(candidates, tried)) ?? (tried.length > 0 ? balancer.acquire(candidates, []) : null);
}

/** Follows a child that already exists: its stream again, or (once it is over, or streams are not offered) its task. */
async function* follow(client: Client, view: ChildView, signal: AbortSignal) {
  const id = view.taskId!;
  try {
    yield* client.resubscribeTask({ tenant: "", id }, { signal });
  } catch (error) {
    // A task that is finished (or waiting for input) cannot be subscribed to: read it instead.
    if (!(error instanceof SdkA2AError)) throw error;
    const task = await client.getTask({ tenant: "", id, historyLength: 0 }, { signal });
    applyTask(view, (toWire({ payload: { $case: "task", value: task } }) as { task: Task }).task);
  }
}

async function record(ctx: ToolContext, request: DelegationRequest, agentId: string, cardUrl: string, view: ChildView, state: string): Promise<void> {
  try {
    await saveDelegation(registryDb(ctx.env), {
      idempotencyKey: request.key,
      parentTaskId: ctx.taskId,
      agentId,
      cardUrl,
      childTaskId: view.taskId ?? null,
      childContextId: view.contextId ?? null,
      callerOwner: ctx.caller.owner,
      callerTenant: ctx.caller.tenant,
      callerRole: ctx.caller.role,
      state,
    });
  } catch (error) {
    // Losing this row only loses the restart guarantee, never the call.
    console.warn(JSON.stringify({ at: "delegate-record", agentId, error: String(error).slice(0, 200) }));
  }
}

import { env } from "cloudflare:workers";
import { inject } from "vitest";
import type { Artifact, Part } from "../../schema/a2a";
import type { ToolContext } from "../../durable-objects/agents/orchestrator/tools/tool";
import { ORIGIN, worker } from "./a2a";
import type { Credential } from "./auth";

/** The downstream agents on the official SDK server (test/setup/sdk-agents.mjs), by name → base URL. */
export const SDK = inject("sdkAgents");
const CONTROL = inject("sdkAgentsControlUrl");

export const cardUrlOf = (name: string) => `${SDK[name]}/.well-known/agent-card.json`;

/** A registry id no other test uses. */
export const uniqueId = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

export const ADMIN: Credential = { claims: { sub: "registry-admin", role: "admin" } };

/** One admin API call; the parsed body (undefined when empty). */
export async function admin(verb: string, path: string, body?: unknown, as: Credential = ADMIN) {
  const response = await worker(
    `${ORIGIN}/admin/agents${path}`,
    { method: verb, ...(body === undefined ? {} : { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }) },
    as,
  );
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as any) : undefined, response };
}

/** Registers an entry and fails the test unless it was created. */
export async function register(entry: Record<string, unknown>) {
  const { status, body } = await admin("POST", "", entry);
  if (status !== 201) throw new Error(`registering ${String(entry.id)} answered ${status}: ${JSON.stringify(body)}`);
  return body;
}

export async function stopAgent(name: string): Promise<void> {
  const response = await fetch(`${CONTROL}/stop/${name}`, { method: "POST" });
  if (response.status !== 204) throw new Error(`could not stop ${name}: ${await response.text()}`);
}

export async function startAgent(name: string): Promise<void> {
  const response = await fetch(`${CONTROL}/start/${name}`, { method: "POST" });
  if (response.status !== 204) throw new Error(`could not start ${name}: ${await response.text()}`);
}

/** Stops an agent and resets every connection to its port instead, noting when each came. */
export async function breakAgent(name: string): Promise<void> {
  const response = await fetch(`${CONTROL}/reset/${name}`, { method: "POST" });
  if (response.status !== 204) throw new Error(`could not break ${name}: ${await response.text()}`);
}

/** When each connection to a broken agent came (ms since the epoch). */
export async function connectionsTo(name: string): Promise<number[]> {
  return (await fetch(`${CONTROL}/resets/${name}`)).json();
}

export interface SdkStats {
  messages: Array<{ messageId: string; taskId: string; contextId: string; referenceTaskIds: string[]; metadata: any; text: string; headers: Record<string, string | null> }>;
  cancels: string[];
  streams: Array<{ path: string; body: string }>;
  cardFetches: number;
}

/** What a downstream agent received so far. */
export async function statsOf(name: string): Promise<SdkStats> {
  return (await fetch(`${SDK[name]}/_control/stats`)).json();
}

/** Everything a fake ToolContext's emitter was given, in order. */
export type Emitted = { kind: "status"; content: string | Part[]; metadata?: Record<string, unknown> } | { kind: "artifact"; artifact: Artifact; options?: { append?: boolean; lastChunk?: boolean } };

/**
 * A ToolContext as the loop gives one to a tool, with an emitter that records what the tool shows in the parent's
 * stream. `taskId`/`idempotencyKey` are fresh unless given (a resumed run passes the same key again).
 */
export function toolContext(options: { role?: string; owner?: string; tenant?: string; signal?: AbortSignal; idempotencyKey?: string; taskId?: string; bearer?: string } = {}) {
  const emitted: Emitted[] = [];
  const taskId = options.taskId ?? crypto.randomUUID();
  const ctx: ToolContext = {
    signal: options.signal ?? new AbortController().signal,
    caller: {
      owner: options.owner ?? "test-user",
      tenant: options.tenant ?? "",
      role: options.role ?? "user",
      authenticated: true,
      ...(options.bearer ? { bearer: options.bearer } : {}),
    },
    idempotencyKey: options.idempotencyKey ?? `${taskId}/1/call-${crypto.randomUUID().slice(0, 8)}`,
    taskId,
    contextId: crypto.randomUUID(),
    env,
    emit: {
      status: (content, metadata) => void emitted.push({ kind: "status", content, ...(metadata ? { metadata } : {}) }),
      artifact: (artifact, opts) => void emitted.push({ kind: "artifact", artifact, ...(opts ? { options: opts } : {}) }),
    },
  };
  return { ctx, emitted };
}

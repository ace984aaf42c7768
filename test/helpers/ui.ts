import { env } from "cloudflare:workers";
import type { Message, Part } from "../../schema/a2a";
import { A2UI_MEDIA_TYPE, BASIC_CATALOG_ID, type A2uiClient } from "../../schema/a2ui/extension";
import type { ToolContext, ToolOutcome } from "../../durable-objects/agents/orchestrator/tools/tool";

export const A2UI_CLIENT: A2uiClient = { version: "v0.9.1", catalogIds: [BASIC_CATALOG_ID] };

/** A tool context as the loop makes one, recording what the tool showed while it ran. */
export function makeToolContext(options: { a2ui?: A2uiClient; key?: string } = {}) {
  const statuses: Array<string | Part[]> = [];
  const ctx: ToolContext = {
    signal: new AbortController().signal,
    caller: { owner: "tester", tenant: "", role: "recruiter", authenticated: true },
    idempotencyKey: options.key ?? `task-${crypto.randomUUID()}/1/call_1`,
    taskId: "task-1",
    contextId: "context-1",
    env,
    emit: { artifact: () => {}, status: (content) => void statuses.push(content) },
    ...(options.a2ui ? { a2ui: options.a2ui } : {}),
  };
  return { ctx, statuses };
}

/** Every A2UI message in a list of parts: the `data` arrays of the A2UI data parts. */
export const a2uiMessagesIn = (parts: string | Part[]): any[] =>
  typeof parts === "string" ? [] : parts.filter((part) => part.mediaType?.includes("a2ui")).flatMap((part) => part.data as any[]);

export function promptOf(outcome: ToolOutcome): string | Part[] {
  if (outcome.kind !== "input-required") throw new Error(`expected input-required, got ${JSON.stringify(outcome)}`);
  return outcome.prompt;
}

export function stateOf(outcome: ToolOutcome): unknown {
  if (outcome.kind !== "input-required") throw new Error(`expected input-required, got ${JSON.stringify(outcome)}`);
  return outcome.state;
}

export function valueOf(outcome: ToolOutcome): any {
  if (outcome.kind !== "result") throw new Error(`expected a result, got ${JSON.stringify(outcome)}`);
  return outcome.value;
}

/** The user message a renderer sends for a click: one A2UI data part with the action. */
export function actionMessage(action: { name: string; surfaceId: string; sourceComponentId?: string; context?: Record<string, unknown> }, mediaType = A2UI_MEDIA_TYPE): Message {
  return {
    messageId: `m-${crypto.randomUUID()}`,
    role: "ROLE_USER",
    parts: [
      {
        data: [{ version: "v0.9.1", action: { sourceComponentId: "b", timestamp: new Date().toISOString(), context: {}, ...action } }] as never,
        mediaType,
        metadata: { mimeType: mediaType },
      },
    ],
  };
}

export const textMessage = (text: string): Message => ({ messageId: `m-${crypto.randomUUID()}`, role: "ROLE_USER", parts: [{ text }] });

import type { ModelMessage } from "ai";
import type { Message, Part } from "../../../schema/a2a";
import type { ModelToolCall } from "../models/model";

/**
 * How a run's steps live in the task itself. Every step is an agent message in the task's history (so it is
 * committed to SQLite, streamed as a status update, and written to Postgres with the rest of the conversation),
 * marked by `metadata.orchestration`:
 * - `model`: the model's response to one step: its text, and one `{ toolCall }` data part per call;
 * - `tool-result`: one `{ toolResult }` data part; `answer` names the user message it came from, if any;
 * - `input-required`: the question a tool asked the user (the task waits in INPUT_REQUIRED);
 * - `tool-event`: what a tool showed while it ran (child-task progress, UI surfaces), not for the model;
 * - `answer`: the final answer of a run; `stop`: why a run stopped without one.
 * `turn` is the id of the user message that started the run.
 */
export type StepNote =
  | { kind: "model"; turn: string; step: number }
  | { kind: "tool-result"; turn: string; step: number; callId: string; answer?: string }
  | { kind: "input-required"; turn: string; step: number; callId: string; name: string; state?: unknown }
  | { kind: "tool-event"; turn: string; step: number; callId: string }
  | { kind: "answer"; turn: string; step: number }
  | { kind: "stop"; turn: string; reason: string };

export interface ToolCallData {
  id: string;
  name: string;
  args: unknown;
}

export interface ToolResultData {
  id: string;
  name: string;
  value: unknown;
  isError?: boolean;
}

export const noteOf = (message: Message): StepNote | undefined => {
  const note = (message.metadata as { orchestration?: StepNote } | undefined)?.orchestration;
  return note && typeof note === "object" && typeof note.kind === "string" ? note : undefined;
};

export const noted = (note: StepNote) => ({ orchestration: note });

export function modelStepParts(text: string, calls: ModelToolCall[]): Part[] {
  const parts: Part[] = text ? [{ text }] : [];
  for (const call of calls) {
    const args = call.inputError !== undefined ? { invalidJson: call.inputError } : call.input;
    parts.push({ data: { toolCall: { id: call.id, name: call.name, args: args ?? null } } as never, mediaType: "application/json" });
  }
  return parts;
}

export const toolResultParts = (result: ToolResultData): Part[] => [
  { data: { toolResult: result } as never, mediaType: "application/json" },
];

const dataOf = <K extends string, T>(part: Part, key: K): T | undefined => {
  const data = part.data as Record<string, unknown> | undefined;
  return data && typeof data === "object" && key in data ? (data[key] as T) : undefined;
};

/** A user message as the model reads it: text as is, data as JSON, files by name (their bytes are not sent). */
export function userText(message: Message): string {
  return message.parts
    .map((part) => {
      if (part.text !== undefined) return part.text;
      if (part.data !== undefined) return "```json\n" + JSON.stringify(part.data) + "\n```";
      return `[file ${part.filename ?? part.url ?? "attached"}${part.mediaType ? ` (${part.mediaType})` : ""}]`;
    })
    .join("\n");
}

const textOfParts = (parts: Part[]) =>
  parts
    .map((part) => part.text)
    .filter((text): text is string => text !== undefined)
    .join("\n");

/** The calls of the latest model step that have no result yet, and the one among them waiting for the user. */
export interface OpenWork {
  step: number;
  turn: string | undefined;
  calls: Array<ToolCallData & { step: number }>;
  suspended?: { callId: string; name: string; step: number; state?: unknown; askedIn: string };
}

/**
 * Reads a conversation back from its A2A messages: the model's view of it (user, assistant with tool calls,
 * tool results), and the work a run left open. Pure: it is how a run resumes after a restart, and how a
 * later task sees this one. Tool calls that never got a result (a run canceled or failed mid-call) are closed
 * with a result saying so, since providers refuse a call without one.
 */
export function readConversation(history: readonly Message[]): { messages: ModelMessage[]; open: OpenWork } {
  const consumed = new Set<string>();
  for (const message of history) {
    const note = noteOf(message);
    if (note?.kind === "tool-result" && note.answer) consumed.add(note.answer);
  }
  const messages: ModelMessage[] = [];
  const open: OpenWork = { step: 0, turn: undefined, calls: [] };
  const unanswered = new Map<string, { index: number; name: string }>();
  const closeUnanswered = () => {
    // Insert closing results right after the assistant message whose calls they answer.
    const byIndex = [...unanswered.entries()].sort((a, b) => b[1].index - a[1].index);
    for (const [id, { index, name }] of byIndex) {
      messages.splice(index + 1, 0, {
        role: "tool",
        content: [{ type: "tool-result", toolCallId: id, toolName: name, output: { type: "error-text", value: "This call never finished (its run was canceled or failed)." } }],
      });
    }
    unanswered.clear();
  };

  for (const message of history) {
    const note = noteOf(message);
    if (message.role === "ROLE_USER") {
      if (consumed.has(message.messageId)) continue;
      closeUnanswered();
      messages.push({ role: "user", content: userText(message) });
      continue;
    }
    switch (note?.kind) {
      case "model": {
        closeUnanswered();
        const calls = message.parts.flatMap((part) => {
          const call = dataOf<"toolCall", ToolCallData>(part, "toolCall");
          return call ? [call] : [];
        });
        const text = textOfParts(message.parts);
        messages.push({
          role: "assistant",
          content: [
            ...(text ? [{ type: "text" as const, text }] : []),
            ...calls.map((call) => ({ type: "tool-call" as const, toolCallId: call.id, toolName: call.name, input: call.args ?? {} })),
          ],
        });
        calls.forEach((call) => unanswered.set(call.id, { index: messages.length - 1, name: call.name }));
        open.step = note.step;
        open.turn = note.turn;
        open.calls = calls.map((call) => ({ ...call, step: note.step }));
        delete open.suspended;
        break;
      }
      case "tool-result": {
        const result = message.parts.map((part) => dataOf<"toolResult", ToolResultData>(part, "toolResult")).find(Boolean);
        if (!result) break;
        const asked = unanswered.get(result.id);
        unanswered.delete(result.id);
        const value = result.value === undefined ? null : result.value;
        const insertAt = asked ? lastIndexOfToolBlock(messages, asked.index) : messages.length;
        messages.splice(insertAt, 0, {
          role: "tool",
          content: [
            {
              type: "tool-result",
              toolCallId: result.id,
              toolName: result.name,
              output: result.isError ? { type: "error-json", value: value as never } : { type: "json", value: value as never },
            },
          ],
        });
        open.calls = open.calls.filter((call) => call.id !== result.id);
        if (open.suspended?.callId === result.id) delete open.suspended;
        break;
      }
      case "input-required":
        open.suspended = { callId: note.callId, name: note.name, step: note.step, askedIn: message.messageId, ...(note.state !== undefined ? { state: note.state } : {}) };
        break;
      case "tool-event":
      case "stop":
        break;
      default: {
        const text = textOfParts(message.parts);
        if (text) {
          closeUnanswered();
          messages.push({ role: "assistant", content: text });
        }
      }
    }
  }
  if (open.calls.length === 0) delete open.suspended;
  const keepOpen = new Set(open.calls.map((call) => call.id));
  for (const id of [...unanswered.keys()]) if (keepOpen.has(id)) unanswered.delete(id);
  closeUnanswered();
  return { messages, open };
}

/** Tool results answer the assistant message at `index`: they go after it and after its earlier results. */
function lastIndexOfToolBlock(messages: ModelMessage[], index: number): number {
  let at = index + 1;
  while (at < messages.length && messages[at]!.role === "tool") at += 1;
  return at;
}

import type { Message, Part } from "../../../../schema/a2a";
import { A2UI_MEDIA_TYPES } from "../../../../schema/a2ui/extension";
import { A2uiClientMessageSchema, type A2uiAction, type A2uiClientError } from "../../../../schema/a2ui/messages";
import type { UiAction } from "../../../../schema/a2ui/ui-tools";
import { validateClientMessage } from "./ui-validate";

/** What a user message says to a surface: the A2UI action aimed at it, or else the user's text. */
export interface UserAnswer {
  /** The action from a component of this surface. */
  action?: A2uiAction;
  /** An action from another surface (an older one still on screen): passed on, never taken for this one. */
  elsewhere?: A2uiAction;
  /** Errors the client's renderer reported (a message it could not show). */
  clientErrors: A2uiClientError[];
  /** Client messages that were not valid A2UI, and why. */
  invalid: string[];
  /** The message's text parts. */
  text: string;
}

const MAX_CLIENT_MESSAGES = 16;

/** A data part carrying A2UI, by `mediaType` or `metadata.mimeType`, in v0.9.1's or v0.9's media type. */
export function isA2uiPart(part: Part): boolean {
  const mimeType = (part.metadata as { mimeType?: unknown } | undefined)?.mimeType;
  return part.data !== undefined && (A2UI_MEDIA_TYPES.includes(part.mediaType ?? "") || (typeof mimeType === "string" && A2UI_MEDIA_TYPES.includes(mimeType)));
}

/**
 * The A2UI client → agent messages in a user message: each A2UI data part's `data` is an array of messages or
 * one message. Each is untrusted: checked with zod, then against `client_to_server.json`.
 */
export function clientMessagesOf(message: Pick<Message, "parts">): { actions: A2uiAction[]; errors: A2uiClientError[]; invalid: string[] } {
  const actions: A2uiAction[] = [];
  const errors: A2uiClientError[] = [];
  const invalid: string[] = [];
  const items = message.parts.filter(isA2uiPart).flatMap((part) => (Array.isArray(part.data) ? part.data : [part.data]));
  for (const item of items.slice(0, MAX_CLIENT_MESSAGES)) {
    const parsed = A2uiClientMessageSchema.safeParse(item);
    const checked = parsed.success ? validateClientMessage(item) : { valid: false as const, errors: parsed.error.issues.map((issue) => `${issue.path.join("/")}: ${issue.message}`) };
    if (!parsed.success || !checked.valid) {
      invalid.push(...(checked.valid ? [] : checked.errors).slice(0, 2));
      continue;
    }
    if ("action" in parsed.data) actions.push(parsed.data.action);
    else errors.push(parsed.data.error);
  }
  return { actions, errors, invalid };
}

export function answerOf(message: Pick<Message, "parts">, surfaceId: string): UserAnswer {
  const { actions, errors, invalid } = clientMessagesOf(message);
  const text = message.parts
    .map((part) => part.text)
    .filter((value): value is string => value !== undefined)
    .join("\n")
    .trim();
  const action = actions.find((candidate) => candidate.surfaceId === surfaceId);
  const elsewhere = action ? undefined : actions[0];
  return {
    ...(action ? { action } : {}),
    ...(elsewhere ? { elsewhere } : {}),
    clientErrors: errors.filter((error) => error.surfaceId === surfaceId),
    invalid,
    text,
  };
}

const normalise = (value: string) => value.toLowerCase().replace(/[*_`"'.!?]/g, "").replace(/\s+/g, " ").trim();

/**
 * The action a text reply names — its label or name, alone or followed by more words ("Screen c-42") — and the
 * rest of the reply (lower-cased). A client without A2UI answers this way.
 */
export function actionInText(text: string, actions: readonly Pick<UiAction, "name" | "label">[]): { action: Pick<UiAction, "name" | "label">; rest: string } | undefined {
  const reply = normalise(text);
  const byLength = [...actions].flatMap((action) => [normalise(action.label), normalise(action.name)].map((word) => ({ action, word }))).sort((a, b) => b.word.length - a.word.length);
  for (const { action, word } of byLength) {
    if (reply === word) return { action, rest: "" };
    if (reply.startsWith(`${word} `)) return { action, rest: reply.slice(word.length).trim() };
  }
  return undefined;
}

/** What every UI tool's result says about an answer it could not match to its surface. */
export function unmatched(answer: UserAnswer, surfaceId: string): Record<string, unknown> {
  return {
    surfaceId,
    action: null,
    ...(answer.text ? { reply: answer.text } : {}),
    ...(answer.elsewhere ? { actionOnOtherSurface: answer.elsewhere } : {}),
    ...(answer.clientErrors.length ? { clientErrors: answer.clientErrors } : {}),
    ...(answer.invalid.length ? { invalidClientMessages: answer.invalid } : {}),
  };
}

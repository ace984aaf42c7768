import { env } from "cloudflare:workers";

/**
 * Scripts for the scripted OpenAI Chat Completions server (test/setup/openai-server.mjs). A test makes its own
 * script, so parallel test files never share one; each request the server gets is answered by the script's next
 * reply and recorded.
 * @example
 * const s = await script([callTools([{ name: "search", arguments: { q: "x" } }]), say("Found it.", { chunks: 3 })]);
 * const model = modelFor(s.env, "main");   // MODEL = scripted/<id>
 * // … or, through the Worker with its own MODEL: put s.marker in the user's message.
 * expect(await s.requests()).toHaveLength(2);
 */

const testEnv = env as Env & { OPENAI_BASE_URL: string; OPENAI_CONTROL_URL: string; OPENAI_API_KEY: string };

export interface ScriptedToolCall {
  /** Default `call_<i>_<name>`. */
  id?: string;
  name: string;
  /** A string is sent verbatim (so invalid JSON can be scripted); anything else is JSON-encoded. */
  arguments: string | Record<string, unknown>;
  /** How the arguments are split into `delta.tool_calls` fragments: a count (default 3) or the exact pieces. */
  pieces?: number | string[];
}

export interface ScriptedError {
  message: string;
  type?: string;
  code?: string | null;
  param?: string | null;
}

/** One reply: what the model answers and how the server delivers it. */
export interface Reply {
  /** The text; an array gives the exact content chunks. */
  text?: string | string[];
  toolCalls?: ScriptedToolCall[];
  /** Parallel calls whose argument fragments alternate between the calls. */
  interleave?: boolean;
  /** Default "tool_calls" when there are calls, else "stop". */
  finishReason?: string;
  /** Default: ≈ 4 characters a token of the request's messages and of the reply; null sends no usage. */
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
  /** Between SSE chunks (slow streams, for cancel tests). */
  delayMs?: number;
  /** Before the response's headers. */
  firstByteDelayMs?: number;
  /** The connection is dropped after this many SSE chunks. */
  cutAfter?: number;
  /** An error chunk (`data: {"error":…}`) after this many SSE chunks, then the stream ends. */
  errorAfter?: number;
  /** An HTTP error before any streaming (with `error` as the body's `error`). */
  status?: number;
  headers?: Record<string, string>;
  error?: ScriptedError;
  /** This reply answers this many requests (a persistent error). */
  times?: number;
}

/** A request the server received, as it received it (the key is kept apart, in `authorization`). */
export interface RecordedRequest {
  n: number;
  at: number;
  path: string;
  authorization: string | null;
  headers: Record<string, string>;
  body: any;
  /** The HTTP status answered (200 for a stream, even one that later failed). */
  status: number;
  /** The client went away before the reply was fully sent (abort, eviction). */
  abandoned: boolean;
}

export interface Script {
  id: string;
  /** The model name that selects this script: `scripted/<id>`. */
  model: string;
  /** Selects this script from inside any message (for the Worker, whose MODEL is fixed). */
  marker: string;
  /** The test Worker's env with MODEL set to this script (OPENAI_BASE_URL and the key are already bound). */
  env: Env;
  requests(): Promise<RecordedRequest[]>;
  remaining(): Promise<number>;
}

export interface ScriptOptions {
  id?: string;
  /** A reply whose delivery the client abandoned answers the next request again (durability tests). */
  redeliverIncomplete?: boolean;
  /** A request with the same messages as an earlier one gets that one's reply (a call re-issued after a restart). */
  samePromptSameReply?: boolean;
}

export async function script(replies: Reply[], options: ScriptOptions = {}): Promise<Script> {
  const id = options.id ?? crypto.randomUUID();
  const response = await fetch(`${testEnv.OPENAI_CONTROL_URL}/scripts`, {
    method: "POST",
    body: JSON.stringify({ id, replies, redeliverIncomplete: options.redeliverIncomplete ?? false, samePromptSameReply: options.samePromptSameReply ?? false }),
  });
  if (!response.ok) throw new Error(`scripted server refused script ${id}: ${await response.text()}`);
  await response.body?.cancel();
  const state = async () => {
    const answer = await fetch(`${testEnv.OPENAI_CONTROL_URL}/scripts/${encodeURIComponent(id)}`);
    return (await answer.json()) as { requests: RecordedRequest[]; remaining: number };
  };
  return {
    id,
    model: `scripted/${id}`,
    marker: `[[script:${id}]]`,
    env: { ...testEnv, MODEL: `scripted/${id}` } as Env,
    requests: async () => (await state()).requests,
    remaining: async () => (await state()).remaining,
  };
}

/** The model streams `text`, split into `chunks` pieces (or exactly the pieces given). */
export function say(text: string, options: Omit<Reply, "text"> & { chunks?: number } = {}): Reply {
  const { chunks, ...rest } = options;
  return { text: chunks ? splitEvenly(text, chunks) : text, ...rest };
}

/** The model calls these tools (optionally after some text). */
export function callTools(toolCalls: ScriptedToolCall[], options: Omit<Reply, "toolCalls"> = {}): Reply {
  return { toolCalls, ...options };
}

/** An HTTP error before streaming: 429 with `retryAfter` seconds, a 500 that persists with `times`, … */
export function fail(status: number, options: { retryAfter?: string; retryAfterMs?: number; message?: string; times?: number } = {}): Reply {
  const headers: Record<string, string> = {};
  if (options.retryAfter !== undefined) headers["Retry-After"] = options.retryAfter;
  if (options.retryAfterMs !== undefined) headers["retry-after-ms"] = String(options.retryAfterMs);
  return {
    status,
    headers,
    error: { message: options.message ?? `scripted ${status}`, type: status === 429 ? "rate_limit_exceeded" : "server_error", code: null },
    ...(options.times ? { times: options.times } : {}),
  };
}

/** A structured-output answer: the JSON text of `value` (for `response_format: json_schema` calls). */
export function structured(value: unknown, options: Omit<Reply, "text"> = {}): Reply {
  return { text: JSON.stringify(value), ...options };
}

function splitEvenly(text: string, pieces: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / pieces));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

import { exports } from "cloudflare:workers";
import type { Message, Part } from "../../schema/a2a";
import { credentialHeaders, type Credential } from "./auth";

export type { Credential };

export const ORIGIN = "https://agent.test";
export const JSONRPC_URL = `${ORIGIN}/a2a/jsonrpc`;
export const REST_URL = `${ORIGIN}/a2a/rest`;
const V1 = { "A2A-Version": "1.0" };

/**
 * The Worker under test, called in-process through the real workerd. Requests carry the default caller's token
 * unless they already name credentials or `as` says otherwise ("none" sends nothing).
 */
export async function worker(input: string | Request, init?: RequestInit, as: Credential = "default"): Promise<Response> {
  const request = new Request(input, init);
  if (!request.headers.has("Authorization") && !request.headers.has("X-API-Key")) {
    for (const [name, value] of Object.entries(await credentialHeaders(as))) request.headers.set(name, value);
  }
  return exports.default.fetch(request);
}

export function makeMessage(overrides: Partial<Message> = {}, text = "hello"): Message {
  return { messageId: `m-${crypto.randomUUID()}`, role: "ROLE_USER", parts: [{ text }] satisfies Part[], ...overrides };
}

let nextId = 1;

/** One JSON-RPC call; returns the parsed envelope and the HTTP response. */
export async function rpc(method: string, params?: unknown, headers: Record<string, string> = {}, as?: Credential) {
  const id = nextId++;
  const response = await worker(
    JSONRPC_URL,
    {
      method: "POST",
      headers: { "Content-Type": "application/json", ...V1, ...headers },
      body: JSON.stringify({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) }),
    },
    as,
  );
  const body = (await response.json()) as { id: unknown; result?: any; error?: { code: number; message: string; data: any[] } };
  return { response, body, id };
}

/** One REST call relative to the HTTP+JSON interface URL. */
export async function rest(verb: string, path: string, body?: unknown, headers: Record<string, string> = {}, as?: Credential) {
  const response = await worker(
    `${REST_URL}${path}`,
    {
      method: verb,
      headers: { ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...V1, ...headers },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    },
    as,
  );
  const text = await response.text();
  return { response, status: response.status, body: text ? (JSON.parse(text) as any) : undefined };
}

/** The ErrorInfo `reason` of a JSON-RPC error or a REST error body. */
export function reasonOf(details: any[] | undefined): string | undefined {
  return details?.find((d) => d["@type"] === "type.googleapis.com/google.rpc.ErrorInfo")?.reason;
}

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

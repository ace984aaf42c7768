import { describe, expect, it } from "vitest";
import { eventually, JSONRPC_URL, makeMessage, REST_URL, rpc, worker } from "./helpers/a2a";
import { BAD_REQUEST_TYPE, jsonRpcErrorViolations, restErrorViolations, validateWireStrict } from "./helpers/wire-schema";

/**
 * Malformed and hostile input across both bindings. Every case asserts: no 5xx, a JSON body of the documented
 * error shape (REFERENCE §8), a Content-Type containing application/json, and the expected JSON-RPC code or
 * REST status with its ErrorInfo reason (schema/a2a/errors.ts).
 */

const V1 = { "A2A-Version": "1.0" };
const JSON_CT = { "Content-Type": "application/json" };
const MAX_BODY = 1024 * 1024;
const uid = () => crypto.randomUUID();

type Binding = "jsonrpc" | "rest";

interface Expected {
  /** HTTP status; JSON-RPC errors ride on 200 unless the body was never read (413, 415) or the verb was wrong (405). */
  status: number;
  /** JSON-RPC `error.code` (one of, when several are acceptable). */
  code?: number | number[];
  /** ErrorInfo reason (one of, when several are acceptable). */
  reason: string | string[];
  /** A BadRequest field violation whose field is this path or lies under it. */
  field?: string;
  /** The `Allow` header of a 405. */
  allow?: string;
}

interface Case {
  name: string;
  binding: Binding;
  send: () => Promise<Response>;
  expected: Expected;
  /** The JSON-RPC id the error must echo (`null` when the request could not be read). */
  id?: string | number | null;
  /** More to check once the answer is in. */
  after?: () => Promise<void>;
}

// ----------------------------------------------------------------------------------------------------------------
// Raw requests: nothing here goes through JSON.stringify of a well-formed envelope unless the case wants it.
// ----------------------------------------------------------------------------------------------------------------

const postRpc = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  worker(JSONRPC_URL, { method: "POST", headers: { ...JSON_CT, ...V1, ...headers }, body });

const restRaw = (method: string, path: string, body?: BodyInit | null, headers: Record<string, string> = {}) =>
  worker(`${REST_URL}${path}`, {
    method,
    headers: { ...(body === undefined || body === null ? {} : JSON_CT), ...V1, ...headers },
    ...(body === undefined || body === null ? {} : { body }),
  });

let nextId = 1;
/** A JSON-RPC case whose envelope is well-formed; the error must echo its id. */
function rpcCase(name: string, method: string, params: unknown, expected: Expected, headers: Record<string, string> = {}): Case {
  const id = `malformed-${nextId++}`;
  return {
    name,
    binding: "jsonrpc",
    id,
    expected,
    send: () => postRpc(JSON.stringify({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) }), headers),
  };
}

/**
 * A request body written in 64 KiB chunks with no Content-Length, so the size limit must be enforced while reading.
 * `written` resolves with how much was written, and whether the server stopped the upload before its end.
 */
function upload(totalBytes: number): { body: ReadableStream; written: Promise<{ bytes: number; stopped: boolean }> } {
  const { readable, writable } = new IdentityTransformStream();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  const chunk = encoder.encode("a".repeat(64 * 1024));
  const written = (async () => {
    let bytes = 0;
    try {
      await writer.write(encoder.encode('{"x":"'));
      for (; bytes < totalBytes; bytes += chunk.byteLength) await writer.write(chunk);
      await writer.write(encoder.encode('"}'));
      await writer.close();
      return { bytes, stopped: false };
    } catch {
      return { bytes, stopped: true };
    }
  })();
  return { body: readable, written };
}

/**
 * An oversized streamed body: 413 while it is still arriving, and the upload cut off there rather than read to
 * its end. workerd reports each cut-off upload on stderr ("read end of pipe was aborted"): that line is this.
 */
function streamedCase(name: string, binding: Binding, url: string, totalBytes: number, headers: Record<string, string> = {}): Case {
  let sent: ReturnType<typeof upload> | undefined;
  return {
    name,
    binding,
    expected: TOO_LARGE[binding === "jsonrpc" ? 0 : 1]!,
    ...(binding === "jsonrpc" ? { id: null } : {}),
    send: () => {
      sent = upload(totalBytes);
      return worker(url, { method: "POST", headers: { ...JSON_CT, ...V1, ...headers }, body: sent.body, duplex: "half" } as RequestInit);
    },
    after: async () => {
      const { bytes, stopped } = await sent!.written;
      expect(stopped, "the upload is stopped").toBe(true);
      expect(bytes).toBeLessThan(totalBytes);
    },
  };
}

// ----------------------------------------------------------------------------------------------------------------
// Expectations
// ----------------------------------------------------------------------------------------------------------------

const INVALID_PARAMS = (field?: string): Expected[] => [
  { status: 200, code: -32602, reason: "INVALID_PARAMS", ...(field ? { field } : {}) },
  { status: 400, reason: "INVALID_PARAMS", ...(field ? { field } : {}) },
];
const PARSE_ERROR: Expected[] = [
  { status: 200, code: -32700, reason: "PARSE_ERROR" },
  { status: 400, reason: "PARSE_ERROR" },
];
const TOO_LARGE: Expected[] = [
  { status: 413, code: -32600, reason: "PAYLOAD_TOO_LARGE" },
  { status: 413, reason: "PAYLOAD_TOO_LARGE" },
];
const VERSION: Expected[] = [
  { status: 200, code: -32009, reason: "VERSION_NOT_SUPPORTED" },
  { status: 400, reason: "VERSION_NOT_SUPPORTED" },
];
/** Deep nesting may be refused as a parse error or as invalid params, but never as an internal error. */
const TOO_DEEP: Expected[] = [
  { status: 200, code: [-32602, -32700, -32600], reason: ["INVALID_PARAMS", "PARSE_ERROR", "INVALID_REQUEST"] },
  { status: 400, reason: ["INVALID_PARAMS", "PARSE_ERROR", "INVALID_REQUEST"] },
];

/**
 * The same SendMessageRequest sent through both bindings: as JSON-RPC `SendMessage` params and as the REST
 * `POST /message:send` body. `json` is the request's JSON text (built as text so nesting too deep for
 * JSON.stringify can be sent).
 */
function sendBoth(name: string, json: () => string, [rpcExpected, restExpected]: Expected[]): Case[] {
  const id = `malformed-${nextId++}`;
  return [
    { name, binding: "jsonrpc", id, expected: rpcExpected!, send: () => postRpc(`{"jsonrpc":"2.0","id":"${id}","method":"SendMessage","params":${json()}}`) },
    { name, binding: "rest", expected: restExpected!, send: () => restRaw("POST", "/message:send", json()) },
  ];
}

/** The same raw body (bytes or text) sent to both endpoints: the JSON-RPC endpoint and REST `POST /message:send`. */
function rawBoth(name: string, body: () => BodyInit, [rpcExpected, restExpected]: Expected[], headers: Record<string, string> = {}): Case[] {
  return [
    { name, binding: "jsonrpc", id: null, expected: rpcExpected!, send: () => postRpc(body(), headers) },
    { name, binding: "rest", expected: restExpected!, send: () => restRaw("POST", "/message:send", body(), headers) },
  ];
}

/** A valid SendMessageRequest, mutated. */
const request = (mutate: (r: any) => void = () => {}) => () => {
  const r: any = { message: makeMessage(), configuration: { historyLength: 2 }, metadata: { k: "v" } };
  mutate(r);
  return r;
};
/** The same, as JSON text. */
const requestJson = (mutate: (r: any) => void = () => {}) => () => JSON.stringify(request(mutate)());

/** A page token encoded the way the server encodes its own (base64url, no padding), around any JSON. */
const token = (value: unknown) => btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

const deep = (depth: number, leaf = "0") => "[".repeat(depth) + leaf + "]".repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + "0" + "}".repeat(depth);

// ----------------------------------------------------------------------------------------------------------------
// The table
// ----------------------------------------------------------------------------------------------------------------

/** Wrong types for every field of SendMessageRequest (and its Message, Part and SendMessageConfiguration). */
const WRONG_TYPES: Array<[string, (r: any) => void, string]> = [
  ["tenant is a number", (r) => (r.tenant = 5), "tenant"],
  ["tenant is longer than 128 characters", (r) => (r.tenant = "t".repeat(129)), "tenant"],
  ["message is a string", (r) => (r.message = "hello"), "message"],
  ["message is null", (r) => (r.message = null), "message"],
  ["message is an array", (r) => (r.message = [makeMessage()]), "message"],
  ["message.messageId is a number", (r) => (r.message.messageId = 5), "message.messageId"],
  ["message.messageId is empty", (r) => (r.message.messageId = ""), "message.messageId"],
  ["message.messageId is an object", (r) => (r.message.messageId = { id: "x" }), "message.messageId"],
  ["message.contextId is a number", (r) => (r.message.contextId = 5), "message.contextId"],
  ["message.taskId is a boolean", (r) => (r.message.taskId = true), "message.taskId"],
  ["message.role is the v0.3 'user'", (r) => (r.message.role = "user"), "message.role"],
  ["message.role is ROLE_UNSPECIFIED", (r) => (r.message.role = "ROLE_UNSPECIFIED"), "message.role"],
  ["message.role is 0", (r) => (r.message.role = 0), "message.role"],
  ["message.role is 7", (r) => (r.message.role = 7), "message.role"],
  ["message.role is an object", (r) => (r.message.role = {}), "message.role"],
  ["message.parts is a string", (r) => (r.message.parts = "hello"), "message.parts"],
  ["message.parts is an object", (r) => (r.message.parts = { text: "hello" }), "message.parts"],
  ["message.parts holds null", (r) => (r.message.parts = [null]), "message.parts.0"],
  ["message.parts holds a number", (r) => (r.message.parts = [5]), "message.parts.0"],
  ["part.text is a number", (r) => (r.message.parts = [{ text: 5 }]), "message.parts.0"],
  ["part.text is null", (r) => (r.message.parts = [{ text: null }]), "message.parts.0"],
  ["part.raw is a number", (r) => (r.message.parts = [{ raw: 5 }]), "message.parts.0"],
  ["part.url is a number", (r) => (r.message.parts = [{ url: 5 }]), "message.parts.0"],
  ["part.url is empty", (r) => (r.message.parts = [{ url: "" }]), "message.parts.0"],
  ["part.metadata is a string", (r) => (r.message.parts = [{ text: "x", metadata: "m" }]), "message.parts.0"],
  ["part.metadata is an array", (r) => (r.message.parts = [{ text: "x", metadata: [1] }]), "message.parts.0"],
  ["part.filename is a number", (r) => (r.message.parts = [{ text: "x", filename: 5 }]), "message.parts.0"],
  ["part.mediaType is a number", (r) => (r.message.parts = [{ text: "x", mediaType: 5 }]), "message.parts.0"],
  ["message.metadata is a string", (r) => (r.message.metadata = "m"), "message.metadata"],
  ["message.metadata is an array", (r) => (r.message.metadata = []), "message.metadata"],
  ["message.extensions is a string", (r) => (r.message.extensions = "urn:x"), "message.extensions"],
  ["message.extensions holds a number", (r) => (r.message.extensions = [5]), "message.extensions"],
  ["message.referenceTaskIds is a string", (r) => (r.message.referenceTaskIds = "t"), "message.referenceTaskIds"],
  ["message.referenceTaskIds holds a number", (r) => (r.message.referenceTaskIds = [5]), "message.referenceTaskIds"],
  ["configuration is a string", (r) => (r.configuration = "c"), "configuration"],
  ["configuration is an array", (r) => (r.configuration = []), "configuration"],
  ["configuration.acceptedOutputModes is a string", (r) => (r.configuration.acceptedOutputModes = "text/plain"), "configuration.acceptedOutputModes"],
  ["configuration.acceptedOutputModes holds a number", (r) => (r.configuration.acceptedOutputModes = [5]), "configuration.acceptedOutputModes"],
  ["configuration.historyLength is 'abc'", (r) => (r.configuration.historyLength = "abc"), "configuration.historyLength"],
  ["configuration.historyLength is -1", (r) => (r.configuration.historyLength = -1), "configuration.historyLength"],
  ["configuration.historyLength is 1.5", (r) => (r.configuration.historyLength = 1.5), "configuration.historyLength"],
  ["configuration.historyLength is 2^31", (r) => (r.configuration.historyLength = 2 ** 31), "configuration.historyLength"],
  ["configuration.historyLength is 1e308", (r) => (r.configuration.historyLength = 1e308), "configuration.historyLength"],
  ["configuration.historyLength is true", (r) => (r.configuration.historyLength = true), "configuration.historyLength"],
  ["configuration.returnImmediately is 'true'", (r) => (r.configuration.returnImmediately = "true"), "configuration.returnImmediately"],
  ["configuration.returnImmediately is 1", (r) => (r.configuration.returnImmediately = 1), "configuration.returnImmediately"],
  ["configuration.taskPushNotificationConfig is a string", (r) => (r.configuration.taskPushNotificationConfig = "https://x"), "configuration.taskPushNotificationConfig"],
  ["configuration.taskPushNotificationConfig has no url", (r) => (r.configuration.taskPushNotificationConfig = { token: "t" }), "configuration.taskPushNotificationConfig"],
  ["metadata is a string", (r) => (r.metadata = "m"), "metadata"],
  ["metadata is a number", (r) => (r.metadata = 5), "metadata"],
  ["metadata is an array", (r) => (r.metadata = [{ k: "v" }]), "metadata"],
];

const MISSING: Array<[string, (r: any) => void, string]> = [
  ["no message", (r) => delete r.message, "message"],
  ["no message.messageId", (r) => delete r.message.messageId, "message.messageId"],
  ["no message.role", (r) => delete r.message.role, "message.role"],
  ["no message.parts", (r) => delete r.message.parts, "message.parts"],
  ["empty message.parts", (r) => (r.message.parts = []), "message.parts"],
];

const BAD_PARTS: Array<[string, unknown[], string]> = [
  ["a part with no content member", [{}], "message.parts.0"],
  ["a part with only mediaType and filename", [{ mediaType: "text/plain", filename: "a.txt" }], "message.parts.0"],
  ["a part with text and data", [{ text: "a", data: { k: 1 } }], "message.parts.0"],
  ["a part with text and raw", [{ text: "a", raw: "dGNr" }], "message.parts.0"],
  ["a part with url and raw", [{ url: "https://example.com/a", raw: "dGNr" }], "message.parts.0"],
  ["a part with all four members", [{ text: "a", raw: "dGNr", url: "https://example.com/a", data: 1 }], "message.parts.0"],
  ["a valid part followed by an empty one", [{ text: "ok" }, {}], "message.parts.1"],
  ["a v0.3 text part", [{ kind: "text", content: "hi" }], "message.parts.0"],
  ["a v0.3 file part", [{ kind: "file", file: { bytes: "dGNr", mimeType: "text/plain" } }], "message.parts.0"],
  ["raw that is not base64", [{ raw: "not base64!!", mediaType: "text/plain" }], "message.parts.0.raw"],
  ["raw with a newline", [{ raw: "dGNr\ndGNr", mediaType: "text/plain" }], "message.parts.0.raw"],
  ["raw with non-ASCII", [{ raw: "dGNr€", mediaType: "text/plain" }], "message.parts.0.raw"],
  ["raw with padding in the middle", [{ raw: "dG==Nr", mediaType: "text/plain" }], "message.parts.0.raw"],
];

const CASES: Case[] = [
  // --- Unreadable bodies -----------------------------------------------------------------------------------------
  ...rawBoth("bad JSON", () => "{not json", PARSE_ERROR),
  ...rawBoth("truncated JSON", () => JSON.stringify({ jsonrpc: "2.0", id: 1, method: "SendMessage", params: { message: makeMessage() } }).slice(0, -7), PARSE_ERROR),
  ...rawBoth("a trailing comma", () => '{"message":{"messageId":"m","role":"ROLE_USER","parts":[{"text":"x"}],},}', PARSE_ERROR),
  ...rawBoth("single-quoted JSON", () => "{'jsonrpc':'2.0'}", PARSE_ERROR),
  ...rawBoth("two JSON documents", () => '{"a":1}{"b":2}', PARSE_ERROR),
  ...rawBoth(
    "non-UTF-8 bytes inside a string",
    () => new Uint8Array([...new TextEncoder().encode('{"jsonrpc":"2.0","id":1,"method":"SendMessage","params":{"message":{"text":"'), 0xff, 0xfe, 0xc3, ...new TextEncoder().encode('"}}}')]),
    PARSE_ERROR,
  ),
  ...rawBoth("an overlong UTF-8 encoding of '/'", () => new Uint8Array([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d]), PARSE_ERROR),
  ...rawBoth("a UTF-16 body", () => new Uint8Array([...'{"a":1}'].flatMap((c) => [c.charCodeAt(0), 0])), PARSE_ERROR),
  ...rawBoth("NUL bytes", () => new Uint8Array([0, 0, 0, 0]), PARSE_ERROR),

  // --- Well-formed JSON that is not a request ------------------------------------------------------------------
  { name: "an empty body", binding: "jsonrpc", id: null, expected: { status: 200, code: -32600, reason: "INVALID_REQUEST" }, send: () => postRpc("") },
  { name: "a whitespace body", binding: "jsonrpc", id: null, expected: { status: 200, code: -32600, reason: "INVALID_REQUEST" }, send: () => postRpc(" \n\t ") },
  { name: "JSON null", binding: "jsonrpc", id: null, expected: { status: 200, code: -32600, reason: "INVALID_REQUEST" }, send: () => postRpc("null") },
  { name: "a JSON number", binding: "jsonrpc", id: null, expected: { status: 200, code: -32600, reason: "INVALID_REQUEST" }, send: () => postRpc("42") },
  { name: "a JSON string", binding: "jsonrpc", id: null, expected: { status: 200, code: -32600, reason: "INVALID_REQUEST" }, send: () => postRpc('"SendMessage"') },
  { name: "an empty batch", binding: "jsonrpc", id: null, expected: { status: 200, code: -32600, reason: "INVALID_REQUEST" }, send: () => postRpc("[]") },
  {
    name: "a batch of 101 calls",
    binding: "jsonrpc",
    id: null,
    expected: { status: 200, code: -32600, reason: "INVALID_REQUEST" },
    send: () => postRpc(JSON.stringify(Array.from({ length: 101 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "GetTask", params: { id: "x" } })))),
  },
  { name: "an empty body", binding: "rest", expected: INVALID_PARAMS("message")[1]!, send: () => restRaw("POST", "/message:send", "") },
  { name: "JSON null", binding: "rest", expected: INVALID_PARAMS()[1]!, send: () => restRaw("POST", "/message:send", "null") },
  { name: "a JSON array", binding: "rest", expected: INVALID_PARAMS()[1]!, send: () => restRaw("POST", "/message:send", JSON.stringify([request()()])) },
  { name: "a JSON string", binding: "rest", expected: INVALID_PARAMS()[1]!, send: () => restRaw("POST", "/message:send", '"hello"') },
  { name: "cancel with an array body", binding: "rest", expected: INVALID_PARAMS()[1]!, send: () => restRaw("POST", `/tasks/${uid()}:cancel`, "[]") },
  { name: "cancel with metadata that is a string", binding: "rest", expected: INVALID_PARAMS("metadata")[1]!, send: () => restRaw("POST", `/tasks/${uid()}:cancel`, '{"metadata":"m"}') },

  // --- The JSON-RPC envelope -------------------------------------------------------------------------------------
  ...(
    [
      // The id is readable, so the error echoes it (JSON-RPC 2.0 §5: null only when it cannot be determined).
      ["no jsonrpc member", { id: 1, method: "GetTask", params: { id: "x" } }, 1],
      ["jsonrpc 2.0 as a number", { jsonrpc: 2.0, id: 1, method: "GetTask", params: { id: "x" } }, 1],
      ["jsonrpc 1.0", { jsonrpc: "1.0", id: "v1", method: "GetTask" }, "v1"],
      ["no method", { jsonrpc: "2.0", id: 1 }, 1],
      ["an empty method", { jsonrpc: "2.0", id: 1, method: "" }, 1],
      ["method is a number", { jsonrpc: "2.0", id: 1, method: 5 }, 1],
      ["method is null", { jsonrpc: "2.0", id: 1, method: null }, 1],
      ["id is an object", { jsonrpc: "2.0", id: { a: 1 }, method: "GetTask" }, null],
      ["id is an array", { jsonrpc: "2.0", id: [1], method: "GetTask" }, null],
      ["id is a boolean", { jsonrpc: "2.0", id: true, method: "GetTask" }, null],
    ] as const
  ).map(([name, body, id]): Case => ({ name, binding: "jsonrpc", id, expected: { status: 200, code: -32600, reason: "INVALID_REQUEST" }, send: () => postRpc(JSON.stringify(body)) })),
  rpcCase("params is an array", "GetTask", ["x"], INVALID_PARAMS()[0]!),
  rpcCase("params is a string", "GetTask", "x", INVALID_PARAMS()[0]!),
  rpcCase("params is a number", "GetTask", 5, INVALID_PARAMS()[0]!),
  rpcCase("params is null", "GetTask", null, INVALID_PARAMS()[0]!),
  rpcCase("no params for SendMessage", "SendMessage", undefined, INVALID_PARAMS("message")[0]!),
  rpcCase("no params for GetTask", "GetTask", undefined, INVALID_PARAMS("id")[0]!),
  rpcCase("no id for CancelTask", "CancelTask", {}, INVALID_PARAMS("id")[0]!),
  rpcCase("an unknown method", "tasks/send", {}, { status: 200, code: -32601, reason: "METHOD_NOT_FOUND" }),
  rpcCase("a method name 100 000 characters long", "M".repeat(100_000), {}, { status: 200, code: -32601, reason: "METHOD_NOT_FOUND" }),
  rpcCase("a lower-cased method name", "sendMessage", { message: makeMessage() }, { status: 200, code: -32601, reason: "METHOD_NOT_FOUND" }),
  rpcCase("an inherited property as the method", "constructor", {}, { status: 200, code: -32601, reason: "METHOD_NOT_FOUND" }),
  rpcCase("__proto__ as the method", "__proto__", {}, { status: 200, code: -32601, reason: "METHOD_NOT_FOUND" }),

  // --- Wrong types, missing fields, malformed parts: SendMessageRequest through both bindings ---------------------
  ...WRONG_TYPES.flatMap(([name, mutate, field]) => sendBoth(name, requestJson(mutate), INVALID_PARAMS(field))),
  ...MISSING.flatMap(([name, mutate, field]) => sendBoth(name, requestJson(mutate), INVALID_PARAMS(field))),
  ...BAD_PARTS.flatMap(([name, parts, field]) => sendBoth(name, requestJson((r) => (r.message.parts = parts)), INVALID_PARAMS(field))),
  ...sendBoth("a message from ROLE_AGENT", requestJson((r) => (r.message.role = "ROLE_AGENT")), INVALID_PARAMS("message.role")),

  // --- Very long ids, ids with '/', control characters ----------------------------------------------------------
  ...sendBoth("a messageId of 257 characters", requestJson((r) => (r.message.messageId = "m".repeat(257))), INVALID_PARAMS("message.messageId")),
  ...sendBoth("a messageId of 200 000 characters", requestJson((r) => (r.message.messageId = "m".repeat(200_000))), INVALID_PARAMS("message.messageId")),
  ...sendBoth("a taskId of 257 characters", requestJson((r) => (r.message.taskId = "t".repeat(257))), INVALID_PARAMS("message.taskId")),
  ...sendBoth("a contextId of 257 characters", requestJson((r) => (r.message.contextId = "c".repeat(257))), INVALID_PARAMS("message.contextId")),
  ...sendBoth("a messageId with '/'", requestJson((r) => (r.message.messageId = "../../etc/passwd")), INVALID_PARAMS("message.messageId")),
  ...sendBoth("a taskId with '/'", requestJson((r) => (r.message.taskId = "a/b")), INVALID_PARAMS("message.taskId")),
  ...sendBoth("a messageId with a NUL", requestJson((r) => (r.message.messageId = "m\u0000")), INVALID_PARAMS("message.messageId")),
  // Proto strings are UTF-8; a lone surrogate has no UTF-8 form, so it is refused where it stands.
  ...sendBoth("a text part with a lone surrogate", requestJson((r) => (r.message.parts[0].text = "a\ud800b")), INVALID_PARAMS("message.parts.0.text")),
  ...sendBoth("a metadata key with a lone surrogate", requestJson((r) => (r.metadata = { "k\udc00": 1 })), INVALID_PARAMS("metadata")),
  ...sendBoth("a messageId with a newline", requestJson((r) => (r.message.messageId = "m\nX-Injected: 1")), INVALID_PARAMS("message.messageId")),
  rpcCase("GetTask with an id of 10 000 characters", "GetTask", { id: "x".repeat(10_000) }, INVALID_PARAMS("id")[0]!),
  rpcCase("GetTask with an id containing '/'", "GetTask", { id: "a/b" }, INVALID_PARAMS("id")[0]!),
  rpcCase("GetTask with an empty id", "GetTask", { id: "" }, INVALID_PARAMS("id")[0]!),
  rpcCase("GetTask with a numeric id", "GetTask", { id: 5 }, INVALID_PARAMS("id")[0]!),
  rpcCase("CancelTask with an id containing '/'", "CancelTask", { id: "../x" }, INVALID_PARAMS("id")[0]!),
  { name: "GET /tasks/{id} with an id of 300 characters", binding: "rest", expected: INVALID_PARAMS("id")[1]!, send: () => restRaw("GET", `/tasks/${"x".repeat(300)}`) },
  // A URL past MAX_URL_LENGTH (8 KiB) is refused before any route or parameter is looked at.
  { name: "GET /tasks/{id} with an id of 10 000 characters", binding: "rest", expected: { status: 414, reason: "URI_TOO_LONG" }, send: () => restRaw("GET", `/tasks/${"x".repeat(10_000)}`) },
  { name: "GET /tasks/{id} with an encoded '/' in the id", binding: "rest", expected: INVALID_PARAMS("id")[1]!, send: () => restRaw("GET", "/tasks/a%2Fb") },
  { name: "GET /tasks/{id} with an encoded NUL in the id", binding: "rest", expected: INVALID_PARAMS("id")[1]!, send: () => restRaw("GET", "/tasks/a%00b") },
  { name: "POST /tasks/{id}:cancel with an encoded '/' in the id", binding: "rest", expected: INVALID_PARAMS("id")[1]!, send: () => restRaw("POST", "/tasks/..%2F..%2Fx:cancel", "{}") },
  { name: "GET /tasks/%25 (an id that is '%')", binding: "rest", expected: { status: 404, reason: "TASK_NOT_FOUND" }, send: () => restRaw("GET", "/tasks/%25") },
  { name: "GET /tasks/a%3Ab (an encoded ':' in the id)", binding: "rest", expected: { status: 404, reason: "TASK_NOT_FOUND" }, send: () => restRaw("GET", "/tasks/a%3Ab") },

  // --- Percent-encoding garbage in REST paths -------------------------------------------------------------------
  ...["/tasks/%E0%A4%A", "/tasks/%", "/tasks/%ZZ", "/tasks/%C0%AF", "/tasks/%ED%A0%80", "/tasks/%FF:cancel"].map(
    (path): Case => ({
      name: `percent garbage: ${path}`,
      binding: "rest",
      expected: { status: 400, reason: "INVALID_PARAMS" },
      send: () => restRaw(path.endsWith(":cancel") ? "POST" : "GET", path, path.endsWith(":cancel") ? "{}" : undefined),
    }),
  ),
  { name: "percent garbage in the tenant: /%E0%A4%A/tasks", binding: "rest", expected: { status: 400, reason: "INVALID_PARAMS" }, send: () => restRaw("GET", "/%E0%A4%A/tasks") },

  // --- Tenants from the REST path get the same checks as the `tenant` field -------------------------------------
  { name: "a path tenant longer than 128 characters", binding: "rest", expected: INVALID_PARAMS("tenant")[1]!, send: () => restRaw("GET", `/${"t".repeat(129)}/tasks`) },
  { name: "a path tenant with an encoded NUL (ListTasks)", binding: "rest", expected: INVALID_PARAMS("tenant")[1]!, send: () => restRaw("GET", "/a%00b/tasks") },
  rpcCase("a tenant with a NUL (ListTasks)", "ListTasks", { tenant: "a\u0000b" }, INVALID_PARAMS("tenant")[0]!),
  {
    name: "path tenant and body tenant differ",
    binding: "rest",
    expected: INVALID_PARAMS("tenant")[1]!,
    send: () => restRaw("POST", "/tenant-a/message:send", JSON.stringify({ tenant: "tenant-b", message: makeMessage() })),
  },

  // --- Unknown REST routes ----------------------------------------------------------------------------------------
  ...["", "/", "/nope", "/message", "/message:sendd", "/message:send/extra", "/tasks/x/y/z", "/tasks/x:frobnicate", "/tasks/a:b", "/t1/t2/tasks", "/extendedAgentCard/x", "/.well-known/agent-card.json"].map(
    (path): Case => ({ name: `unknown route GET ${path || "(interface root)"}`, binding: "rest", expected: { status: 404, reason: "ROUTE_NOT_FOUND" }, send: () => restRaw("GET", path) }),
  ),
  {
    name: "a path outside both interfaces",
    binding: "rest",
    expected: { status: 404, reason: "ROUTE_NOT_FOUND" },
    send: () => worker("https://agent.test/a2a/nope", { headers: V1 }),
  },

  // --- Wrong HTTP verbs: 405 with Allow ---------------------------------------------------------------------------
  ...(
    [
      ["GET", "/message:send", "POST"],
      ["PUT", "/message:send", "POST"],
      ["GET", "/message:stream", "POST"],
      ["POST", "/tasks", "GET"],
      ["DELETE", "/tasks", "GET"],
      ["POST", "/tasks/x", "GET"],
      ["DELETE", "/tasks/x", "GET"],
      ["PATCH", "/tasks/x", "GET"],
      ["GET", "/tasks/x:cancel", "POST"],
      ["DELETE", "/tasks/x:subscribe", "POST, GET"],
      ["PUT", "/tasks/x/pushNotificationConfigs", "POST, GET"],
      ["POST", "/tasks/x/pushNotificationConfigs/c", "GET, DELETE"],
      ["POST", "/extendedAgentCard", "GET"],
      ["GET", "/tenant-1/message:send", "POST"],
      ["DELETE", "/tenant-1/tasks/x", "GET"],
    ] as const
  ).map(
    ([verb, path, allow]): Case => ({
      name: `${verb} ${path} → 405`,
      binding: "rest",
      expected: { status: 405, reason: "METHOD_NOT_ALLOWED", allow },
      send: () => restRaw(verb, path, verb === "GET" || verb === "DELETE" ? undefined : "{}"),
    }),
  ),
  ...(["GET", "PUT", "DELETE", "PATCH"] as const).map(
    (verb): Case => ({
      name: `${verb} on the JSON-RPC endpoint → 405`,
      binding: "jsonrpc",
      id: null,
      expected: { status: 405, code: -32601, reason: "METHOD_NOT_ALLOWED", allow: "POST" },
      send: () => worker(JSONRPC_URL, { method: verb, headers: V1, ...(verb === "GET" || verb === "DELETE" ? {} : { body: "{}" }) }),
    }),
  ),

  // --- Content types ------------------------------------------------------------------------------------------------
  ...["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "text/json", "application/jsonp", "application/json-patch"].flatMap(
    (type): Case[] => [
      {
        name: `Content-Type ${type} on POST /message:send`,
        binding: "rest",
        expected: { status: 415, reason: "CONTENT_TYPE_NOT_SUPPORTED" },
        send: () => restRaw("POST", "/message:send", JSON.stringify(request()()), { "Content-Type": type }),
      },
      {
        name: `Content-Type ${type} on the JSON-RPC endpoint`,
        binding: "jsonrpc",
        id: null,
        expected: { status: 415, code: -32005, reason: "CONTENT_TYPE_NOT_SUPPORTED" },
        send: () => postRpc(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "SendMessage", params: request()() }), { "Content-Type": type }),
      },
    ],
  ),
  {
    name: "Content-Type text/plain on POST /tasks/{id}:cancel",
    binding: "rest",
    expected: { status: 415, reason: "CONTENT_TYPE_NOT_SUPPORTED" },
    send: () => restRaw("POST", `/tasks/${uid()}:cancel`, "{}", { "Content-Type": "text/plain" }),
  },

  // --- Huge and deeply nested bodies -------------------------------------------------------------------------------
  ...rawBoth("a body of 1 MiB + 1 byte (Content-Length known)", () => JSON.stringify({ pad: "a".repeat(MAX_BODY - 9) }), TOO_LARGE),
  ...rawBoth("a body of 5 MiB", () => JSON.stringify({ jsonrpc: "2.0", id: 1, method: "SendMessage", params: { message: makeMessage({}, "a".repeat(5 * MAX_BODY)) } }), TOO_LARGE),
  streamedCase("a 3 MiB body streamed without Content-Length", "jsonrpc", JSONRPC_URL, 3 * MAX_BODY),
  streamedCase("a 3 MiB body streamed without Content-Length", "rest", `${REST_URL}/message:send`, 3 * MAX_BODY),
  streamedCase("a lying Content-Length header", "rest", `${REST_URL}/message:send`, 2 * MAX_BODY, { "Content-Length": "10" }),
  ...rawBoth("an object nested 100 000 deep", () => deepObject(100_000), TOO_DEEP),
  // One rule for the whole request: nesting past MAX_JSON_DEPTH is refused even in a field that would be ignored.
  ...sendBoth("an unknown field nested 10 000 deep", () => `{"future":${deep(10_000)},"message":{"messageId":"m-${uid()}","role":"ROLE_USER","parts":[{"text":"x"}]}}`, TOO_DEEP),
  { name: "an array nested 100 000 deep", binding: "rest", expected: TOO_DEEP[1]!, send: () => restRaw("POST", "/message:send", deep(100_000)) },
  ...sendBoth("a data part nested 100 000 deep", () => `{"message":{"messageId":"m-${uid()}","role":"ROLE_USER","parts":[{"data":${deep(100_000)}}]}}`, TOO_DEEP),
  ...sendBoth("message metadata nested 100 000 deep", () => `{"message":{"messageId":"m-${uid()}","role":"ROLE_USER","parts":[{"text":"x"}],"metadata":{"a":${deep(100_000)}}}}`, TOO_DEEP),
  ...sendBoth("request metadata nested 50 000 deep", () => `{"message":{"messageId":"m-${uid()}","role":"ROLE_USER","parts":[{"text":"x"}]},"metadata":${deepObject(50_000)}}`, TOO_DEEP),
  {
    name: "CancelTask metadata nested 100 000 deep",
    binding: "jsonrpc",
    id: "deep-cancel",
    expected: { ...TOO_DEEP[0]!, code: [...(TOO_DEEP[0]!.code as number[]), -32001], reason: [...(TOO_DEEP[0]!.reason as string[]), "TASK_NOT_FOUND"] },
    send: () => postRpc(`{"jsonrpc":"2.0","id":"deep-cancel","method":"CancelTask","params":{"id":"${uid()}","metadata":{"a":${deep(100_000)}}}}`),
  },
  {
    name: "POST /tasks/{id}:cancel with metadata nested 100 000 deep",
    binding: "rest",
    // An unknown task may be reported as such instead.
    expected: { status: 400, reason: TOO_DEEP[1]!.reason },
    send: () => restRaw("POST", `/tasks/${uid()}:cancel`, `{"metadata":{"a":${deep(100_000)}}}`),
  },

  // --- Query parameters ---------------------------------------------------------------------------------------------
  ...(
    [
      ["pageSize=0", "pageSize"],
      ["pageSize=101", "pageSize"],
      ["pageSize=abc", "pageSize"],
      ["pageSize=1.5", "pageSize"],
      ["pageSize=", "pageSize"],
      ["pageSize=-5", "pageSize"],
      ["pageSize=99999999999999999999", "pageSize"],
      ["status=NOPE", "status"],
      ["status=completed", "status"],
      ["includeArtifacts=maybe", "includeArtifacts"],
      ["includeArtifacts=1", "includeArtifacts"],
      ["include_artifacts=yes", "includeArtifacts"],
      ["historyLength=-1", "historyLength"],
      ["historyLength=abc", "historyLength"],
      ["statusTimestampAfter=yesterday", "statusTimestampAfter"],
      ["contextId=a%2Fb", "contextId"],
      ["pageToken=garbage", "pageToken"],
      ["pageToken=%E2%9C%93", "pageToken"],
      [`pageToken=${"A".repeat(600)}`, "pageToken"],
      // A token that decodes to JSON of the right shape but with values no issued token has.
      [`pageToken=${token({ t: "1", id: "x" })}`, "pageToken"],
      [`pageToken=${token({ t: "2020-01-01T00:00:00Z", id: "\u0000" })}`, "pageToken"],
      [`pageToken=${token({ t: "2020-01-01T00:00:00Z", id: 5 })}`, "pageToken"],
      [`pageToken=${token([])}`, "pageToken"],
      [`pageToken=${token(null)}`, "pageToken"],
    ] as const
  ).map(
    ([query, field]): Case => ({ name: `GET /tasks?${query.slice(0, 60)}`, binding: "rest", expected: INVALID_PARAMS(field)[1]!, send: () => restRaw("GET", `/tasks?${query}`) }),
  ),
  { name: "GET /tasks/{id}?historyLength=-1", binding: "rest", expected: INVALID_PARAMS("historyLength")[1]!, send: () => restRaw("GET", `/tasks/${uid()}?historyLength=-1`) },
  { name: "GET /tasks/{id}?historyLength=abc", binding: "rest", expected: INVALID_PARAMS("historyLength")[1]!, send: () => restRaw("GET", `/tasks/${uid()}?historyLength=abc`) },
  ...(
    [
      [{ pageSize: 0 }, "pageSize"],
      [{ pageSize: 101 }, "pageSize"],
      [{ pageSize: "abc" }, "pageSize"],
      [{ pageSize: 1.5 }, "pageSize"],
      [{ status: "NOPE" }, "status"],
      [{ status: 9 }, "status"],
      [{ includeArtifacts: "maybe" }, "includeArtifacts"],
      [{ includeArtifacts: "true" }, "includeArtifacts"],
      [{ historyLength: -1 }, "historyLength"],
      [{ statusTimestampAfter: "yesterday" }, "statusTimestampAfter"],
      [{ statusTimestampAfter: 5 }, "statusTimestampAfter"],
      [{ contextId: 5 }, "contextId"],
      [{ pageToken: "garbage" }, "pageToken"],
      [{ pageToken: 5 }, "pageToken"],
      [{ pageToken: token({ t: "1", id: "x" }) }, "pageToken"],
    ] as const
  ).map(([params, field]) => rpcCase(`ListTasks ${JSON.stringify(params)}`, "ListTasks", params, INVALID_PARAMS(field)[0]!)),

  // --- Versions ------------------------------------------------------------------------------------------------------
  ...["99.0", "2.0", "abc", "1", "1.0.0.0", "0.2"].flatMap((version): Case[] => [
    // The body parsed, so the error echoes its id.
    rpcCase(`A2A-Version: ${version}`, "GetTask", { id: "x" }, VERSION[0]!, { "A2A-Version": version }),
    { name: `A2A-Version: ${version}`, binding: "rest", expected: VERSION[1]!, send: () => restRaw("GET", "/tasks/x", undefined, { "A2A-Version": version }) },
  ]),
  { name: "A2A-Version 99.0 as a query parameter", binding: "rest", expected: VERSION[1]!, send: () => worker(`${REST_URL}/tasks/x?A2A-Version=99.0`) },
  {
    name: "A2A-Version 99.0 on a POST with a bad body (version is checked first)",
    binding: "rest",
    expected: VERSION[1]!,
    send: () => restRaw("POST", "/message:send", "{not json", { "A2A-Version": "99.0" }),
  },
  {
    name: "A2A-Version 99.0 with a bad body (version is checked first)",
    binding: "jsonrpc",
    id: null,
    expected: VERSION[0]!,
    send: () => postRpc("{not json", { "A2A-Version": "99.0" }),
  },
];

// ----------------------------------------------------------------------------------------------------------------
// The checks every error case shares
// ----------------------------------------------------------------------------------------------------------------

const oneOf = <T,>(expected: T | readonly T[]) => (Array.isArray(expected) ? expected : [expected]) as T[];

async function expectDocumentedError(c: Case, response: Response) {
  const text = await response.text();
  const context = `${c.binding} "${c.name}": ${response.status} ${text.slice(0, 400)}`;
  expect(response.status, context).toBeLessThan(500);
  expect(response.status, context).toBe(c.expected.status);
  expect(response.headers.get("Content-Type"), context).toContain("application/json");
  let body: any;
  expect(() => (body = JSON.parse(text)), context).not.toThrow();
  let details: any[];
  if (c.binding === "jsonrpc") {
    expect(jsonRpcErrorViolations(body), context).toEqual([]);
    expect(oneOf(c.expected.code!), context).toContain(body.error.code);
    if (c.id !== undefined) expect(body.id, context).toBe(c.id);
    details = body.error.data;
  } else {
    expect(restErrorViolations(body, response.status), context).toEqual([]);
    details = body.error.details;
  }
  const info = details.find((d) => d["@type"] === "type.googleapis.com/google.rpc.ErrorInfo");
  expect(oneOf(c.expected.reason), context).toContain(info.reason);
  if (c.expected.field !== undefined) {
    const fields: string[] = details.find((d) => d["@type"] === BAD_REQUEST_TYPE)?.fieldViolations.map((v: any) => v.field) ?? [];
    const field = c.expected.field;
    expect(fields.some((f) => f === field || f.startsWith(`${field}.`)), `${context}\nfield violations ${JSON.stringify(fields)} should name ${field}`).toBe(true);
  }
  if (c.expected.allow !== undefined) {
    const verbs = (header: string | null) => (header ?? "").split(",").map((v) => v.trim()).filter(Boolean).sort();
    expect(verbs(response.headers.get("Allow")), context).toEqual(verbs(c.expected.allow));
  }
  // Error messages echo at most a bounded slice of the input.
  expect(text.length, context).toBeLessThan(8 * 1024);
}

describe.each(["jsonrpc", "rest"] as const)("%s: malformed and hostile input gets a documented 4xx error", (binding) => {
  it.each(CASES.filter((c) => c.binding === binding).map((c) => [c.name, c] as const))("%s", async (_, c) => {
    await expectDocumentedError(c, await c.send());
    await c.after?.();
  });
});

describe("a JSON-RPC batch of junk answers each entry with a well-formed -32600", () => {
  it("[1, \"x\", null, {}, []]", async () => {
    const response = await postRpc('[1, "x", null, {}, []]');
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("application/json");
    const body = (await response.json()) as unknown[];
    expect(body).toHaveLength(5);
    for (const entry of body) {
      expect(jsonRpcErrorViolations(entry)).toEqual([]);
      expect(entry).toMatchObject({ id: null, error: { code: -32600 } });
    }
  });

  it("a batch mixing a valid call with malformed ones answers the valid one", async () => {
    const message = makeMessage();
    const response = await postRpc(
      JSON.stringify([
        { jsonrpc: "2.0", id: "ok", method: "SendMessage", params: { message } },
        { jsonrpc: "2.0", id: "bad-params", method: "SendMessage", params: { message: { ...message, role: "user" } } },
        { jsonrpc: "2.0", id: "bad-method", method: "nope" },
      ]),
    );
    const body = (await response.json()) as any[];
    expect(body.map((r) => r.id)).toEqual(["ok", "bad-params", "bad-method"]);
    expect(validateWireStrict("Send Message Response", body[0].result)).toEqual([]);
    expect(jsonRpcErrorViolations(body[1])).toEqual([]);
    expect(body[1].error.code).toBe(-32602);
    expect(jsonRpcErrorViolations(body[2])).toEqual([]);
    expect(body[2].error.code).toBe(-32601);
  });
});

// ----------------------------------------------------------------------------------------------------------------
// Input that must be accepted: unknown fields are ignored (TCK DM-SERIAL-005), lenient content types, edge sizes
// ----------------------------------------------------------------------------------------------------------------

interface AcceptedCase {
  name: string;
  body: () => Record<string, unknown>;
  headers?: Record<string, string>;
  raw?: (body: string) => string;
  /** Bytes before the whole HTTP body (before the JSON-RPC envelope too). */
  prefix?: string;
}

const ACCEPTED: AcceptedCase[] = [
  { name: "an unknown top-level field", body: () => ({ ...request()(), futureField: { nested: [1, 2, 3] } }) },
  { name: "an unknown field in message", body: request((r) => (r.message.futureField = "x")) },
  { name: "an unknown field in a part", body: request((r) => (r.message.parts[0].futureField = true)) },
  { name: "a v0.3 `kind` on the message and its part", body: request((r) => ((r.message.kind = "message"), (r.message.parts[0].kind = "text"))) },
  { name: "an unknown field in configuration", body: request((r) => (r.configuration.futureField = 1)) },
  { name: "the role as its enum number 1", body: request((r) => (r.message.role = 1)) },
  { name: "historyLength as a decimal string (ProtoJSON int32)", body: request((r) => (r.configuration.historyLength = "2")) },
  { name: "a data part holding null", body: request((r) => (r.message.parts = [{ data: null }])) },
  { name: "a data part holding an array nested 100 deep", body: request((r) => (r.message.parts = [{ data: JSON.parse(deep(100)) }])) },
  { name: "a messageId of exactly 256 characters", body: request((r) => (r.message.messageId = `m-${uid()}`.padEnd(256, "x"))) },
  { name: "a messageId with '%', ':' and unicode", body: request((r) => (r.message.messageId = `m%20:ü-${uid()}`)) },
  {
    name: "metadata keys __proto__ and constructor",
    body: request((r) => delete r.metadata),
    raw: (body) => body.replace(/^\{/, '{"metadata":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}}},'),
  },
  { name: "Content-Type application/json; charset=utf-8", body: request(), headers: { "Content-Type": "application/json; charset=utf-8" } },
  { name: "Content-Type application/a2a+json", body: request(), headers: { "Content-Type": "application/a2a+json" } },
  { name: "Content-Type APPLICATION/JSON", body: request(), headers: { "Content-Type": "APPLICATION/JSON" } },
  { name: "a UTF-8 byte-order mark", body: request(), prefix: "\uFEFF" },
  { name: "a body of almost 1 MiB", body: request((r) => (r.message.parts = [{ text: "a".repeat(MAX_BODY - 512) }])) },
];

describe.each(["jsonrpc", "rest"] as const)("%s: input that must be accepted", (binding) => {
  it.each(ACCEPTED.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    let params = c.body();
    if (!("message" in params)) params = { ...request()(), ...params };
    const json = c.raw ? c.raw(JSON.stringify(params)) : JSON.stringify(params);
    const id = `accepted-${nextId++}`;
    const body = (c.prefix ?? "") + (binding === "jsonrpc" ? `{"jsonrpc":"2.0","id":"${id}","method":"SendMessage","params":${json}}` : json);
    const url = binding === "jsonrpc" ? JSONRPC_URL : `${REST_URL}/message:send`;
    const response = await worker(url, { method: "POST", headers: { ...JSON_CT, ...V1, ...c.headers }, body });
    const text = await response.text();
    expect(response.status, text.slice(0, 400)).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("application/json");
    const parsed = JSON.parse(text);
    const result = binding === "jsonrpc" ? parsed.result : parsed;
    if (binding === "jsonrpc") expect(parsed.id).toBe(id);
    expect(result, text.slice(0, 400)).toBeDefined();
    expect(validateWireStrict("Send Message Response", result)).toEqual([]);
    expect(result.task.status.state).toBe("TASK_STATE_COMPLETED");
    expect(({} as any).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
  });

  it("unknown GetTask members (JSON-RPC params, REST query parameters) are ignored", async () => {
    const { body } = await rpc("SendMessage", { message: makeMessage() });
    const id = body.result.task.id;
    let task: any;
    if (binding === "jsonrpc") {
      task = (await rpc("GetTask", { id, futureParam: { x: 1 }, historyLength: 1 })).body.result;
    } else {
      const response = await worker(`${REST_URL}/tasks/${id}?futureParam=1&historyLength=1&also=%E0%A4%A`, { headers: V1 });
      expect(response.status).toBe(200);
      task = await response.json();
    }
    expect(validateWireStrict("Task", task)).toEqual([]);
    expect(task.history).toHaveLength(1);
  });
});

// ----------------------------------------------------------------------------------------------------------------
// Hostile content that is accepted must not poison anything downstream (the Postgres task index)
// ----------------------------------------------------------------------------------------------------------------

describe("hostile but valid text is stored, returned and indexed", () => {
  it.each([
    ["a NUL character", "before\u0000after"],
    ["control characters and a BOM", "\u0001\u001b[31m\uFEFFred"],
    ["SQL and JSON metacharacters", `'); DROP TABLE tasks; -- {"a":"\\u0000"}`],
  ])("%s", async (_, text) => {
    const tenant = `hostile-${uid()}`;
    const { body } = await rpc("SendMessage", { tenant, message: makeMessage({}, text) });
    expect(body.error, JSON.stringify(body.error)).toBeUndefined();
    const task = body.result.task;
    expect(task.history[0].parts[0].text).toBe(text);
    const got = await rpc("GetTask", { tenant, id: task.id });
    expect(got.body.result.history[0].parts[0].text).toBe(text);
    // ListTasks reads the Postgres index, which the task object writes asynchronously.
    const listed = await eventually(
      async () => {
        const { body: list } = await rpc("ListTasks", { tenant });
        expect(list.error, JSON.stringify(list.error)).toBeUndefined();
        const found = list.result.tasks.find((t: any) => t.id === task.id && t.status.state === "TASK_STATE_COMPLETED");
        return found;
      },
      6_000,
      `task ${task.id} to appear in ListTasks`,
    );
    expect(listed.history[0].parts[0].text).toBe(text);
  });
});

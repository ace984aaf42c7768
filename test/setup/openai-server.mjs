// A scripted OpenAI Chat Completions server for the model tests: it speaks the real wire format
// (POST /v1/chat/completions, streamed as `chat.completion.chunk` server-sent events ending in `data: [DONE]`,
// or one `chat.completion` JSON body when the request does not stream) and answers each request with the next
// reply of the test's script. Tests run in parallel, so every script has its own id and a request finds its
// script by, in this order: the model name `scripted/<id>`, the header `X-Script-Id: <id>`, or a marker
// `[[script:<id>]]` anywhere in the request's messages (for tests that drive the Worker with one MODEL).
//
//   POST /__control/scripts           {id, replies: [Reply...], redeliverIncomplete?, samePromptSameReply?}   (re)set a script
//   GET  /__control/scripts/<id>      {requests: [Recorded...], remaining}
//
// A Reply says what the model answers and how it is delivered (see test/helpers/model-script.ts for the types):
//   text (string, or string[] for exact content chunks), toolCalls [{id, name, arguments (string sent verbatim,
//   so invalid JSON is possible, or an object), pieces}], finishReason, usage ({prompt_tokens, completion_tokens},
//   null for none), delayMs between chunks, firstByteDelayMs, cutAfter (destroy the socket after n chunks),
//   errorAfter + error (an error chunk after n chunks, then the stream ends), status + headers + error (an HTTP
//   error before any streaming), times (this reply answers n requests).
// With `samePromptSameReply`, a request whose messages equal an earlier request's gets that request's reply again
// instead of the next one, as a deterministic model would: a call re-issued after its caller was torn down (whose
// connection the runtime may not close) is answered as the lost one was.
// With `redeliverIncomplete`, a reply whose delivery the client abandoned (abort, eviction) answers the next
// request again: a provider stream cannot be resumed, so a model call in flight is issued anew.
// POST /v1/messages answers the same scripts in Anthropic's Messages format (test/setup/anthropic-wire.mjs).
import { createServer } from "node:http";
import { anthropicError, anthropicEvents, anthropicMessage } from "./anthropic-wire.mjs";

const MAX_BODY = 4 * 1024 * 1024;
const MARKER = /\[\[script:([A-Za-z0-9_.-]+)\]\]/;

export async function startOpenAIServer() {
  const scripts = new Map(); // id -> { replies: [{reply, left}], requests: [], redeliverIncomplete }
  const unscripted = []; // requests that named no known script, for the error message

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://openai");
    const raw = await readBody(req);
    if (url.pathname.startsWith("/__control/scripts")) return control(req, res, url, raw);
    const wire = req.method === "POST" ? WIRES[url.pathname] : undefined;
    if (!wire) return send(res, OPENAI, 404, { message: `Unknown request URL: ${req.method} ${url.pathname}`, type: "invalid_request_error", code: "unknown_url" });
    let body;
    try {
      body = JSON.parse(raw);
    } catch {
      return send(res, wire, 400, { message: "We could not parse the JSON body of your request.", type: "invalid_request_error", code: null });
    }
    const id = scriptIdOf(body, req.headers);
    const script = id === undefined ? undefined : scripts.get(id);
    if (!script) {
      unscripted.push({ at: Date.now(), model: body?.model });
      return send(res, wire, 400, { message: `scripted server: no script for this request (model ${body?.model}, script ${id ?? "none"})`, type: "invalid_request_error", code: "no_script" });
    }
    const record = {
      n: script.requests.length + 1,
      at: Date.now(),
      path: url.pathname,
      authorization: req.headers.authorization ?? req.headers["x-api-key"] ?? null,
      headers: Object.fromEntries(Object.entries(req.headers).filter(([name]) => name !== "authorization" && name !== "x-api-key")),
      body,
      status: 0,
      abandoned: false,
    };
    script.requests.push(record);
    const prompt = script.samePromptSameReply ? JSON.stringify(body?.messages ?? null) : undefined;
    const seen = prompt === undefined ? undefined : script.byPrompt.get(prompt);
    if (seen) return answer(res, wire, body, seen, record, () => {});
    const slot = script.replies[0];
    if (!slot) {
      record.status = 400;
      return send(res, wire, 400, { message: `scripted server: script ${id} has no reply left for request #${record.n}`, type: "invalid_request_error", code: "script_exhausted" });
    }
    // A reply is taken now; it is put back if the client abandons it and the script asks for redelivery.
    slot.left -= 1;
    if (slot.left <= 0) script.replies.shift();
    if (prompt !== undefined) script.byPrompt.set(prompt, slot.reply);
    const redeliver = () => {
      if (!script.redeliverIncomplete) return;
      if (slot.left <= 0) script.replies.unshift({ reply: slot.reply, left: 1 });
      else slot.left += 1;
    };
    await answer(res, wire, body, slot.reply, record, redeliver);
  });

  function control(req, res, url, raw) {
    res.setHeader("Content-Type", "application/json");
    if (req.method === "POST") {
      const { id, replies = [], redeliverIncomplete = false, samePromptSameReply = false } = JSON.parse(raw || "{}");
      if (typeof id !== "string" || !/^[A-Za-z0-9_.-]+$/.test(id)) {
        res.writeHead(400);
        return res.end(JSON.stringify({ error: "id must match [A-Za-z0-9_.-]+" }));
      }
      scripts.set(id, { replies: replies.map((reply) => ({ reply, left: reply.times ?? 1 })), requests: [], redeliverIncomplete, samePromptSameReply, byPrompt: new Map() });
      return res.end(JSON.stringify({ id, replies: replies.length }));
    }
    const id = decodeURIComponent(url.pathname.slice("/__control/scripts/".length));
    const script = scripts.get(id);
    if (!script) {
      res.writeHead(404);
      return res.end(JSON.stringify({ error: `no script ${id}`, unscripted: unscripted.slice(-10) }));
    }
    res.end(JSON.stringify({ requests: script.requests, remaining: script.replies.reduce((n, slot) => n + slot.left, 0) }));
  }

  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/v1`,
    controlUrl: `http://127.0.0.1:${port}/__control`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size <= MAX_BODY) chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function scriptIdOf(body, headers) {
  const model = typeof body?.model === "string" ? body.model : "";
  if (model.startsWith("scripted/")) return model.slice("scripted/".length);
  if (typeof headers["x-script-id"] === "string") return headers["x-script-id"];
  return MARKER.exec(JSON.stringify([body?.system ?? "", body?.messages ?? []]))?.[1];
}

/**
 * Answers one request with `reply`. When the client leaves before the reply was sent, `record.abandoned` says so
 * and `onAbandon` runs at once (so the very next request can get the reply again).
 */
async function answer(res, wire, body, reply, record, onAbandon) {
  let cut = false;
  res.on("close", () => {
    if (res.writableFinished || cut) return;
    record.abandoned = true;
    onAbandon();
  });
  if (reply.firstByteDelayMs) await sleep(reply.firstByteDelayMs);
  if (record.abandoned) return;
  if (reply.status && reply.status >= 400) {
    record.status = reply.status;
    return send(res, wire, reply.status, reply.error ?? { message: `scripted error ${reply.status}`, type: "server_error", code: null }, reply.headers);
  }
  record.status = 200;
  if (!body.stream) {
    res.writeHead(200, { "Content-Type": "application/json", ...reply.headers });
    return res.end(JSON.stringify(wire.message(body, reply)));
  }
  res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache", Connection: "keep-alive", ...reply.headers });
  const events = wire.events(body, reply);
  for (let i = 0; i < events.length; i++) {
    if (i > 0 && reply.delayMs) await sleep(reply.delayMs);
    if (record.abandoned) return;
    if (reply.cutAfter !== undefined && i >= reply.cutAfter) {
      // A dropped connection mid-stream: what was written reaches the client, then the chunked body never ends.
      cut = true;
      await new Promise((resolve) => res.write("", resolve));
      await sleep(50);
      return res.socket?.destroy();
    }
    if (reply.errorAfter !== undefined && i >= reply.errorAfter) {
      return res.end(wire.errorEvent(reply.error ?? { message: "scripted mid-stream error", type: "server_error", code: null }));
    }
    res.write(events[i]);
  }
  res.end();
}

function send(res, wire, status, error, headers = {}) {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(wire.error(status, error)));
}

const OPENAI = {
  events: (body, reply) => chunks(body, reply).map((chunk) => `data: ${chunk === "[DONE]" ? chunk : JSON.stringify(chunk)}\n\n`),
  message: (body, reply) => completion(body, reply),
  error: (_status, error) => ({ error: { message: error.message, type: error.type ?? "server_error", param: error.param ?? null, code: error.code ?? null } }),
  errorEvent: (error) => `data: ${JSON.stringify({ error: { message: error.message, type: error.type ?? "server_error", param: null, code: error.code ?? null } })}\n\n`,
};

const ANTHROPIC = {
  events: (body, reply) => anthropicEvents(body, reply, split).map(([name, data]) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`),
  message: (body, reply) => anthropicMessage(body, reply),
  error: (status, error) => anthropicError(status, error),
  errorEvent: (error) => `event: error\ndata: ${JSON.stringify(anthropicError(529, error))}\n\n`,
};

const WIRES = { "/v1/chat/completions": OPENAI, "/v1/messages": ANTHROPIC };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const textPieces = (reply) => (Array.isArray(reply.text) ? reply.text : reply.text ? [reply.text] : []);
const argumentsOf = (call) => (typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments ?? {}));
const callId = (call, i) => call.id ?? `call_${i}_${call.name}`;
const finishOf = (reply) => reply.finishReason ?? (reply.toolCalls?.length ? "tool_calls" : "stop");

/** Deterministic token counts (≈ 4 characters a token) unless the reply names them; `usage: null` sends none. */
function usageOf(body, reply) {
  if (reply.usage === null) return null;
  if (reply.usage) return { ...reply.usage, total_tokens: reply.usage.prompt_tokens + reply.usage.completion_tokens };
  const prompt = Math.max(1, Math.ceil(JSON.stringify(body.messages ?? []).length / 4));
  const output = textPieces(reply).join("") + (reply.toolCalls ?? []).map((call) => call.name + argumentsOf(call)).join("");
  const completion = Math.max(1, Math.ceil(output.length / 4));
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

/** Splits `text` into `pieces` parts at deterministic, uneven points (arbitrary places, including mid-token). */
function split(text, pieces) {
  if (Array.isArray(pieces)) return pieces;
  const n = Math.max(1, Math.min(pieces ?? 3, text.length));
  const out = [];
  let start = 0;
  for (let i = 1; i <= n; i++) {
    const end = i === n ? text.length : Math.max(start + 1, Math.floor((text.length * i * i) / (n * n)));
    out.push(text.slice(start, end));
    start = end;
  }
  return out.filter((piece, i) => piece.length > 0 || i === 0);
}

/** The `chat.completion.chunk` objects (and the closing "[DONE]") a streamed reply consists of. */
function chunks(body, reply) {
  const base = { id: `chatcmpl-${body.model}-${Date.now()}`, object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model: body.model, system_fingerprint: "fp_scripted" };
  const withUsage = body.stream_options?.include_usage === true;
  const chunk = (delta, finish_reason = null) => ({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason }], ...(withUsage ? { usage: null } : {}) });
  const out = [chunk({ role: "assistant", content: "", refusal: null })];
  for (const piece of textPieces(reply)) out.push(chunk({ content: piece }));
  const calls = (reply.toolCalls ?? []).map((call, i) => ({ i, call, pieces: split(argumentsOf(call), call.pieces) }));
  const openCall = ({ i, call }) => chunk({ tool_calls: [{ index: i, id: callId(call, i), type: "function", function: { name: call.name, arguments: "" } }] });
  const argPiece = (i, piece) => chunk({ tool_calls: [{ index: i, function: { arguments: piece } }] });
  if (reply.interleave) {
    // Parallel calls whose fragments alternate: every call opens, then their argument pieces take turns.
    for (const call of calls) out.push(openCall(call));
    const longest = Math.max(0, ...calls.map((c) => c.pieces.length));
    for (let p = 0; p < longest; p++) for (const { i, pieces } of calls) if (p < pieces.length) out.push(argPiece(i, pieces[p]));
  } else {
    for (const call of calls) {
      out.push(openCall(call));
      for (const piece of call.pieces) out.push(argPiece(call.i, piece));
    }
  }
  out.push(chunk({}, finishOf(reply)));
  const usage = usageOf(body, reply);
  if (withUsage && usage) out.push({ ...base, choices: [], usage });
  out.push("[DONE]");
  return out;
}

/** The non-streamed `chat.completion` body: the same reply, in one message. */
function completion(body, reply) {
  const toolCalls = (reply.toolCalls ?? []).map((call, i) => ({ id: callId(call, i), type: "function", function: { name: call.name, arguments: argumentsOf(call) } }));
  const text = textPieces(reply).join("");
  const usage = usageOf(body, reply);
  return {
    id: `chatcmpl-${body.model}-${Date.now()}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    system_fingerprint: "fp_scripted",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: text || (toolCalls.length ? null : ""), refusal: null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
        logprobs: null,
        finish_reason: finishOf(reply),
      },
    ],
    ...(usage ? { usage } : {}),
  };
}

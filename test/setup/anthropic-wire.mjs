// The same scripted replies as test/setup/openai-server.mjs, rendered in Anthropic's Messages API wire format
// (POST /v1/messages): streamed as named server-sent events (message_start, content_block_start/delta/stop with
// text_delta and input_json_delta, message_delta with stop_reason and output usage, message_stop), or one
// message body; errors as {"type":"error","error":{type,message}}, mid-stream as an `event: error`.

const STOP = { stop: "end_turn", tool_calls: "tool_use", length: "max_tokens" };

const textOf = (reply) => (Array.isArray(reply.text) ? reply.text : reply.text ? [reply.text] : []);
const argumentsOf = (call) => (typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments ?? {}));
const toolId = (call, i) => call.id ?? `toolu_${i}_${call.name}`;
const stopOf = (reply) => STOP[reply.finishReason ?? (reply.toolCalls?.length ? "tool_calls" : "stop")] ?? reply.finishReason;

export function anthropicUsage(body, reply) {
  if (reply.usage) return { input_tokens: reply.usage.prompt_tokens, output_tokens: reply.usage.completion_tokens };
  const input = Math.max(1, Math.ceil(JSON.stringify([body.system ?? "", body.messages ?? []]).length / 4));
  const output = Math.max(1, Math.ceil((textOf(reply).join("") + (reply.toolCalls ?? []).map(argumentsOf).join("")).length / 4));
  return { input_tokens: input, output_tokens: output };
}

const ERROR_TYPES = { 400: "invalid_request_error", 401: "authentication_error", 403: "permission_error", 404: "not_found_error", 429: "rate_limit_error", 529: "overloaded_error" };

/** Anthropic's error body; the type follows the status, as Anthropic's do. */
export function anthropicError(status, error) {
  return { type: "error", error: { type: ERROR_TYPES[status] ?? (status >= 500 ? "api_error" : "invalid_request_error"), message: error.message } };
}

/** `[eventName, data]` pairs of a streamed reply; `split` cuts tool arguments into pieces. */
export function anthropicEvents(body, reply, split) {
  const usage = anthropicUsage(body, reply);
  const events = [
    ["message_start", { type: "message_start", message: { id: `msg_${body.model}`, type: "message", role: "assistant", model: body.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.input_tokens, output_tokens: 1 } } }],
    ["ping", { type: "ping" }],
  ];
  let index = 0;
  const pieces = textOf(reply);
  if (pieces.length) {
    events.push(["content_block_start", { type: "content_block_start", index, content_block: { type: "text", text: "" } }]);
    for (const text of pieces) events.push(["content_block_delta", { type: "content_block_delta", index, delta: { type: "text_delta", text } }]);
    events.push(["content_block_stop", { type: "content_block_stop", index }]);
    index++;
  }
  (reply.toolCalls ?? []).forEach((call, i) => {
    events.push(["content_block_start", { type: "content_block_start", index, content_block: { type: "tool_use", id: toolId(call, i), name: call.name, input: {} } }]);
    for (const partial_json of split(argumentsOf(call), call.pieces)) events.push(["content_block_delta", { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json } }]);
    events.push(["content_block_stop", { type: "content_block_stop", index }]);
    index++;
  });
  events.push(["message_delta", { type: "message_delta", delta: { stop_reason: stopOf(reply), stop_sequence: null }, usage: { output_tokens: usage.output_tokens } }]);
  events.push(["message_stop", { type: "message_stop" }]);
  return events;
}

export function anthropicMessage(body, reply) {
  const content = [];
  const text = textOf(reply).join("");
  if (text) content.push({ type: "text", text });
  (reply.toolCalls ?? []).forEach((call, i) => {
    let input;
    try {
      input = JSON.parse(argumentsOf(call) || "{}");
    } catch {
      input = {};
    }
    content.push({ type: "tool_use", id: toolId(call, i), name: call.name, input });
  });
  return { id: `msg_${body.model}`, type: "message", role: "assistant", model: body.model, content, stop_reason: stopOf(reply), stop_sequence: null, usage: anthropicUsage(body, reply) };
}

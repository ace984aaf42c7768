import type { Context } from "hono";
import { A2AError, type JsonRpcId } from "../../schema/a2a";
import { answer, failure, toA2AError } from "./jsonrpc";
import { negotiateVersion } from "./http";
import type { BaseContext } from "./invoke";
import { restError } from "./rest";
import { offeredSubprotocols, WEBSOCKET_SUBPROTOCOL } from "../auth/authenticate";

/** Sent after the last event of a stream, so a client knows that request is done. */
export const STREAM_END_METHOD = "a2a.streamEnd";
const MAX_OPEN_STREAMS = 32;

/**
 * JSON-RPC over one WebSocket (the card's extra interface): every text frame a client sends is one JSON-RPC
 * request; unary calls answer with one frame; streaming calls answer with one frame per event (each a
 * JSON-RPC response with the request's id), then a `a2a.streamEnd` notification naming that id.
 */
export function handleWebSocket(c: Context, base: BaseContext): Response {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    return restError(new A2AError("InvalidRequest", "This endpoint speaks JSON-RPC over WebSocket: send an Upgrade: websocket request"), {
      Upgrade: "websocket",
    });
  }
  try {
    // Custom binding, declared for 1.0 only: a missing version (0.3) is refused like any other (REFERENCE §9).
    negotiateVersion(c.req.raw, ["1.0"]);
  } catch (error) {
    return restError(toA2AError(error, base.requestId));
  }
  const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
  server.accept();
  const streams = new Set<{ cancel(): void }>();
  const send = (frame: unknown) => {
    try {
      server.send(JSON.stringify(frame));
    } catch {
      // the client is gone; its close event cancels the streams
    }
  };

  const onFrame = async (message: MessageEvent) => {
    const text = typeof message.data === "string" ? message.data : "";
    if (text.length > base.config.maxBodyBytes) return send(failure(null, new A2AError("PayloadTooLarge")));
    let entry: unknown;
    try {
      entry = JSON.parse(text);
    } catch {
      return send(failure(null, new A2AError("ParseError", "A frame must hold one JSON-RPC request as JSON text")));
    }
    if (streams.size >= MAX_OPEN_STREAMS) {
      return send(failure(idOf(entry), new A2AError("InvalidRequest", `At most ${MAX_OPEN_STREAMS} streams may be open on one connection`)));
    }
    const reply = await answer(entry, base, false);
    if (reply === undefined) return;
    if (!("feed" in reply)) return send(reply);
    const { id, feed } = reply;
    streams.add(feed);
    feed.attach({
      event: (_seq, result) => send({ jsonrpc: "2.0", id, result }),
      error: (error) => send(failure(id, error)),
      end: () => {
        streams.delete(feed);
        send({ jsonrpc: "2.0", method: STREAM_END_METHOD, params: { id } });
      },
    });
  };
  // Listeners must not return promises (workerd ignores them); failures still answer the frame.
  server.addEventListener("message", (message) => {
    onFrame(message).catch((error: unknown) => send(failure(null, toA2AError(error, base.requestId))));
  });
  server.addEventListener("close", () => {
    for (const stream of streams) stream.cancel();
    streams.clear();
  });
  // A client that offered subprotocols (a browser sending its token as one) must get one of them back.
  const offered = offeredSubprotocols(c.req.raw).includes(WEBSOCKET_SUBPROTOCOL);
  const headers: Record<string, string> = offered ? { "Sec-WebSocket-Protocol": WEBSOCKET_SUBPROTOCOL } : {};
  return new Response(null, { status: 101, webSocket: client, headers });
}

function idOf(entry: unknown): JsonRpcId {
  const id = typeof entry === "object" && entry !== null ? (entry as { id?: unknown }).id : null;
  return typeof id === "string" || typeof id === "number" ? id : null;
}

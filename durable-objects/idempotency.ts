import canonicalize from "canonicalize";
import { A2AError, type Message } from "../schema/a2a";

/**
 * A message's content: everything but its ids, in one canonical form (RFC 8785), with the fields ProtoJSON may
 * leave out (no metadata, no extensions, no reference ids) the same whether absent or empty.
 */
function contentOf(message: Message): string {
  const { messageId: _messageId, taskId: _taskId, contextId: _contextId, ...content } = message;
  const present = Object.entries(content).filter(
    ([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0) && !(typeof value === "object" && value !== null && Object.keys(value).length === 0),
  );
  return canonicalize(Object.fromEntries(present)) ?? "";
}

/**
 * A message whose `messageId` this task (or reply) already holds is a retry only if it says the same: the same
 * content, and no other context than the one the first landed in. A retry gets what the first produced; the
 * same id on a different message is the client's mistake, refused rather than silently answered with the
 * first message's task.
 * @param stored the message as first received (with the ids the server filled in)
 */
export function assertRetryOf(stored: Message, incoming: Message): void {
  const otherContext = incoming.contextId !== undefined && incoming.contextId !== stored.contextId;
  if (!otherContext && contentOf(stored) === contentOf(incoming)) return;
  const description = "already used for a different message; a retry must repeat the message exactly, new content needs a new messageId";
  throw new A2AError("InvalidParams", `messageId ${incoming.messageId} was ${description}`, { messageId: incoming.messageId }, [
    { field: "message.messageId", description },
  ]);
}

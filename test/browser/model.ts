import { inject } from "vitest";
import type { RecordedRequest, Reply } from "../helpers/model-script";

/**
 * A script for the scripted model server, from Node (test/helpers/model-script.ts does the same from workerd).
 * Put `marker` in the first message the browser sends: every model call of that conversation then finds it.
 */
export async function scriptModel(replies: Reply[]) {
  const id = `browser-${crypto.randomUUID()}`;
  const control = `${inject("modelControlUrl")}/scripts`;
  const response = await fetch(control, { method: "POST", body: JSON.stringify({ id, replies }) });
  if (!response.ok) throw new Error(`the scripted model refused the script: ${await response.text()}`);
  return {
    marker: `[[script:${id}]]`,
    requests: async () => ((await (await fetch(`${control}/${id}`)).json()) as { requests: RecordedRequest[] }).requests,
  };
}

/** What the model was sent as tool results (the provider's `role: "tool"` messages), parsed. */
export const toolResultsSent = (request: RecordedRequest) =>
  (request.body.messages as { role: string; content: string }[]).filter((m) => m.role === "tool").map((m) => JSON.parse(m.content));

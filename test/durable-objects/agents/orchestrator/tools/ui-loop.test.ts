import { describe, expect, it } from "vitest";
import type { Message, Task } from "../../../../../schema/a2a";
import { A2UI_EXTENSION_URI, A2UI_MEDIA_TYPE, BASIC_CATALOG_ID } from "../../../../../schema/a2ui/extension";
import candidateTable from "../../../../../schema/a2ui/examples/candidate-table.json";
import offerForm from "../../../../../schema/a2ui/examples/offer-form.json";
import { validateServerMessage } from "../../../../../durable-objects/agents/orchestrator/tools/ui-validate";
import { worker } from "../../../../helpers/a2a";
import { callTools, say, script } from "../../../../helpers/model-script";
import { ORCHESTRATOR, userMessage } from "../../../../helpers/orchestrator";
import { actionMessage } from "../../../../helpers/ui";

/** SendMessage to the orchestrator with extra headers (the extensions header); returns the task and the response headers. */
async function sendWith(message: Message, headers: Record<string, string> = {}): Promise<{ task: Task; headers: Headers }> {
  const response = await worker(`${ORCHESTRATOR}/a2a/jsonrpc`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "A2A-Version": "1.0", ...headers },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "SendMessage", params: { message } }),
  });
  const body = (await response.json()) as { result?: { task: Task }; error?: { message: string } };
  if (!body.result) throw new Error(`SendMessage failed: ${body.error?.message}`);
  return { task: body.result.task, headers: response.headers };
}

const toolResultsOf = (task: Task) =>
  (task.history ?? []).flatMap((m) => m.parts.flatMap((p) => ((p.data as any)?.toolResult ? [(p.data as any).toolResult] : [])));
/** The tool results the model was sent, as the provider's wire format has them (role "tool"). */
const toolMessagesSent = (request: { body: any }) => request.body.messages.filter((m: any) => m.role === "tool").map((m: any) => JSON.parse(m.content));

describe("UI tools in the orchestrator's loop: A2UI out, the user's action back in", () => {
  it("a client that activated A2UI gets a candidate table to click; the click resumes the run and the model reads it", async () => {
    const s = await script([callTools([{ id: "call_table", name: "ui_table", arguments: candidateTable.args }]), say("Scheduling an interview with Grace Hopper.")]);
    const asked = await sendWith(userMessage(`${s.marker} candidates for JOB-7?`), { "A2A-Extensions": A2UI_EXTENSION_URI });
    expect(asked.headers.get("A2A-Extensions")).toBe(A2UI_EXTENSION_URI);
    expect(asked.task.status.state).toBe("TASK_STATE_INPUT_REQUIRED");
    const [part] = asked.task.status.message!.parts;
    expect(part).toMatchObject({ mediaType: A2UI_MEDIA_TYPE, metadata: { mimeType: A2UI_MEDIA_TYPE } });
    const messages = part!.data as any[];
    for (const message of messages) expect(validateServerMessage(message)).toEqual({ valid: true });
    const surfaceId = messages[0].createSurface.surfaceId;

    const click = actionMessage({ name: "schedule", surfaceId, sourceComponentId: "a-schedule", context: { id: "c-42" } });
    const done = await sendWith({ ...click, taskId: asked.task.id, contextId: asked.task.contextId });
    expect(done.task.status.state).toBe("TASK_STATE_COMPLETED");
    const expected = { surfaceId, action: "schedule", label: "Schedule", row: { id: "c-42" }, via: "a2ui" };
    expect(toolResultsOf(done.task)).toContainEqual({ id: "call_table", name: "ui_table", value: expected });
    const [, second] = await s.requests();
    expect(toolMessagesSent(second!)).toContainEqual(expected);
    // The surface was told the question is answered: its buttons turn off.
    const updates = (done.task.history ?? []).flatMap((m) => m.parts.filter((p) => p.mediaType === A2UI_MEDIA_TYPE).flatMap((p) => p.data as any[]));
    expect(updates).toContainEqual({ version: "v0.9.1", updateDataModel: { surfaceId, path: "/answered", value: true } });
  });

  it("a client that declared nothing gets the table as text, and a reply in words resumes the run", async () => {
    const s = await script([callTools([{ id: "call_table", name: "ui_table", arguments: candidateTable.args }]), say("Screening Ada Lovelace.")]);
    const asked = await sendWith(userMessage(`${s.marker} candidates for JOB-7?`));
    expect(asked.headers.get("A2A-Extensions")).toBeNull();
    const parts = asked.task.status.message!.parts;
    expect(parts.every((p) => p.mediaType === undefined && typeof p.text === "string")).toBe(true);
    expect(parts[0]!.text).toContain("| c-41 | Ada Lovelace | sourcing | 9 |");
    const done = await sendWith(userMessage("Screen c-41", { taskId: asked.task.id, contextId: asked.task.contextId }));
    expect(toolResultsOf(done.task)[0]?.value).toMatchObject({ action: "screen", row: { id: "c-41" }, via: "text" });
  });

  it("a2uiClientCapabilities alone is a declaration: the offer form is a surface, and its submitted values are checked", async () => {
    const s = await script([callTools([{ id: "call_form", name: "ui_form", arguments: offerForm.args }]), say("Offer sent.")]);
    const capabilities = { a2uiClientCapabilities: { "v0.9": { supportedCatalogIds: [BASIC_CATALOG_ID] } } };
    const asked = await sendWith(userMessage(`${s.marker} make Grace an offer`, { metadata: capabilities }));
    const surfaceId = (asked.task.status.message!.parts[0]!.data as any[])[0].createSurface.surfaceId;
    const submit = actionMessage({ name: "submit", surfaceId, context: { salary: "95000", startDate: "2027-03-01", contract: ["permanent"], remote: true, note: "" } });
    const done = await sendWith({ ...submit, taskId: asked.task.id, contextId: asked.task.contextId, metadata: capabilities });
    expect(toolResultsOf(done.task)[0]?.value).toEqual({ surfaceId, action: "submit", values: offerForm.result.values, via: "a2ui" });
  });

  it("the orchestrator's card declares A2UI v0.9.1 with the basic catalog", async () => {
    const card = (await (await worker(`${ORCHESTRATOR}/.well-known/agent-card.json`)).json()) as any;
    expect(card.capabilities.extensions).toContainEqual(
      expect.objectContaining({ uri: A2UI_EXTENSION_URI, required: false, params: { supportedCatalogIds: [BASIC_CATALOG_ID], acceptsInlineCatalogs: false } }),
    );
    expect(card.defaultInputModes).toContain(A2UI_MEDIA_TYPE);
  });
});

import { describe, expect, it } from "vitest";
import { uiButtons } from "../../../../../durable-objects/agents/orchestrator/tools/ui-buttons";
import { uiConfirm } from "../../../../../durable-objects/agents/orchestrator/tools/ui-confirm";
import { uiForm } from "../../../../../durable-objects/agents/orchestrator/tools/ui-form";
import { uiTable } from "../../../../../durable-objects/agents/orchestrator/tools/ui-table";
import { uiTools } from "../../../../../durable-objects/agents/orchestrator/tools/ui";
import { checkSurface, validateServerMessage } from "../../../../../durable-objects/agents/orchestrator/tools/ui-validate";
import type { Tool } from "../../../../../durable-objects/agents/orchestrator/tools/tool";
import { A2UI_LEGACY_MEDIA_TYPE, A2UI_MEDIA_TYPE } from "../../../../../schema/a2ui/extension";
import candidateActions from "../../../../../schema/a2ui/examples/candidate-actions.json";
import candidateTable from "../../../../../schema/a2ui/examples/candidate-table.json";
import offerForm from "../../../../../schema/a2ui/examples/offer-form.json";
import rejectConfirm from "../../../../../schema/a2ui/examples/reject-confirm.json";
import { A2UI_CLIENT, a2uiMessagesIn, actionMessage, makeToolContext, promptOf, stateOf, textMessage, valueOf } from "../../../../helpers/ui";

const EXAMPLES = [candidateTable, candidateActions, offerForm, rejectConfirm];
const toolNamed = (name: string): Tool => uiTools.find((tool) => tool.name === name)!;
const TABLE = candidateTable.args;

/** Runs a tool for an A2UI client and returns every A2UI message it produced, shown or asked. */
async function a2uiOutput(tool: Tool, args: unknown) {
  const { ctx, statuses } = makeToolContext({ a2ui: A2UI_CLIENT });
  const outcome = await tool.execute(tool.input.parse(args), ctx);
  const parts = [...statuses.flatMap((status) => (typeof status === "string" ? [] : status)), ...(outcome.kind === "input-required" && typeof outcome.prompt !== "string" ? outcome.prompt : [])];
  return { outcome, parts, messages: parts.flatMap((part) => a2uiMessagesIn([part])) };
}

describe("UI tools: validated arguments become A2UI v0.9.1 over the basic catalog", () => {
  it.each(EXAMPLES.map((example) => [example.tool, example] as const))("%s (recruiting example) emits messages that pass the vendored schemas", async (name, example) => {
    const { messages, parts } = await a2uiOutput(toolNamed(name), example.args);
    expect(messages.map((message) => Object.keys(message).find((key) => key !== "version"))).toEqual(["createSurface", "updateComponents", "updateDataModel"]);
    for (const message of messages) expect(validateServerMessage(message)).toEqual({ valid: true });
    expect(checkSurface(messages)).toEqual([]);
    for (const part of parts) {
      expect(part).toMatchObject({ mediaType: A2UI_MEDIA_TYPE, metadata: { mimeType: A2UI_MEDIA_TYPE } });
      expect(Array.isArray(part.data)).toBe(true);
    }
  });

  it("a table without row actions is shown in a WORKING status and the model goes on at once", async () => {
    const { ctx, statuses } = makeToolContext({ a2ui: A2UI_CLIENT });
    const { rowActions: _none, ...plain } = TABLE;
    const value = valueOf(await uiTable.execute(uiTable.input.parse(plain), ctx));
    expect(value).toMatchObject({ shownAs: "A2UI surface", rows: 3 });
    const [created, components, data] = a2uiMessagesIn(statuses[0]!);
    expect(created.createSurface.surfaceId).toBe(value.surfaceId);
    expect(components.updateComponents.components.some((c: any) => c.component === "Button")).toBe(false);
    expect(data.updateDataModel.value.rows[1]).toEqual({ id: "c-42", name: "Grace Hopper", stage: "screening", years: "12" });
  });

  it("a table with row actions waits for the user, with the row's key bound into each button's action", async () => {
    const { outcome, messages } = await a2uiOutput(uiTable, TABLE);
    expect(outcome.kind).toBe("input-required");
    const screen = messages[1].updateComponents.components.find((c: any) => c.id === "a-screen");
    expect(screen.action).toEqual({ event: { name: "screen", context: { id: { path: "id" } } } });
    expect(messages[1].updateComponents.components.find((c: any) => c.id === "rows").children).toEqual({ componentId: "row", path: "/rows" });
  });

  it("a v0.9 client gets v0.9 messages in v0.9's media type", async () => {
    const { ctx } = makeToolContext({ a2ui: { version: "v0.9", catalogIds: A2UI_CLIENT.catalogIds } });
    const [part] = promptOf(await uiConfirm.execute(uiConfirm.input.parse(rejectConfirm.args), ctx)) as any[];
    expect(part.mediaType).toBe(A2UI_LEGACY_MEDIA_TYPE);
    expect(part.data.every((message: any) => message.version === "v0.9")).toBe(true);
  });

  it("arguments a model gets wrong are refused before anything is built", () => {
    expect(uiTable.input.safeParse({ ...TABLE, rowKey: "email" }).success).toBe(false);
    expect(uiTable.input.safeParse({ ...TABLE, columns: [{ key: "has space", label: "x" }] }).success).toBe(false);
    expect(uiForm.input.safeParse({ title: "t", fields: [{ name: "c", label: "C", type: "choice" }] }).success).toBe(false);
    expect(uiButtons.input.safeParse({ prompt: "p", actions: [] }).success).toBe(false);
  });
});

describe("UI tools: a client that did not declare A2UI gets the same content as text", () => {
  it.each(EXAMPLES.map((example) => [example.tool, example] as const))("%s asks in text, with no A2UI part", async (name, example) => {
    const tool = toolNamed(name);
    const { ctx, statuses } = makeToolContext();
    const outcome = await tool.execute(tool.input.parse(example.args), ctx);
    const prompt = promptOf(outcome);
    expect(typeof prompt).toBe("string");
    expect(statuses).toEqual([]);
    expect(stateOf(outcome)).toMatchObject({ shown: { via: "text" } });
  });

  it("the table's text is a Markdown table with every row, and says how to answer", async () => {
    const { ctx } = makeToolContext();
    const prompt = promptOf(await uiTable.execute(uiTable.input.parse(TABLE), ctx)) as string;
    expect(prompt).toContain("| ID | Name | Stage | Years |");
    expect(prompt).toContain("| c-42 | Grace Hopper | screening | 12 |");
    expect(prompt).toContain('e.g. "Screen c-41"');
  });

  it("a table without actions is shown as a text status", async () => {
    const { ctx, statuses } = makeToolContext();
    const { rowActions: _none, ...plain } = TABLE;
    expect(valueOf(await uiTable.execute(uiTable.input.parse(plain), ctx))).toMatchObject({ shownAs: "text" });
    expect(statuses).toHaveLength(1);
    expect(statuses[0]).toContain("| c-43 | Alan Turing | sourcing | 7 |");
  });

  it("a client whose renderer lacks the basic catalog gets text too", async () => {
    const { ctx, statuses } = makeToolContext({ a2ui: { version: "v0.9.1", catalogIds: ["https://example.com/my-catalog.json"] } });
    expect(typeof promptOf(await uiButtons.execute(uiButtons.input.parse(candidateActions.args), ctx))).toBe("string");
    expect(statuses).toEqual([]);
  });

  it("the form's text lists its fields", async () => {
    const { ctx } = makeToolContext();
    const prompt = promptOf(await uiForm.execute(uiForm.input.parse(offerForm.args), ctx)) as string;
    expect(prompt).toContain("- contract: Contract (required), choice [permanent, fixed-term]");
  });
});

/** Asks with an A2UI client, then resumes with `answer`; returns the result and what the surface was sent after. */
async function askThenResume(tool: Tool, args: unknown, answer: (surfaceId: string) => Parameters<NonNullable<Tool["resume"]>>[1], a2ui = true) {
  const first = makeToolContext(a2ui ? { a2ui: A2UI_CLIENT } : {});
  const state = stateOf(await tool.execute(tool.input.parse(args), first.ctx)) as { surfaceId: string };
  const second = makeToolContext(a2ui ? { a2ui: A2UI_CLIENT } : {});
  const value = valueOf(await tool.resume!(state, answer(state.surfaceId), second.ctx));
  return { value, surfaceId: state.surfaceId, updates: second.statuses.flatMap((status) => a2uiMessagesIn(status)) };
}

describe("UI tools: the user's action resumes the call with a result the model reads", () => {
  it("a row button: which action, on which surface, for which row; the surface then shows the answer", async () => {
    const { value, surfaceId, updates } = await askThenResume(uiTable, TABLE, (surfaceId) => actionMessage({ name: "schedule", surfaceId, context: { id: "c-42" } }));
    expect(value).toEqual({ surfaceId, action: "schedule", label: "Schedule", row: { id: "c-42" }, via: "a2ui" });
    expect(updates).toEqual([
      { version: "v0.9.1", updateDataModel: { surfaceId, path: "/answered", value: true } },
      { version: "v0.9.1", updateDataModel: { surfaceId, path: "/answer", value: "Schedule: c-42" } },
    ]);
  });

  it("v0.9's media type for the action is accepted too", async () => {
    const { value } = await askThenResume(uiTable, TABLE, (surfaceId) => actionMessage({ name: "screen", surfaceId, context: { id: "c-41" } }, A2UI_LEGACY_MEDIA_TYPE));
    expect(value).toMatchObject({ action: "screen", row: { id: "c-41" } });
  });

  it("a forged action (a row the table never had, an action it never offered) is not taken as the answer", async () => {
    const row = await askThenResume(uiTable, TABLE, (surfaceId) => actionMessage({ name: "screen", surfaceId, context: { id: "c-99" } }));
    expect(row.value).toMatchObject({ action: null, invalidAction: { name: "screen" } });
    expect(row.updates).toEqual([]);
    const action = await askThenResume(uiButtons, candidateActions.args, (surfaceId) => actionMessage({ name: "hire", surfaceId }));
    expect(action.value).toMatchObject({ action: null, invalidAction: { name: "hire" } });
  });

  it("an action from another surface is passed on as such, never as this one's answer", async () => {
    const { value } = await askThenResume(uiButtons, candidateActions.args, () => actionMessage({ name: "schedule", surfaceId: "old-surface" }));
    expect(value).toMatchObject({ action: null, actionOnOtherSurface: { name: "schedule", surfaceId: "old-surface" } });
  });

  it("buttons carry the context the tool sent, not what the client claims", async () => {
    const { value } = await askThenResume(uiButtons, candidateActions.args, (surfaceId) =>
      actionMessage({ name: "schedule", surfaceId, context: { candidateId: "c-1" } }),
    );
    expect(value).toMatchObject({ action: "schedule", context: { candidateId: "c-42" }, via: "a2ui" });
  });

  it("a form's submitted values are typed and checked on the server", async () => {
    const submit = (context: Record<string, unknown>) => (surfaceId: string) => actionMessage({ name: "submit", surfaceId, context });
    const good = await askThenResume(uiForm, offerForm.args, submit({ salary: "95000", startDate: "2027-03-01", contract: ["permanent"], remote: true, note: "" }));
    expect(good.value).toEqual({ surfaceId: good.surfaceId, action: "submit", values: offerForm.result.values, via: "a2ui" });
    const bad = await askThenResume(uiForm, offerForm.args, submit({ salary: "lots", startDate: "", contract: ["freelance"], remote: false }));
    expect(bad.value.invalid).toEqual({
      salary: "Annual salary (EUR) must be a number",
      startDate: "Start date is required",
      contract: "Contract freelance is not one of the options",
    });
  });

  it("a form's cancel and a confirmation's answer", async () => {
    expect((await askThenResume(uiForm, offerForm.args, (surfaceId) => actionMessage({ name: "cancel", surfaceId }))).value).toMatchObject({ action: "cancel" });
    expect((await askThenResume(uiConfirm, rejectConfirm.args, (surfaceId) => actionMessage({ name: "confirm", surfaceId }))).value).toMatchObject({ confirmed: true });
    expect((await askThenResume(uiConfirm, rejectConfirm.args, (surfaceId) => actionMessage({ name: "cancel", surfaceId }))).value).toMatchObject({ confirmed: false });
  });

  it("a text client answers in words: an action and a row, yes/no, name: value lines", async () => {
    const table = await askThenResume(uiTable, TABLE, () => textMessage("Screen C-43"), false);
    expect(table.value).toMatchObject({ action: "screen", row: { id: "c-43" }, via: "text" });
    expect(table.updates).toEqual([]);
    expect((await askThenResume(uiConfirm, rejectConfirm.args, () => textMessage("Yes."), false)).value).toMatchObject({ confirmed: true, via: "text" });
    expect((await askThenResume(uiConfirm, rejectConfirm.args, () => textMessage("keep"), false)).value).toMatchObject({ confirmed: false });
    const form = await askThenResume(uiForm, offerForm.args, () => textMessage("salary: 90,000\nStart date: 2027-04-01\ncontract: fixed-term"), false);
    expect(form.value).toMatchObject({ action: "submit", values: { salary: 90000, startDate: "2027-04-01", contract: "fixed-term", remote: false } });
  });

  it("a reply that names nothing goes to the model as the user's words", async () => {
    const { value } = await askThenResume(uiButtons, candidateActions.args, () => textMessage("what does screening involve?"), false);
    expect(value).toMatchObject({ action: null, reply: "what does screening involve?" });
  });
});

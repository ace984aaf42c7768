import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import candidateTable from "../../schema/a2ui/examples/candidate-table.json";
import offerForm from "../../schema/a2ui/examples/offer-form.json";
import { launchBrowser, openConsole, say, screenshot, taskState } from "./browser";
import { scriptModel, toolResultsSent } from "./model";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const ORCHESTRATOR = "/agents/orchestrator/.well-known/agent-card.json";
const surface = (page: Page) => page.locator("a2ui-surface").last();

describe("console + orchestrator + scripted model: A2UI surfaces from UI tool calls, and the user's actions back", () => {
  it("a conversation renders a candidate table with buttons; clicking Schedule continues the task", async () => {
    const model = await scriptModel([
      { toolCalls: [{ id: "call_table", name: "ui_table", arguments: candidateTable.args }] },
      { text: ["Scheduling an interview ", "with Grace Hopper (c-42)."] },
    ]);
    const { page, errors } = await openConsole(browser, ORCHESTRATOR);
    await expect(page.locator("[data-testid=a2ui-badge]").textContent()).resolves.toBe("A2UI");
    await say(page, `Who applied for JOB-7? ${model.marker}`);
    await expect.poll(() => taskState(page).textContent(), { timeout: 20_000 }).toBe("input required");
    const table = surface(page);
    await expect(table.getByText("Candidates for Senior Backend Engineer (JOB-7)").isVisible()).resolves.toBe(true);
    await expect.poll(() => table.getByRole("button", { name: "Schedule" }).count()).toBe(3);
    await expect(table.getByText("Grace Hopper").isVisible()).resolves.toBe(true);
    await screenshot(page, "a2ui-table");

    await table.getByRole("button", { name: "Schedule" }).nth(1).click();
    await expect.poll(() => taskState(page).textContent(), { timeout: 20_000 }).toBe("completed");
    await expect(page.locator("[data-testid=artifact]").last().textContent()).resolves.toContain("Scheduling an interview with Grace Hopper (c-42).");
    // The surface shows the answer and will not send a second one.
    await expect.poll(() => table.getByText("Schedule: c-42").isVisible()).toBe(true);
    await expect(table.getByRole("button", { name: "Screen" }).first().isDisabled()).resolves.toBe(true);
    const [, second] = await model.requests();
    expect(toolResultsSent(second!)).toContainEqual(expect.objectContaining({ action: "schedule", label: "Schedule", row: { id: "c-42" }, via: "a2ui" }));
    // The inspector: tokens and cost per step, from task.metadata.orchestration.
    await page.click("[data-testid=tab-usage]");
    const rows = async () => (await page.locator("[data-testid=usage] tbody tr").allTextContents()).map((row) => row.replace(/\s+/g, ""));
    await expect.poll(async () => (await rows()).filter((row) => /^\dmodel\d+\$0\.\d+/.test(row)).length).toBe(2);
    expect(await rows()).toContainEqual(expect.stringMatching(/^1toolui_table\d+$/));
    expect((await page.locator("[data-testid=usage] tfoot").textContent())?.replace(/\s+/g, "")).toMatch(/^total\d+\d+\$0\.\d+$/);
    await screenshot(page, "a2ui-table-answered");
    expect(errors).toEqual([]);
  });

  it("an offer form: the user fills it in, submits, and the model gets the values, typed", async () => {
    const model = await scriptModel([
      { toolCalls: [{ id: "call_form", name: "ui_form", arguments: offerForm.args }] },
      { text: "Offer sent to Grace Hopper." },
    ]);
    const { page, errors } = await openConsole(browser, ORCHESTRATOR);
    await say(page, `Make Grace Hopper an offer. ${model.marker}`);
    await expect.poll(() => taskState(page).textContent(), { timeout: 20_000 }).toBe("input required");
    const form = surface(page);
    const send = form.getByRole("button", { name: "Send offer" });
    await expect(send.isDisabled()).resolves.toBe(true); // required fields still empty
    await form.locator("input[type=number]").fill("95000");
    await form.locator("input[type=date]").fill("2027-03-01");
    await form.locator("textarea").fill("Welcome aboard!");
    await expect.poll(() => send.isDisabled()).toBe(false);
    await screenshot(page, "a2ui-form");
    await send.click();
    await expect.poll(() => taskState(page).textContent(), { timeout: 20_000 }).toBe("completed");
    const [, second] = await model.requests();
    expect(toolResultsSent(second!)).toContainEqual(
      expect.objectContaining({ action: "submit", values: { salary: 95000, startDate: "2027-03-01", contract: "permanent", remote: true, note: "Welcome aboard!" } }),
    );
    await expect(page.getByText("Offer sent to Grace Hopper.").isVisible()).resolves.toBe(true);
    await screenshot(page, "a2ui-form-submitted");
    expect(errors).toEqual([]);
  });
});

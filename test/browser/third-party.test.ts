import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, openConsole, say, screenshot, taskState } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("console: any A2A v1.0 agent, here the official @a2a-js/sdk server in its own process", () => {
  it("loads its card by URL, streams its answer and shows the task it made", async () => {
    const { page, errors } = await openConsole(browser);
    await page.fill("[data-testid=card-url]", inject("sdkCardUrl"));
    await page.click("form.agent-picker button");
    await expect.poll(() => page.locator("[data-testid=agent-name]").textContent()).toBe("SDK agent (third party)");
    await expect(page.locator("[data-testid=a2ui-badge]").textContent()).resolves.toBe("text only");
    await say(page, "ping from the console");
    await expect.poll(() => taskState(page).textContent(), { timeout: 15_000 }).toBe("completed");
    await expect(page.locator("[data-testid=artifact]").last().textContent()).resolves.toContain("Hello from the official SDK agent. You said: ping from the console");
    await page.click("[data-testid=tab-events]");
    expect(await page.locator("[data-testid=events] li").count()).toBeGreaterThan(5);
    await page.click("[data-testid=tab-card]");
    await expect(page.locator("[data-testid=signature]").textContent()).resolves.toBe("unsigned");
    await screenshot(page, "third-party-sdk-agent");
    expect(errors).toEqual([]);
  });
});

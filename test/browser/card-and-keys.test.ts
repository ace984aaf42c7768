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

describe("console: the card, its signature, and signing in", () => {
  it("shows the platform's card with its signature verified against the JWKS it names", async () => {
    const { page, errors } = await openConsole(browser);
    await page.click("[data-testid=tab-card]");
    await expect.poll(() => page.locator("[data-testid=signature]").textContent()).toBe("signature verified (browser-test)");
    await expect(page.locator("[data-testid=card] pre").textContent()).resolves.toContain('"protocolBinding": "JSONRPC"');
    await screenshot(page, "card-signature");
    expect(errors).toEqual([]);
  });

  it("an API key signs in: tasks are then the key's owner's, and a wrong key is refused", async () => {
    const { page, errors } = await openConsole(browser, "/agents/demo/.well-known/agent-card.json");
    await page.selectOption("form.sign-in select", "api-key");
    await page.fill("[data-testid=secret]", "ak_not_a_key");
    await page.click("[data-testid=sign-in]");
    await say(page, "who am I?");
    await expect.poll(() => page.locator("[data-testid=error]").last().textContent()).toContain("API key is not valid");
    await page.fill("[data-testid=secret]", inject("apiKey"));
    await page.click("[data-testid=sign-in]");
    await say(page, "hello as a recruiter");
    await expect.poll(() => taskState(page).textContent()).toBe("completed");
    // The task list is the key owner's: the anonymous tasks of other tests are not in it.
    await page.click("aside.tasks h3 button");
    await expect.poll(() => page.locator("[data-testid=task-list] li").count()).toBe(1);
    await screenshot(page, "signed-in");
    expect(errors).toEqual([]);
  });
});

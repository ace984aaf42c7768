import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cutConnections, launchBrowser, openConsole, say, screenshot, taskState } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("console: streaming, cancel and reconnect (demo agent's slow mode)", () => {
  it("a task cancelled from the console shows as cancelled", async () => {
    const { page, errors } = await openConsole(browser, "/agents/demo/.well-known/agent-card.json");
    await say(page, "take your time", { demoDelayMs: 30_000 });
    await expect.poll(() => taskState(page).textContent()).toBe("working");
    await page.click("[data-testid=cancel]");
    await expect.poll(() => taskState(page).textContent()).toBe("canceled");
    await page.click("[data-testid=tab-timeline]");
    await expect.poll(() => page.locator("[data-testid=timeline] li").allTextContents()).toEqual([
      expect.stringMatching(/^submitted/),
      expect.stringMatching(/^working/),
      expect.stringMatching(/^canceled/),
    ]);
    await expect(page.locator("[data-testid=cancel]").isDisabled()).resolves.toBe(true);
    await screenshot(page, "cancelled-task");
    expect(errors).toEqual([]);
  });

  it("a stream cut mid-answer resumes with Last-Event-ID: every chunk shows exactly once", async () => {
    const chunks = 40;
    const { page, errors } = await openConsole(browser, "/agents/demo/.well-known/agent-card.json");
    await say(page, "stream please", { demoChunks: chunks, demoIntervalMs: 80 });
    const artifact = page.locator("[data-testid=artifact]").last();
    await expect.poll(() => artifact.textContent(), { timeout: 10_000 }).toContain("chunk-8 ");
    expect(await cutConnections()).toBeGreaterThan(0);
    await expect.poll(() => page.locator("[data-testid=stream-state]").textContent(), { timeout: 5_000 }).toMatch(/reconnecting|streaming/);
    await expect.poll(() => taskState(page).textContent(), { timeout: 20_000 }).toBe("completed");
    const text = (await artifact.locator(".text").allTextContents()).join("");
    expect(text).toBe(Array.from({ length: chunks }, (_, i) => `chunk-${i + 1} `).join(""));
    await page.click("[data-testid=tab-timeline]");
    const stats = await page.locator("[data-testid=stream-stats]").textContent();
    expect(stats).toMatch(/[1-9]\d* reconnect\(s\)/);
    // The raw events: each event id once, in order, with no gap from the first to the last.
    await page.click("[data-testid=tab-events]");
    const ids = (await page.locator("[data-testid=events] summary").allTextContents()).map((summary) => Number(/^#(\d+)/.exec(summary)?.[1]));
    expect(ids.every(Number.isInteger)).toBe(true);
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => ids[0]! + i));
    await screenshot(page, "stream-resumed");
    expect(errors).toEqual([]);
  });
});

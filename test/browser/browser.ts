import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { inject } from "vitest";

/** Debian's Chromium (apt-get install chromium), never a downloaded browser; the flags TOOLCHAIN.md lists. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/**
 * A fresh page on the console, showing the agent whose card is at `card` (a path on the platform, or a URL).
 * Page errors fail the test that reads `errors`.
 */
export async function openConsole(browser: Browser, card = "/.well-known/agent-card.json"): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const cardUrl = new URL(card, inject("platformUrl")).href;
  await page.goto(`${inject("platformUrl")}/console/?agent=${encodeURIComponent(cardUrl)}`);
  await page.locator("[data-testid=agent-name]").waitFor();
  return { page, errors };
}

/** Types a message and sends it, with message metadata when given (the demo agent's slow mode reads it). */
export async function say(page: Page, text: string, metadata?: Record<string, unknown>): Promise<void> {
  if (metadata) {
    await page.locator("details.advanced summary").click();
    await page.fill("[data-testid=metadata]", JSON.stringify(metadata));
  }
  await page.fill("[data-testid=composer]", text);
  await page.click("[data-testid=send]");
}

/** The state the chat shows for the latest task ("working", "input required", "completed"…). */
export const taskState = (page: Page) => page.locator("[data-testid=task-state]").last();

/** Saves a screenshot under test/browser/screenshots (gitignored), for a person to look at after the run. */
export function screenshot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: join(inject("screenshots"), `${name}.png`) });
}

/** Cuts every open connection between the browser and the platform, as a network drop would. */
export async function cutConnections(): Promise<number> {
  const response = await fetch(`${inject("cutUrl")}/cut`, { method: "POST" });
  return ((await response.json()) as { cut: number }).cut;
}

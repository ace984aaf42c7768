import { defineConfig } from "vitest/config";

/**
 * The browser tests: Node-side (no workerd pool), Debian's Chromium driven by playwright-core against
 * `wrangler dev`, which test/browser/setup.ts starts once for all of them. Files run one after another: the
 * machine has two cores, and one browser at a time keeps timings honest. npm test runs this after the suite.
 */
export default defineConfig({
  test: {
    name: "browser",
    root: new URL("../..", import.meta.url).pathname,
    include: ["test/browser/**/*.test.ts"],
    globalSetup: ["test/browser/setup.ts"],
    fileParallelism: false,
    testTimeout: 45_000,
    hookTimeout: 90_000,
  },
});

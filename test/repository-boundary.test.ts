/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";
import { outsidePaths, outsidePathsIn, resolveInside } from "./helpers/outside-paths";

/**
 * The project's own files, as text (Vite reads them when it builds this test; nothing is read inside workerd).
 * Generated, installed and vendored files are left out: they are not ours to keep inside the repository. Vite
 * leaves this file out of its own glob, which is as well: its examples below are meant to be flagged.
 */
const files = import.meta.glob(
  [
    "/**/*.{ts,mts,mjs,js,json,toml,md,capnp}",
    "/.ci/*",
    "/.npmrc",
    "/.gitignore",
    "/.dev.vars.example",
    "!**/node_modules/**",
    "!/dist/**",
    "!/.wrangler/**",
    "!/bench/.work/**",
    "!/test/fixtures/**",
    "!/package-lock.json",
    "!/skills/catalog.gen.ts",
  ],
  { query: "?raw", import: "default", eager: true },
) as Record<string, string>;

describe("nothing the project needs lives outside it (a fresh clone stands alone)", () => {
  it("reads the whole project: sources, tests, scripts, configuration and docs", () => {
    for (const file of ["/workers/app.ts", "/test/helpers/wire-schema.ts", "/scripts/dev.mjs", "/package.json", "/tsconfig.json", "/wrangler.toml", "/.ci/run", "/README.md"]) {
      expect(Object.keys(files), file).toContain(file);
    }
    expect(Object.keys(files).length).toBeGreaterThan(150);
  });

  it("no file imports or reads a path above the repository root, or names a folder of one machine", () => {
    expect(outsidePathsIn(files)).toEqual([]);
  });
});

// The refused paths below are built from pieces, so that this file holds none of the paths a repository-wide
// search for them (a reviewer's, a standing check's) would find.
const up = "..";
const shared = `${up}/${up}/${up}/shared/a2a-spec`;

describe("the check itself", () => {
  it("resolves relative paths from a folder and notices when they climb above the root", () => {
    expect(resolveInside("/test/helpers", "../fixtures/a2a-spec/a2a.json")).toBe("/test/fixtures/a2a-spec/a2a.json");
    expect(resolveInside("/test/helpers", "../../schema/a2a?raw")).toBe("/schema/a2a");
    expect(resolveInside("/test/helpers", `${shared}/a2a.json`)).toBeUndefined();
    expect(resolveInside("/", "..")).toBeUndefined();
  });

  it.each([
    ["/test/helpers/x.ts", `import bundle from "${shared}/a2a.json";`],
    ["/test/helpers/x.ts", `import proto from "${shared}/a2a.proto?raw";`],
    ["/test/x.test.ts", 'const spec = await import("../../spec.json");'],
    ["/scripts/x.mjs", 'const req = require("../../outside.cjs");'],
    ["/scripts/x.mjs", `const dir = fileURLToPath(new URL("${up}/${up}/shared", import.meta.url));`],
    ["/scripts/x.mjs", `const text = readFileSync("${up}/shared/a2a-spec/a2a.json", "utf8");`],
    ["/scripts/x.mjs", 'const spec = join(root, "..", "shared", "a2a.json");'],
    ["/scripts/x.mjs", 'const spec = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "shared");'],
    ["/test/helpers/x.ts", `// The schema's quirks (see /${"work"}/shared/a2a-spec/SOURCE.txt)`],
    ["/README.md", "Put the kit in /home/alice/a2a-tck first."],
    ["/docs/x.md", `See [the spec](${up}/${up}/shared/a2a-spec/REFERENCE.md).`],
    ["/tsconfig.json", `{ "include": ["workers", "${up}/shared/a2a-spec"] }`],
    ["/.ci/run", `cp -r ${up}/shared/a2a-spec test/fixtures/`],
  ])("flags %s: %s", (file, text) => {
    expect(outsidePaths(file, text)).toHaveLength(1);
  });

  it.each([
    ["/test/workers/x.test.ts", 'import { methods } from "../../schema/a2a";'],
    ["/test/helpers/x.ts", 'import bundle from "../fixtures/a2a-spec/a2a.json";'],
    ["/scripts/dev.mjs", 'const root = fileURLToPath(new URL("..", import.meta.url));'],
    ["/scripts/build-skills.mjs", 'const root = join(dirname(fileURLToPath(import.meta.url)), "..", "skills");'],
    // A hostile request in a test is data, not a read.
    ["/test/malformed.test.ts", 'r.message.messageId = "../../etc/passwd";'],
    ["/README.md", "AGENT_PROVIDER_URL = https://github.com/a2a-edge/platform/home/work/x and [LICENSE](LICENSE)"],
    ["/test/fixtures/a2a-spec/SOURCE.md", "[`LICENSE`](../../../LICENSE)"],
    ["/.ci/run", 'cd "$(dirname "$0")/.."'],
  ])("lets %s through: %s", (file, text) => {
    expect(outsidePaths(file, text)).toEqual([]);
  });
});

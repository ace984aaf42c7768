import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** The platform behind the cut proxy: the console and every A2A call the browser makes go through it. */
    platformUrl: string;
    cutUrl: string;
    sdkCardUrl: string;
    /** The scripted OpenAI Chat Completions server's control URL (test/setup/openai-server.mjs). */
    modelControlUrl: string;
    apiKey: string;
    screenshots: string;
  }
}

/** The official SDK agent in its own Node process; resolves once it prints its port. */
async function startSdkAgent(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL("./sdk-agent.mjs", import.meta.url))], { stdio: ["ignore", "pipe", "inherit"] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`the SDK agent exited (${code}) before it was ready`)));
  });
  return { url: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`, child };
}

/**
 * The browser tests' world: a migrated PGlite, the scripted model server, `wrangler dev` on an ephemeral port
 * serving the console and the platform (test-only API key and card signing key, anonymous callers allowed as in
 * npm run dev), a cut proxy in front of it, and the official SDK agent as a third-party agent.
 */
export default async function setup(project: TestProject) {
  const { startLocalDatabase } = await import("../../scripts/local-db/index.mjs");
  const { startPlatform } = await import("./platform.mjs");
  const { startCutProxy } = await import("./cut-proxy.mjs");
  const { startOpenAIServer } = await import("../setup/openai-server.mjs");
  const { exportJWK, generateKeyPair } = await import("jose");

  const apiKey = `ak_browser_${randomBytes(18).toString("base64url")}`;
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: "browser-test", alg: "ES256" };
  const db = await startLocalDatabase({ databaseUrl: process.env.DATABASE_URL });
  const model = await startOpenAIServer();
  const [sdk, platform] = await Promise.all([
    startSdkAgent(),
    startPlatform({
      vars: {
        DATABASE_URL: db.databaseUrl,
        NEON_FETCH_ENDPOINT: db.fetchEndpoint,
        ALLOW_ANONYMOUS: "true",
        AUTH_API_KEYS: JSON.stringify([{ sha256: createHash("sha256").update(apiKey).digest("hex"), owner: "browser-recruiter", role: "recruiter" }]),
        SIGNING_KEYS: JSON.stringify([signingKey]),
        // The orchestrator's model: the scripted server; a message picks its script with a [[script:<id>]] marker.
        MODEL: "scripted",
        OPENAI_BASE_URL: model.url,
        OPENAI_API_KEY: "sk-scripted-browser-key-0123456789",
        MODEL_PRICES: JSON.stringify({ scripted: { input: 1, output: 2 } }),
        // The intent call stays offline, so a script answers only the loop's steps.
        INTENT_MODEL: "offline",
      },
    }),
  ]);
  const proxy = await startCutProxy(Number(new URL(platform.url).port));
  const screenshots = fileURLToPath(new URL("./screenshots/", import.meta.url));
  mkdirSync(screenshots, { recursive: true });

  project.provide("platformUrl", proxy.url);
  project.provide("cutUrl", proxy.controlUrl);
  project.provide("sdkCardUrl", `${sdk.url}/.well-known/agent-card.json`);
  project.provide("apiKey", apiKey);
  project.provide("modelControlUrl", model.controlUrl);
  project.provide("screenshots", screenshots);
  return async () => {
    await proxy.close();
    sdk.child.kill("SIGTERM");
    await platform.close();
    await model.close();
    await db.close();
  };
}

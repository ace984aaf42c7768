// A real MCP server for the MCP tool tests: the official SDK's McpServer over Streamable HTTP (stateless: a server
// and transport per request, as the SDK's stateless example does), on loopback. Its tools:
//   echo {text}                  → the text
//   add {a, b}                   → structuredContent {sum}, with an outputSchema
//   fail {reason}                → a result with isError: true
//   slow {ms}                    → answers after ms, unless the client goes away first (recorded as "abandoned")
//   record_event {key}           → counts calls per key (side effects, for "ran exactly once" checks); records _meta
//   lookup_candidate {id}        → read-only, idempotent (annotations)
// POST /mcp-auth is the same server behind `Authorization: Bearer mcp-test-token` (401 without it).
// Every call is recorded under the request's X-Test-Tag header, so test files running in parallel stay apart:
//   GET /__control/calls?tag=<tag>   {calls: [{tool, args, outcome, at}]}
import { createServer } from "node:http";
import { createRequire } from "node:module";

// globalSetup is resolved with the Workers conditions; the SDK's Node server and zod load as Node modules.
const require = createRequire(import.meta.url);
const { McpServer } = require("@modelcontextprotocol/sdk/server/mcp.js");
const { StreamableHTTPServerTransport } = require("@modelcontextprotocol/sdk/server/streamableHttp.js");
const { z } = require("zod");

export const MCP_TEST_TOKEN = "mcp-test-token";

export async function startMcpServer() {
  const calls = new Map(); // tag -> [{tool, args, outcome, at}]
  const counts = new Map(); // key -> n
  const record = (tag, tool, args, outcome) => {
    if (!calls.has(tag)) calls.set(tag, []);
    const entry = { tool, args, outcome, at: Date.now() };
    calls.get(tag).push(entry);
    return entry;
  };

  function mcpServer(tag, res) {
    const server = new McpServer({ name: "a2a-edge-test-mcp", version: "1.0.0" });
    server.registerTool("echo", { description: "Echoes the text back.", inputSchema: { text: z.string().min(1) }, annotations: { readOnlyHint: true } }, async ({ text }) => {
      record(tag, "echo", { text }, "ok");
      return { content: [{ type: "text", text }] };
    });
    server.registerTool(
      "add",
      { description: "Adds two numbers.", inputSchema: { a: z.number(), b: z.number() }, outputSchema: { sum: z.number() }, annotations: { readOnlyHint: true } },
      async ({ a, b }) => {
        record(tag, "add", { a, b }, "ok");
        return { content: [{ type: "text", text: String(a + b) }], structuredContent: { sum: a + b } };
      },
    );
    server.registerTool("fail", { description: "Always fails, saying why.", inputSchema: { reason: z.string() } }, async ({ reason }) => {
      record(tag, "fail", { reason }, "error");
      return { content: [{ type: "text", text: `failed: ${reason}` }], isError: true };
    });
    server.registerTool("slow", { description: "Answers after ms milliseconds.", inputSchema: { ms: z.number().int().min(0).max(60_000) } }, async ({ ms }) => {
      const entry = record(tag, "slow", { ms }, "started");
      const finished = await new Promise((resolve) => {
        const timer = setTimeout(() => resolve(true), ms);
        res.on("close", () => {
          clearTimeout(timer);
          resolve(false);
        });
      });
      entry.outcome = finished ? "ok" : "abandoned";
      return { content: [{ type: "text", text: `waited ${ms} ms` }] };
    });
    server.registerTool("record_event", { description: "Records an event under key.", inputSchema: { key: z.string() } }, async ({ key }, extra) => {
      counts.set(key, (counts.get(key) ?? 0) + 1);
      record(tag, "record_event", { key, meta: extra?._meta ?? null }, "ok");
      return { content: [{ type: "text", text: `recorded ${key} (${counts.get(key)})` }] };
    });
    server.registerTool(
      "lookup_candidate",
      { description: "Looks a candidate up by id.", inputSchema: { id: z.string() }, annotations: { readOnlyHint: true, idempotentHint: true } },
      async ({ id }) => {
        record(tag, "lookup_candidate", { id }, "ok");
        return { content: [{ type: "text", text: JSON.stringify({ id, name: "Ada Lovelace" }) }] };
      },
    );
    return server;
  }

  const http = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://mcp");
    if (url.pathname === "/__control/calls") {
      res.writeHead(200, { "Content-Type": "application/json" });
      return res.end(JSON.stringify({ calls: calls.get(url.searchParams.get("tag") ?? "") ?? [] }));
    }
    if (url.pathname !== "/mcp" && url.pathname !== "/mcp-auth") {
      res.writeHead(404).end();
      return;
    }
    if (url.pathname === "/mcp-auth" && req.headers.authorization !== `Bearer ${MCP_TEST_TOKEN}`) {
      res.writeHead(401, { "Content-Type": "application/json" });
      return res.end(JSON.stringify({ error: "unauthorized" }));
    }
    const tag = String(req.headers["x-test-tag"] ?? "");
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const text = Buffer.concat(chunks).toString("utf8");
    let body;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      res.writeHead(400).end();
      return;
    }
    const server = mcpServer(tag, res);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on("close", () => {
      transport.close();
      server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  });
  await new Promise((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address();
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    authUrl: `http://127.0.0.1:${port}/mcp-auth`,
    controlUrl: `http://127.0.0.1:${port}/__control`,
    close: () =>
      new Promise((resolve) => {
        http.closeAllConnections();
        http.close(resolve);
      }),
  };
}

import { Validator } from "@cfworker/json-schema";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { a2uiClientOf } from "../../../../../durable-objects/agents/orchestrator/tools/ui-client";
import { hostedAgent, type HostedAgent } from "../../../../../durable-objects/agents";
import { A2UI_CARD, A2UI_EXTENSION_URI, A2UI_V0_9_EXTENSION_URI, BASIC_CATALOG_ID } from "../../../../../schema/a2ui/extension";
import serverCapabilities from "../../../../../schema/a2ui/v0_9_1/json/server_capabilities.json";
import { buildAgentCard } from "../../../../../workers/card";
import { platformConfig } from "../../../../../workers/config";
import { activatedExtensions } from "../../../../../workers/extensions";

const OTHER_CATALOG = "https://example.com/catalog.json";
const noMetadata = { metadata: undefined };

describe("which clients get A2UI (REFERENCE §8)", () => {
  it("a client that activated the v0.9.1 extension, with or without capabilities", () => {
    expect(a2uiClientOf({ caller: { extensions: [A2UI_EXTENSION_URI] }, message: noMetadata })).toEqual({ version: "v0.9.1", catalogIds: [BASIC_CATALOG_ID] });
    expect(a2uiClientOf({ caller: { extensions: [A2UI_EXTENSION_URI] }, message: { metadata: { a2uiClientCapabilities: { "v0.9": { supportedCatalogIds: [OTHER_CATALOG] } } } } })).toEqual({
      version: "v0.9.1",
      catalogIds: [OTHER_CATALOG],
    });
  });

  it("a client that only sent a2uiClientCapabilities, under either version key", () => {
    for (const key of ["v0.9", "v0.9.1"]) {
      const message = { metadata: { a2uiClientCapabilities: { [key]: { supportedCatalogIds: [BASIC_CATALOG_ID] } } } };
      expect(a2uiClientOf({ caller: {}, message })).toEqual({ version: "v0.9.1", catalogIds: [BASIC_CATALOG_ID] });
    }
  });

  it("a client that activated only v0.9 is answered in v0.9", () => {
    expect(a2uiClientOf({ caller: { extensions: [A2UI_V0_9_EXTENSION_URI] }, message: noMetadata })?.version).toBe("v0.9");
  });

  it("anyone else gets text: no declaration, or capabilities that do not parse", () => {
    expect(a2uiClientOf({ caller: {}, message: noMetadata })).toBeUndefined();
    expect(a2uiClientOf({ caller: { extensions: ["https://example.com/other-extension"] }, message: { metadata: { other: 1 } } })).toBeUndefined();
    expect(a2uiClientOf({ caller: {}, message: { metadata: { a2uiClientCapabilities: { "v0.9": { supportedCatalogIds: "basic" } } } } })).toBeUndefined();
  });
});

describe("the A2UI extension on the card and in the extensions header", () => {
  const agent: HostedAgent = { ...hostedAgent("demo")!, id: "ui-agent", card: A2UI_CARD };
  const site = { agent, origin: "https://agent.test", prefix: "/agents/ui-agent", env };

  it("an agent with A2UI_CARD declares the extension with the basic catalog, and accepts A2UI parts", () => {
    const card = buildAgentCard(platformConfig(env), site);
    const extension = card.capabilities.extensions?.find((candidate) => candidate.uri === A2UI_EXTENSION_URI);
    expect(extension).toMatchObject({ required: false, params: { supportedCatalogIds: [BASIC_CATALOG_ID], acceptsInlineCatalogs: false } });
    const params = new Validator(serverCapabilities.properties["v0.9"] as never, "2020-12").validate(extension!.params);
    expect(params.valid).toBe(true);
    expect(card.defaultInputModes).toEqual(expect.arrayContaining(["application/a2ui+json", "application/json+a2ui"]));
    expect(card.defaultOutputModes).toContain("application/a2ui+json");
  });

  it("an agent without it declares no extension", () => {
    expect(buildAgentCard(platformConfig(env), { ...site, agent: hostedAgent("demo")! }).capabilities.extensions).toBeUndefined();
  });

  it("a request activates the declared extensions it names, in either header, and nothing else", () => {
    const headers = (name: string, value: string) => new Headers({ [name]: value });
    expect(activatedExtensions(headers("A2A-Extensions", `https://example.com/x, ${A2UI_EXTENSION_URI}`), site)).toEqual([A2UI_EXTENSION_URI]);
    expect(activatedExtensions(headers("X-A2A-Extensions", A2UI_V0_9_EXTENSION_URI), site)).toEqual([A2UI_V0_9_EXTENSION_URI]);
    expect(activatedExtensions(headers("A2A-Extensions", "https://example.com/x"), site)).toEqual([]);
    expect(activatedExtensions(headers("A2A-Extensions", A2UI_EXTENSION_URI), { ...site, agent: hostedAgent("demo")! })).toEqual([]);
  });
});

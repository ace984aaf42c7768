import { describe, expect, it } from "vitest";
import { checkSurface, validateClientMessage, validateServerMessage } from "../../../../../durable-objects/agents/orchestrator/tools/ui-validate";
import { BASIC_CATALOG_ID } from "../../../../../schema/a2ui/extension";

const V = "v0.9.1";
const components = (list: unknown[]) => ({ version: V, updateComponents: { surfaceId: "s", components: list } });

describe("A2UI validation against the vendored v0.9.1 schemas (@cfworker/json-schema)", () => {
  it("accepts the four server-to-client messages, data bindings, templates, function calls and checks", () => {
    const good = [
      { version: V, createSurface: { surfaceId: "s", catalogId: BASIC_CATALOG_ID, theme: { primaryColor: "#1A73E8" }, sendDataModel: true } },
      components([
        { id: "root", component: "Card", child: "body" },
        { id: "body", component: "List", children: { componentId: "row", path: "/rows" } },
        { id: "row", component: "Text", text: { path: "name" }, weight: 1 },
        {
          id: "go",
          component: "Button",
          child: "row",
          action: { event: { name: "go", context: { id: { path: "id" } } } },
          checks: [{ condition: { call: "not", args: { value: { path: "/answered" } }, returnType: "boolean" }, message: "no" }],
        },
        { id: "f", component: "TextField", label: "Email", value: { path: "/v/email" }, checks: [{ condition: { call: "required", args: { value: { path: "/v/email" } } }, message: "required" }] },
      ]),
      { version: "v0.9", updateDataModel: { surfaceId: "s", path: "/rows", value: [{ name: "a" }] } },
      { version: V, updateDataModel: { surfaceId: "s", path: "/draft" } },
      { version: V, deleteSurface: { surfaceId: "s" } },
    ];
    for (const message of good) expect(validateServerMessage(message)).toEqual({ valid: true });
  });

  it.each([
    ["a misspelt property", components([{ id: "root", component: "Card", chld: "body" }])],
    ["a component outside the basic catalog", components([{ id: "root", component: "Table", rows: [] }])],
    ["a v0.8-style wrapped component", components([{ id: "root", component: { Text: { text: "hi" } } }])],
    ["a Button without an action", components([{ id: "root", component: "Button", child: "x" }])],
    ["a function the catalog does not have", components([{ id: "t", component: "Text", text: { call: "shout", args: { value: "x" }, returnType: "string" } }])],
    ["a flat check without condition", components([{ id: "f", component: "TextField", label: "x", checks: [{ call: "required", args: { value: "x" }, message: "m" }] }])],
    ["two payloads in one message", { version: V, deleteSurface: { surfaceId: "s" }, createSurface: { surfaceId: "s", catalogId: BASIC_CATALOG_ID } }],
    ["an unknown version", { version: "v0.8", deleteSurface: { surfaceId: "s" } }],
    ["an empty component list", components([])],
  ])("refuses %s", (_what, message) => {
    const validation = validateServerMessage(message);
    expect(validation.valid).toBe(false);
    if (!validation.valid) expect(validation.errors.length).toBeGreaterThan(0);
  });

  it("checks a surface's component graph: one root, no duplicate ids, no dangling references", () => {
    expect(checkSurface([components([{ id: "root", component: "Card", child: "a" }, { id: "a", component: "Text", text: "x" }]) as never])).toEqual([]);
    expect(checkSurface([components([{ id: "main", component: "Card", child: "a" }, { id: "a", component: "Text", text: "x" }]) as never])).toContain("no component has id root");
    expect(checkSurface([components([{ id: "root", component: "Column", children: ["a", "b"] }, { id: "a", component: "Text", text: "x" }]) as never])).toContain(
      "component b is referenced but not defined",
    );
    expect(checkSurface([components([{ id: "root", component: "Text", text: "x" }, { id: "root", component: "Text", text: "y" }]) as never])).toContain("component id root is used twice");
  });

  it("client-to-server: an action needs name, surface, source component, timestamp and context", () => {
    const action = { name: "go", surfaceId: "s", sourceComponentId: "b", timestamp: "2026-12-01T10:00:00Z", context: { id: "c-1" } };
    expect(validateClientMessage({ version: V, action })).toEqual({ valid: true });
    expect(validateClientMessage({ version: V, error: { code: "VALIDATION_FAILED", surfaceId: "s", path: "/components/0", message: "bad" } })).toEqual({ valid: true });
    const { timestamp: _t, ...untimed } = action;
    expect(validateClientMessage({ version: V, action: untimed }).valid).toBe(false);
    expect(validateClientMessage({ version: V, action, error: { code: "X", surfaceId: "s", message: "m" } }).valid).toBe(false);
  });
});

import type { Message } from "../../../../schema/a2a";
import { A2UI_EXTENSION_URI, A2UI_V0_9_EXTENSION_URI, BASIC_CATALOG_ID, type A2uiClient } from "../../../../schema/a2ui/extension";
import { A2uiClientCapabilitiesSchema } from "../../../../schema/a2ui/messages";

/**
 * Whether the client that sent `message` renders A2UI, and which version and catalogs: from the A2UI extension it
 * activated (`A2A-Extensions`, v0.3 `X-A2A-Extensions`; `caller.extensions` holds those the card declares), or from
 * `message.metadata.a2uiClientCapabilities` (which works without activation, REFERENCE §8). Undefined: the UI
 * tools answer in plain text. The orchestrator puts the result on each tool call's `ToolContext.a2ui`.
 */
export function a2uiClientOf(request: { caller: { extensions?: readonly string[] }; message: Pick<Message, "metadata"> }): A2uiClient | undefined {
  const extensions = request.caller.extensions ?? [];
  // Only a client that activated v0.9 alone is answered in v0.9; the v0.9.1 capability schema itself requires the
  // "v0.9" key, so that key says nothing about the version.
  const version = extensions.includes(A2UI_V0_9_EXTENSION_URI) && !extensions.includes(A2UI_EXTENSION_URI) ? "v0.9" : "v0.9.1";
  const declared = A2uiClientCapabilitiesSchema.safeParse(request.message.metadata?.a2uiClientCapabilities);
  if (declared.success) {
    const catalogs = declared.data["v0.9.1"] ?? declared.data["v0.9"];
    if (catalogs) return { version, catalogIds: catalogs.supportedCatalogIds };
  }
  // Activation without capabilities: every renderer has the basic catalog, the only one the card offers.
  if (extensions.includes(A2UI_EXTENSION_URI) || extensions.includes(A2UI_V0_9_EXTENSION_URI)) return { version, catalogIds: [BASIC_CATALOG_ID] };
  return undefined;
}

/** The client renders what the UI tools build: A2UI with the basic catalog. */
export const rendersBasicCatalog = (client: A2uiClient | undefined): client is A2uiClient => client?.catalogIds.includes(BASIC_CATALOG_ID) ?? false;

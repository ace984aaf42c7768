/** A2UI v0.9.1 over A2A: the extension an agent card declares and a client activates. No imports: the console bundles this file too. */
export const A2UI_EXTENSION_URI = "https://a2ui.org/a2a-extension/a2ui/v0.9.1";
/** v0.9 is wire-identical apart from the URI and the part's media type; clients that ask for it get the same. */
export const A2UI_V0_9_EXTENSION_URI = "https://a2ui.org/a2a-extension/a2ui/v0.9";
export const A2UI_VERSION = "v0.9.1";

/** The media type of a data part holding A2UI messages (v0.9.1), and the one v0.8/v0.9 used (accepted on input). */
export const A2UI_MEDIA_TYPE = "application/a2ui+json";
export const A2UI_LEGACY_MEDIA_TYPE = "application/json+a2ui";
export const A2UI_MEDIA_TYPES: readonly string[] = [A2UI_MEDIA_TYPE, A2UI_LEGACY_MEDIA_TYPE];

/** The basic catalog's id keeps the v0_9 path in v0.9.1 (upstream #2000/#2017). */
export const BASIC_CATALOG_ID = "https://a2ui.org/specification/v0_9/catalogs/basic/catalog.json";

/**
 * What an agent card lists in `capabilities.extensions` for A2UI: `params` is the version object of
 * `server_capabilities.json`. Not required, so clients without A2UI still talk to the agent (and get text).
 */
export const A2UI_CARD_EXTENSIONS = [
  {
    uri: A2UI_EXTENSION_URI,
    description: "Renders tables, buttons, forms and confirmations as A2UI v0.9.1 surfaces (basic catalog); clients without A2UI get text.",
    required: false,
    params: { supportedCatalogIds: [BASIC_CATALOG_ID], acceptsInlineCatalogs: false },
  },
  {
    uri: A2UI_V0_9_EXTENSION_URI,
    description: "A2UI v0.9 clients get the same surfaces.",
    required: false,
    params: { supportedCatalogIds: [BASIC_CATALOG_ID], acceptsInlineCatalogs: false },
  },
];

/** `HostedAgent.card` for an agent with the UI tools: the extensions, and A2UI parts in and out. */
export const A2UI_CARD = { extensions: A2UI_CARD_EXTENSIONS, inputModes: A2UI_MEDIA_TYPES, outputModes: [A2UI_MEDIA_TYPE] };

/** A client able to render A2UI: the version it speaks and the catalogs it has. */
export interface A2uiClient {
  version: "v0.9.1" | "v0.9";
  catalogIds: readonly string[];
}

import { z } from "zod";

/**
 * A2UI v0.9.1 messages. The vendored JSON schemas (`v0_9_1/`) are the source of truth and every outgoing message
 * is validated against them; these zod schemas only give the envelopes a type, and check what comes back from a
 * client (untrusted) before the JSON Schema does.
 */
const Version = z.enum(["v0.9", "v0.9.1"]);
const SurfaceId = z.string().min(1).max(256);

/** One component: `{ id, component: "<Type>", ...props }` (flat, as v0.9 has it). */
export const A2uiComponentSchema = z.object({ id: z.string().min(1), component: z.string().min(1) }).loose();
export type A2uiComponent = z.infer<typeof A2uiComponentSchema>;

export const A2uiServerMessageSchema = z.union([
  z.strictObject({
    version: Version,
    createSurface: z.object({ surfaceId: SurfaceId, catalogId: z.string(), theme: z.record(z.string(), z.unknown()).optional(), sendDataModel: z.boolean().optional() }),
  }),
  z.strictObject({ version: Version, updateComponents: z.object({ surfaceId: SurfaceId, components: z.array(A2uiComponentSchema).min(1) }) }),
  z.strictObject({ version: Version, updateDataModel: z.object({ surfaceId: SurfaceId, path: z.string().optional(), value: z.unknown().optional() }) }),
  z.strictObject({ version: Version, deleteSurface: z.object({ surfaceId: SurfaceId }) }),
]);
export type A2uiServerMessage = z.infer<typeof A2uiServerMessageSchema>;

/** A user action from a rendered component (client → agent): `context` has every data binding resolved. */
export const A2uiActionSchema = z.object({
  name: z.string().min(1).max(128),
  surfaceId: SurfaceId,
  sourceComponentId: z.string().min(1).max(256),
  timestamp: z.string().max(64),
  context: z.record(z.string(), z.json()),
});
export type A2uiAction = z.infer<typeof A2uiActionSchema>;

/** A client-side error report, e.g. a message that failed the renderer's validation. */
export const A2uiClientErrorSchema = z
  .object({ code: z.string().max(64), surfaceId: SurfaceId, message: z.string().max(4000), path: z.string().max(1024).optional() })
  .loose();
export type A2uiClientError = z.infer<typeof A2uiClientErrorSchema>;

export const A2uiClientMessageSchema = z.union([
  z.strictObject({ version: Version, action: A2uiActionSchema }),
  z.strictObject({ version: Version, error: A2uiClientErrorSchema }),
]);
export type A2uiClientMessage = z.infer<typeof A2uiClientMessageSchema>;

const VersionCapabilities = z.object({ supportedCatalogIds: z.array(z.string()).max(64) }).loose();

/**
 * `message.metadata.a2uiClientCapabilities`, keyed by A2UI version. The v0.9.1 schema requires the "v0.9" key,
 * the extension doc and later upstream use "v0.9.1": read whichever is present.
 */
export const A2uiClientCapabilitiesSchema = z
  .object({ "v0.9.1": VersionCapabilities.optional(), "v0.9": VersionCapabilities.optional() })
  .loose();

import { A2uiSurface, basicCatalog } from "@a2ui/lit/v0_9";
import { MessageProcessor, type A2uiClientAction, type SurfaceModel } from "@a2ui/web_core/v0_9";
import { A2UI_MEDIA_TYPES, A2UI_VERSION } from "../../../schema/a2ui/extension";
import type { Part } from "../a2a/types";

// The official renderer's <a2ui-surface> element: imported so the bundle registers it.
void A2uiSurface;

/** A part carrying A2UI messages: by `mediaType` or `metadata.mimeType`, in v0.9.1's or v0.9's type. */
export function isA2uiPart(part: Part): boolean {
  const mimeType = (part.metadata as { mimeType?: unknown } | undefined)?.mimeType;
  return part.data !== undefined && (A2UI_MEDIA_TYPES.includes(part.mediaType ?? "") || (typeof mimeType === "string" && A2UI_MEDIA_TYPES.includes(mimeType)));
}

/**
 * The A2UI surfaces of one conversation, kept by the official message processor (@a2ui/web_core) and drawn by
 * the official Lit renderer. Each A2UI part is processed once (a re-render or a replayed snapshot must not create
 * a surface twice); one message that fails is reported and the rest of the list still applies (REFERENCE §2).
 */
export class A2uiHost {
  private readonly processor: MessageProcessor<any>;
  private readonly processed = new Map<string, string[]>();
  readonly errors: string[] = [];

  constructor(onAction: (action: A2uiClientAction) => void) {
    this.processor = new MessageProcessor([basicCatalog], (action) => onAction(action), { version: A2UI_VERSION });
  }

  /** Processes a part's messages once, keyed by where the part sits; returns the surfaces it created. */
  process(key: string, part: Part): string[] {
    const known = this.processed.get(key);
    if (known) return known;
    const messages = Array.isArray(part.data) ? part.data : [part.data];
    const created: string[] = [];
    for (const message of messages) {
      try {
        this.processor.processMessages([message as never]);
        const surfaceId = (message as { createSurface?: { surfaceId?: string } }).createSurface?.surfaceId;
        if (surfaceId) created.push(surfaceId);
      } catch (error) {
        this.errors.push(`${key}: ${(error as Error).message}`);
      }
    }
    this.processed.set(key, created);
    return created;
  }

  surface(id: string): SurfaceModel<any> | undefined {
    return this.processor.model.getSurface(id);
  }

  /** `message.metadata` for every message sent: what this console renders (both version keys, REFERENCE §8). */
  metadata(): Record<string, unknown> {
    const catalogs = { supportedCatalogIds: [basicCatalog.id] };
    const dataModel = this.processor.getClientDataModel("v0.9.1");
    return { a2uiClientCapabilities: { "v0.9": catalogs, "v0.9.1": catalogs }, ...(dataModel ? { a2uiClientDataModel: dataModel } : {}) };
  }
}

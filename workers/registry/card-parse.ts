import { z } from "zod";
import type { Binding, SkillSummary } from "./entry";

/** What the registry keeps from a card, whichever version shaped it. */
export interface CardFacts {
  name: string;
  description: string;
  /** "0.3" when the document has v0.3's top-level `url`, else "1.0". */
  shape: "1.0" | "0.3";
  bindings: Binding[];
  protocolVersions: string[];
  skills: SkillSummary[];
  streaming: boolean;
}

const text = (max: number) => z.string().max(max);

const SkillSchema = z.looseObject({
  id: text(256),
  name: text(256),
  description: text(4096).default(""),
  tags: z.array(text(128)).max(64).default([]),
  examples: z.array(text(1024)).max(32).default([]),
});

const InterfaceSchema = z.looseObject({ url: text(2048).min(1), protocolBinding: text(256).min(1), protocolVersion: text(16).optional() });
const V03InterfaceSchema = z.looseObject({ url: text(2048).min(1), transport: text(256).min(1) });

const CardSchema = z.looseObject({
  name: text(512).min(1),
  description: text(8192).default(""),
  supportedInterfaces: z.array(InterfaceSchema).max(32).optional(),
  // v0.3
  url: text(2048).optional(),
  preferredTransport: text(256).optional(),
  protocolVersion: text(16).optional(),
  additionalInterfaces: z.array(V03InterfaceSchema).max(32).optional(),
  capabilities: z.looseObject({ streaming: z.boolean().optional() }).default({}),
  skills: z.array(SkillSchema).max(256).default([]),
});

/** "0.3.0" → "0.3", "1.0" → "1.0"; a v0.3 interface without a version is 0.3. */
const majorMinor = (version: string | undefined, fallback: string) => /^(\d+)\.(\d+)/.exec(version ?? "")?.slice(1, 3).join(".") ?? fallback;

/**
 * What a card says, from either shape: v1.0 `supportedInterfaces` (each with its protocolVersion), or v0.3
 * `url` + `preferredTransport` (default JSONRPC) + `additionalInterfaces`, all at the card's `protocolVersion`.
 * A card with both (the official SDK's v0.3 card embeds the v1.0 list) is read from `supportedInterfaces`.
 * Throws a message fit for the admin when the document is no agent card.
 */
export function parseCard(json: unknown): CardFacts {
  const parsed = CardSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`not an agent card: ${issue.path.join(".") || "(root)"} ${issue.message}`);
  }
  const card = parsed.data;
  let bindings: Binding[];
  if (card.supportedInterfaces && card.supportedInterfaces.length > 0) {
    bindings = card.supportedInterfaces.map((i) => ({ url: i.url, binding: i.protocolBinding, version: majorMinor(i.protocolVersion, "1.0") }));
  } else if (card.url) {
    const version = majorMinor(card.protocolVersion, "0.3");
    bindings = [
      { url: card.url, binding: card.preferredTransport ?? "JSONRPC", version },
      ...(card.additionalInterfaces ?? []).map((i) => ({ url: i.url, binding: i.transport, version })),
    ];
  } else {
    throw new Error("not an agent card: it has neither supportedInterfaces (v1.0) nor url (v0.3)");
  }
  const unique = bindings.filter((b, i) => bindings.findIndex((o) => o.url === b.url && o.binding === b.binding && o.version === b.version) === i);
  return {
    name: card.name,
    description: card.description,
    // v0.3's top-level `url` marks a v0.3 document, even one that embeds the v1.0 list.
    shape: card.url !== undefined ? "0.3" : "1.0",
    bindings: unique,
    protocolVersions: [...new Set(unique.map((b) => b.version))].sort().reverse(),
    skills: card.skills.map(({ id, name, description, tags, examples }) => ({ id, name, description, tags, examples })),
    streaming: card.capabilities.streaming === true,
  };
}

/** The bindings a client here can speak: JSON-RPC and HTTP+JSON at v1.0 or v0.3. */
export const usableBindings = (bindings: Binding[]) =>
  bindings.filter((b) => (b.binding === "JSONRPC" || b.binding === "HTTP+JSON") && (b.version === "1.0" || b.version === "0.3"));

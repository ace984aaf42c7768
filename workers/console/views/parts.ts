import { html, nothing, type TemplateResult } from "lit";
import { isA2uiPart } from "../a2ui/host";
import type { Part } from "../a2a/types";
import type { Conversation } from "../state/conversation";

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** A tool call or result of this platform's orchestrator (`{ toolCall }` / `{ toolResult }` data parts). */
function toolChip(data: Record<string, any>): TemplateResult | undefined {
  if (data.toolCall) {
    return html`<details class="tool" data-testid="tool-call"><summary>⚙ ${data.toolCall.name}</summary><pre>${json(data.toolCall.args)}</pre></details>`;
  }
  if (data.toolResult) {
    const { name, value, isError } = data.toolResult;
    return html`<details class="tool ${isError ? "error" : ""}" data-testid="tool-result"><summary>↳ ${name}${isError ? " failed" : ""}</summary><pre>${json(value)}</pre></details>`;
  }
  return undefined;
}

/**
 * One part as the chat shows it: text, the A2UI surfaces it created (drawn by the official renderer), a user's
 * A2UI action, a tool call, other data as JSON, a file by name.
 */
export function renderPart(conversation: Conversation, key: string, part: Part, role: string): TemplateResult | typeof nothing {
  if (part.text !== undefined) return html`<div class="text">${part.text}</div>`;
  if (isA2uiPart(part)) {
    if (role === "ROLE_USER") {
      const actions = (Array.isArray(part.data) ? part.data : [part.data]) as { action?: { name: string; context?: unknown } }[];
      return html`${actions.map((m) => (m.action ? html`<div class="action" data-testid="sent-action">▶ ${m.action.name} ${json(m.action.context ?? {})}</div>` : nothing))}`;
    }
    const created = conversation.host.process(key, part);
    return html`${created.map((id) => {
      const surface = conversation.host.surface(id);
      return surface ? html`<a2ui-surface class="surface" data-surface-id=${id} .surface=${surface}></a2ui-surface>` : html`<div class="muted">(surface ${id} was removed)</div>`;
    })}`;
  }
  if (part.data !== undefined) {
    const chip = part.data && typeof part.data === "object" ? toolChip(part.data as Record<string, any>) : undefined;
    return chip ?? html`<details class="data"><summary>data</summary><pre>${json(part.data)}</pre></details>`;
  }
  // Only web URLs become links: an agent's `javascript:` or `data:` URL must not run in the console's origin.
  if (part.url !== undefined && /^https?:\/\//i.test(part.url)) {
    return html`<a class="file" href=${part.url} target="_blank" rel="noopener noreferrer">${part.filename ?? part.url}</a>`;
  }
  if (part.url !== undefined) return html`<div class="file">🔗 ${part.filename ?? part.url}</div>`;
  return html`<div class="file">📎 ${part.filename ?? "file"} ${part.mediaType ?? ""}</div>`;
}

import { html, nothing, type TemplateResult } from "lit";
import { isA2uiPart } from "../a2ui/host";
import type { Message, Part } from "../a2a/types";
import type { Conversation } from "../state/conversation";
import { textOf, type TaskView } from "../state/task-view";
import { renderPart } from "./parts";

export const stateLabel = (state: string) => state.replace(/^TASK_STATE_/, "").toLowerCase().replace(/_/g, " ");

/** Parts in order, with runs of text parts (a streamed answer's chunks) joined into one block of text. */
function renderParts(conversation: Conversation, key: string, parts: Part[], role: string, hideText = false): unknown[] {
  const out: unknown[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length && !hideText) out.push(html`<div class="text">${run.join("")}</div>`);
    run = [];
  };
  parts.forEach((part, i) => {
    if (part.text !== undefined) return void run.push(part.text);
    flush();
    out.push(renderPart(conversation, `${key}:${i}`, part, role));
  });
  flush();
  return out;
}

/** Parts that show something: text (unless hidden), surfaces a part created, anything not A2UI. */
function shows(conversation: Conversation, message: Message, hideText: boolean): boolean {
  return message.parts.some((part, i) => {
    if (part.text !== undefined) return !hideText && part.text !== "";
    if (isA2uiPart(part)) return message.role === "ROLE_USER" || conversation.host.process(`m:${message.messageId}:${i}`, part).length > 0;
    return true;
  });
}

function bubble(conversation: Conversation, message: Message, hideText = false): TemplateResult | typeof nothing {
  // A message that only updates a surface already on screen (or a duplicate answer) has nothing of its own to show.
  if (!shows(conversation, message, hideText)) return nothing;
  const who = message.role === "ROLE_USER" ? "user" : "agent";
  const kind = (message.metadata as { orchestration?: { kind?: string } } | undefined)?.orchestration?.kind;
  return html`<div class="bubble ${who} ${kind ?? ""}" data-testid="message" data-message-id=${message.messageId}>
    ${renderParts(conversation, `m:${message.messageId}`, message.parts, message.role, hideText)}
  </div>`;
}

/** A task's messages and artifacts in arrival order, then its state. */
function renderTask(conversation: Conversation, view: TaskView): TemplateResult {
  const artifactTexts = new Set((view.task.artifacts ?? []).map((artifact) => textOf(artifact.parts)).filter(Boolean));
  return html`<div class="task" data-testid="task" data-task-id=${view.task.id}>
    ${view.entries.map((entry) => {
      if (entry.kind === "message") {
        const message = view.task.history?.find((m) => m.messageId === entry.id);
        if (!message) return nothing;
        // An answer streamed into an artifact also ends the task as its status message: show it once.
        const duplicate = message.role === "ROLE_AGENT" && artifactTexts.has(textOf(message.parts));
        return bubble(conversation, message, duplicate);
      }
      const artifact = view.task.artifacts?.find((a) => a.artifactId === entry.id);
      if (!artifact) return nothing;
      return html`<div class="bubble agent artifact" data-testid="artifact" data-artifact-id=${artifact.artifactId}>
        ${artifact.name ? html`<div class="artifact-name">${artifact.name}</div>` : nothing}
        ${renderParts(conversation, `a:${artifact.artifactId}`, artifact.parts, "ROLE_AGENT")}
      </div>`;
    })}
    <div class="task-state state-${stateLabel(view.task.status.state).replace(/ /g, "-")}" data-testid="task-state">${stateLabel(view.task.status.state)}</div>
  </div>`;
}

export function renderChat(conversation: Conversation | undefined): TemplateResult {
  if (!conversation) return html`<div class="empty">Pick an agent to start.</div>`;
  const inTasks = new Set([...conversation.views.values()].flatMap((view) => (view.task.history ?? []).map((m) => m.messageId)));
  return html`${conversation.items.map((item) => {
    if (item.kind === "task") {
      const view = conversation.views.get(item.taskId);
      return view ? renderTask(conversation, view) : nothing;
    }
    if (item.kind === "user" && inTasks.has(item.message.messageId)) return nothing;
    return bubble(conversation, item.message);
  })}`;
}

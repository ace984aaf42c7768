import { html, nothing, type TemplateResult } from "lit";
import type { AgentCard } from "../a2a/types";
import type { SignatureStatus } from "../card/signature";
import { childTasksOf } from "../state/children";
import type { Conversation } from "../state/conversation";
import type { TaskView } from "../state/task-view";
import { usageOf } from "../state/usage";
import { stateLabel } from "./chat";

export const TABS = ["timeline", "history", "artifacts", "events", "children", "usage", "card"] as const;
export type Tab = (typeof TABS)[number];

const json = (value: unknown) => JSON.stringify(value, null, 2);
const time = (at: string | undefined) =>
  at ? new Date(at).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", fractionalSecondDigits: 3, hour12: false } as Intl.DateTimeFormatOptions) : "";
const usd = (value: number | undefined) => (value === undefined ? "" : `$${value.toFixed(value < 0.01 ? 6 : 4)}`);

function timeline(view: TaskView): TemplateResult {
  return html`<ol class="timeline" data-testid="timeline">
    ${view.timeline.map((entry) => html`<li><span class="state">${stateLabel(entry.state)}</span> <span class="muted">${time(entry.at)}${entry.eventId !== undefined ? ` · event ${entry.eventId}` : ""}</span></li>`)}
  </ol>`;
}

function usage(view: TaskView): TemplateResult {
  const run = usageOf(view.task);
  if (!run) return html`<p class="muted">This task carries no <code>metadata.orchestration</code>: the agent reports no usage.</p>`;
  return html`<div data-testid="usage">
    <p>${run.model ?? "?"} · role ${run.role ?? "?"}${run.skill ? ` · skill ${run.skill}` : ""}${run.stopReason ? ` · stopped: ${run.stopReason}` : ""}</p>
    ${run.intent ? html`<p class="muted">intent ${run.intent.skill} (${run.intent.source}, ${run.intent.confidence})</p>` : nothing}
    <table>
      <thead><tr><th>step</th><th>kind</th><th>in</th><th>out</th><th>cost</th><th>ms</th></tr></thead>
      <tbody>
        ${run.steps.map(
          (step) => html`<tr class=${step.isError ? "error" : ""}>
            <td>${step.step ?? ""}</td><td>${step.kind}${step.name ? ` ${step.name}` : ""}</td>
            <td>${step.inputTokens ?? ""}</td><td>${step.outputTokens ?? ""}</td><td>${usd(step.costUsd)}</td><td>${step.durationMs ?? ""}</td>
          </tr>`,
        )}
      </tbody>
      <tfoot><tr><th colspan="2">total</th><th>${run.totals.inputTokens}</th><th>${run.totals.outputTokens}</th><th>${usd(run.totals.costUsd)}</th><th></th></tr></tfoot>
    </table>
    ${run.byLevel ? html`<p class="muted">tokens by level: ${Object.entries(run.byLevel).map(([level, tokens]) => `${level} ${tokens}`).join(" · ")}</p>` : nothing}
  </div>`;
}

function signature(status: SignatureStatus | undefined): TemplateResult {
  if (!status) return html`<span class="badge">checking signature…</span>`;
  switch (status.kind) {
    case "unsigned":
      return html`<span class="badge" data-testid="signature">unsigned</span>`;
    case "verified":
      return html`<span class="badge ok" data-testid="signature" title=${status.jku}>signature verified (${status.kid})${status.sameOrigin ? "" : " — keys from another origin"}</span>`;
    case "invalid":
      return html`<span class="badge bad" data-testid="signature">signature invalid: ${status.reason}</span>`;
    case "unverifiable":
      return html`<span class="badge warn" data-testid="signature">signature not checked: ${status.reason}</span>`;
  }
}

export function renderCard(card: AgentCard | undefined, status: SignatureStatus | undefined): TemplateResult {
  if (!card) return html`<p class="muted">No card loaded.</p>`;
  return html`<div data-testid="card">${signature(status)}<pre>${json(card)}</pre></div>`;
}

export function renderInspector(conversation: Conversation | undefined, tab: Tab, card: AgentCard | undefined, status: SignatureStatus | undefined): TemplateResult {
  const view = conversation?.current;
  if (tab === "card") return renderCard(card, status);
  if (!view) return html`<p class="muted">No task yet.</p>`;
  const task = view.task;
  switch (tab) {
    case "timeline":
      return html`<p><code>${task.id}</code><br /><span class="muted">context ${task.contextId}</span></p>${timeline(view)}
        <p class="muted" data-testid="stream-stats">stream: ${conversation!.stream.state}, ${conversation!.stream.reconnects} reconnect(s), ${conversation!.stream.duplicatesDropped} duplicate event(s) dropped</p>`;
    case "history":
      return html`${(task.history ?? []).map((message) => html`<details class="raw"><summary>${message.role === "ROLE_USER" ? "user" : "agent"} · ${message.messageId}</summary><pre>${json(message)}</pre></details>`)}`;
    case "artifacts":
      return (task.artifacts ?? []).length
        ? html`${(task.artifacts ?? []).map((artifact) => html`<details class="raw"><summary>${artifact.name ?? artifact.artifactId} · ${artifact.parts.length} part(s)</summary><pre>${json(artifact)}</pre></details>`)}`
        : html`<p class="muted">No artifacts.</p>`;
    case "events":
      return html`<ol class="events" data-testid="events">
        ${view.events.map((event) => html`<li><details class="raw"><summary>${event.id !== undefined ? `#${event.id} ` : ""}${event.kind} <span class="muted">${time(event.at)}</span></summary><pre>${event.raw}</pre></details></li>`)}
      </ol>`;
    case "children": {
      const children = childTasksOf(task);
      return children.length
        ? html`<ul data-testid="children">${children.map((child) => html`<li><code>${child.id}</code> ${child.agent ?? ""} ${child.state ? stateLabel(child.state) : ""} <span class="muted">(${child.via})</span></li>`)}</ul>`
        : html`<p class="muted">No child tasks named in this task.</p>`;
    }
    case "usage":
      return usage(view);
  }
}

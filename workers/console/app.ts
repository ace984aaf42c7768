import { ContextProvider } from "@lit/context";
import { Context } from "@a2ui/lit/v0_9";
import { LitElement, html, nothing } from "lit";
import { A2AClient, type Credentials } from "./a2a/client";
import type { AgentCard, Task } from "./a2a/types";
import { simpleMarkdown } from "./a2ui/markdown";
import { verifyCard, type SignatureStatus } from "./card/signature";
import { Conversation } from "./state/conversation";
import { renderChat, stateLabel } from "./views/chat";
import { TABS, renderInspector, type Tab } from "./views/inspector";

interface AgentChoice {
  label: string;
  cardUrl: string;
}

const credentialsKey = (cardUrl: string) => `a2a-console:credentials:${new URL(cardUrl).origin}`;

/** The card URL of an agent given as a card URL or as its base URL. */
const cardUrlOf = (input: string) => {
  const url = new URL(input.trim(), location.href);
  return url.pathname.endsWith(".json") ? url.href : `${url.href.replace(/\/+$/, "")}/.well-known/agent-card.json`;
};

/**
 * The console: pick an agent (this platform's hosted agents, or any A2A card URL), sign in, chat with streaming
 * and A2UI surfaces, and inspect the current task. Light DOM, one stylesheet; lit only re-renders what changed.
 */
export class A2aConsole extends LitElement {
  static override properties = {
    agents: { state: true },
    cardUrl: { state: true },
    card: { state: true },
    cardError: { state: true },
    signature: { state: true },
    credentials: { state: true },
    tasks: { state: true },
    tab: { state: true },
    busy: { state: true },
  };

  declare agents: AgentChoice[];
  declare cardUrl: string;
  declare card: AgentCard | undefined;
  declare cardError: string | undefined;
  declare signature: SignatureStatus | undefined;
  declare credentials: Credentials;
  declare tasks: Task[] | undefined;
  declare tab: Tab;
  declare busy: boolean;
  private conversation: Conversation | undefined;
  private client: A2AClient | undefined;

  constructor() {
    super();
    this.agents = [];
    this.cardUrl = "";
    this.card = undefined;
    this.cardError = undefined;
    this.signature = undefined;
    this.credentials = { kind: "none" };
    this.tasks = undefined;
    this.tab = "timeline";
    this.busy = false;
    // Text components of every surface below render their simple Markdown with this.
    new ContextProvider(this, { context: Context.markdown, initialValue: simpleMarkdown });
  }

  protected override createRenderRoot() {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.boot();
  }

  private async boot(): Promise<void> {
    const requested = new URL(location.href).searchParams.get("agent");
    try {
      const index = (await (await fetch("/", { headers: { Accept: "application/json" } })).json()) as { agentCard?: string; name?: string; agents?: { id: string; agentCard: string }[] };
      this.agents = [
        ...(index.agentCard ? [{ label: `${index.name ?? "root agent"} (root)`, cardUrl: index.agentCard }] : []),
        ...(index.agents ?? []).map((agent) => ({ label: agent.id, cardUrl: agent.agentCard })),
      ];
    } catch {
      this.agents = [];
    }
    const first = requested ?? this.agents[0]?.cardUrl;
    if (first) await this.loadAgent(first);
  }

  private async loadAgent(input: string): Promise<void> {
    this.conversation?.stop();
    this.conversation = undefined;
    this.card = undefined;
    this.signature = undefined;
    this.tasks = undefined;
    try {
      this.cardUrl = cardUrlOf(input);
      const response = await fetch(this.cardUrl, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      this.card = (await response.json()) as AgentCard;
      this.cardError = undefined;
      const saved = sessionStorage.getItem(credentialsKey(this.cardUrl));
      this.credentials = saved ? (JSON.parse(saved) as Credentials) : { kind: "none" };
      const url = new URL(location.href);
      url.searchParams.set("agent", this.cardUrl);
      history.replaceState(null, "", url);
      this.connect();
      void verifyCard(this.card, this.cardUrl).then((status) => (this.signature = status));
    } catch (error) {
      this.cardError = `Could not load the agent card from ${input}: ${(error as Error).message}`;
    }
  }

  /** A fresh client and conversation for the card and credentials in force. */
  private connect(): void {
    if (!this.card) return;
    this.conversation?.stop();
    try {
      this.client = new A2AClient(this.card, this.credentials);
      this.conversation = new Conversation(this.client, () => this.requestUpdate(), () => void this.refreshTasks());
      this.cardError = undefined;
      void this.refreshTasks();
    } catch (error) {
      this.client = undefined;
      this.cardError = (error as Error).message;
    }
    this.requestUpdate();
  }

  private async refreshTasks(): Promise<void> {
    try {
      this.tasks = (await this.client?.listTasks())?.tasks ?? [];
    } catch {
      this.tasks = undefined;
    }
  }

  private signIn(event: SubmitEvent): void {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const kind = form.get("kind") as Credentials["kind"];
    const value = String(form.get("secret") ?? "").trim();
    this.credentials = kind === "none" || !value ? { kind: "none" } : { kind, value };
    (event.target as HTMLFormElement).reset();
    if (this.credentials.kind === "none") sessionStorage.removeItem(credentialsKey(this.cardUrl));
    else sessionStorage.setItem(credentialsKey(this.cardUrl), JSON.stringify(this.credentials));
    this.connect();
  }

  private async send(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const text = String(data.get("text") ?? "").trim();
    const rawMetadata = String(data.get("metadata") ?? "").trim();
    if (!text || !this.conversation) return;
    let metadata: Record<string, unknown> = {};
    try {
      metadata = rawMetadata ? (JSON.parse(rawMetadata) as Record<string, unknown>) : {};
    } catch {
      this.conversation.error = "Message metadata must be a JSON object.";
      return this.requestUpdate();
    }
    (form.elements.namedItem("text") as HTMLTextAreaElement).value = "";
    await this.conversation.send([{ text }], metadata);
  }

  private newConversation(): void {
    this.conversation?.stop();
    if (this.client) this.conversation = new Conversation(this.client, () => this.requestUpdate(), () => void this.refreshTasks());
    this.requestUpdate();
  }

  private async openTask(id: string): Promise<void> {
    this.newConversation();
    await this.conversation?.open(id).catch((error: Error) => {
      if (this.conversation) this.conversation.error = error.message;
      this.requestUpdate();
    });
  }

  protected override updated(): void {
    this.querySelector(".chat-log")?.scrollTo({ top: 1e9 });
  }

  override render() {
    const conversation = this.conversation;
    const task = conversation?.current?.task;
    const running = task && !["TASK_STATE_COMPLETED", "TASK_STATE_FAILED", "TASK_STATE_CANCELED", "TASK_STATE_REJECTED"].includes(task.status.state);
    const a2ui = this.client?.rendersA2ui;
    return html`
      <header>
        <strong>A2A console</strong>
        <form class="agent-picker" @submit=${(e: SubmitEvent) => (e.preventDefault(), this.loadAgent(String(new FormData(e.target as HTMLFormElement).get("card"))))}>
          <select data-testid="agent-select" @change=${(e: Event) => this.loadAgent((e.target as HTMLSelectElement).value)}>
            ${this.agents.map((agent) => html`<option value=${agent.cardUrl} ?selected=${agent.cardUrl === this.cardUrl}>${agent.label}</option>`)}
            ${this.agents.some((agent) => agent.cardUrl === this.cardUrl) || !this.cardUrl ? nothing : html`<option selected value=${this.cardUrl}>${this.cardUrl}</option>`}
          </select>
          <input name="card" data-testid="card-url" placeholder="or any agent card URL" size="34" />
          <button>Load</button>
        </form>
        <form class="sign-in" @submit=${this.signIn}>
          <select name="kind">
            <option value="api-key" ?selected=${this.credentials.kind === "api-key"}>API key</option>
            <option value="bearer" ?selected=${this.credentials.kind === "bearer"}>Bearer token</option>
            <option value="none" ?selected=${this.credentials.kind === "none"}>No credentials</option>
          </select>
          <input name="secret" type="password" data-testid="secret" placeholder=${this.credentials.kind === "none" ? "key or token" : "•••••• (signed in)"} autocomplete="off" />
          <button data-testid="sign-in">${this.credentials.kind === "none" ? "Sign in" : "Switch"}</button>
        </form>
      </header>
      <main>
        <aside class="tasks">
          <h3>Tasks <button class="link" @click=${() => this.refreshTasks()}>↻</button></h3>
          ${this.tasks === undefined
            ? html`<p class="muted">No task list from this agent.</p>`
            : html`<ul data-testid="task-list">
                ${this.tasks.map((t) => html`<li><button class="link" @click=${() => this.openTask(t.id)}>${t.id.slice(0, 8)}</button> <span class="muted">${stateLabel(t.status.state)}</span></li>`)}
              </ul>`}
        </aside>
        <section class="chat">
          ${this.card
            ? html`<div class="agent-info">
                <strong data-testid="agent-name">${this.card.name}</strong> <span class="muted">${this.card.description}</span>
                <span class="badge ${a2ui ? "ok" : ""}" data-testid="a2ui-badge">${a2ui ? "A2UI" : "text only"}</span>
                <span class="badge stream-${conversation?.stream.state ?? "idle"}" data-testid="stream-state">${conversation?.stream.state ?? "idle"}${conversation?.stream.detail ? `: ${conversation.stream.detail}` : ""}</span>
              </div>`
            : nothing}
          ${this.cardError ? html`<div class="error" data-testid="error">${this.cardError}</div>` : nothing}
          <div class="chat-log" data-testid="chat">${renderChat(conversation)}</div>
          ${conversation?.error ? html`<div class="error" data-testid="error">${conversation.error}</div>` : nothing}
          <form class="composer" @submit=${this.send}>
            <textarea name="text" data-testid="composer" rows="2" placeholder="Message the agent (Enter to send, Shift+Enter for a new line)" ?disabled=${!conversation}
              @keydown=${(e: KeyboardEvent) => e.key === "Enter" && !e.shiftKey && (e.preventDefault(), (e.target as HTMLTextAreaElement).form?.requestSubmit())}></textarea>
            <div class="actions">
              <button data-testid="send" ?disabled=${!conversation}>Send</button>
              <button type="button" data-testid="cancel" ?disabled=${!running} @click=${() => conversation?.cancel()}>Cancel task</button>
              <button type="button" class="link" @click=${this.newConversation}>New conversation</button>
            </div>
            <details class="advanced"><summary>message metadata</summary><textarea name="metadata" data-testid="metadata" rows="2" placeholder='{"key": "value"}'></textarea></details>
          </form>
        </section>
        <aside class="inspector">
          <nav>${TABS.map((tab) => html`<button class=${tab === this.tab ? "active" : ""} data-testid=${`tab-${tab}`} @click=${() => (this.tab = tab)}>${tab}</button>`)}</nav>
          <div class="panel">${renderInspector(conversation, this.tab, this.card, this.signature)}</div>
        </aside>
      </main>
    `;
  }
}

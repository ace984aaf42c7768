import type { LanguageModelV4CallOptions, LanguageModelV4FunctionTool, LanguageModelV4ToolResultOutput } from "@ai-sdk/provider";

/** A tool as the offline model sees it offered. */
export interface OfferedTool {
  name: string;
  description: string;
  inputSchema: JsonSchema;
}

export type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema>; required?: string[]; enum?: unknown[]; items?: JsonSchema; [key: string]: unknown };

/** A tool result the run fed back during the current turn (after the user's last message). */
export interface TurnResult {
  toolName: string;
  value: unknown;
  isError: boolean;
}

/** Everything a rule may look at: the turn so far, as the prompt tells it. */
export interface OfflineContext {
  /** The user's last message, plus what they answered to `ask_user` during this turn. */
  text: string;
  /** Lower-case words of `text`. */
  words: ReadonlySet<string>;
  tools: readonly OfferedTool[];
  /** Tool results of this turn, in order. */
  results: readonly TurnResult[];
  /** Names of the tools the model called during this turn. */
  called: ReadonlySet<string>;
  /** Model steps so far in this turn (0 for the first): with the prompt, it makes ids deterministic. */
  step: number;
  system: string;
}

export const wordsOf = (text: string): Set<string> => new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);

/** Reads the turn out of a provider-level prompt: the offline model gets exactly what a real provider would. */
export function contextOf(options: LanguageModelV4CallOptions): OfflineContext {
  const prompt = options.prompt;
  let lastUser = -1;
  prompt.forEach((message, i) => {
    if (message.role === "user") lastUser = i;
  });
  const user = lastUser < 0 ? undefined : prompt[lastUser];
  const userText = user?.role === "user" ? textOf(user.content) : "";
  const results: TurnResult[] = [];
  const called = new Set<string>();
  let step = 0;
  for (const message of prompt.slice(lastUser + 1)) {
    if (message.role === "assistant") {
      step++;
      for (const part of message.content) if (part.type === "tool-call") called.add(part.toolName);
    } else if (message.role === "tool") {
      for (const part of message.content) if (part.type === "tool-result") results.push({ toolName: part.toolName, ...outputOf(part.output) });
    }
  }
  // What the user answered to ask_user belongs to their request: "schedule it" + "Tuesday 10:00".
  const answers = results.filter((r) => r.toolName === "ask_user" && !r.isError).map((r) => (typeof r.value === "string" ? r.value : JSON.stringify(r.value)));
  const text = [userText, ...answers].join(" ").trim();
  const system = prompt.filter((m) => m.role === "system").map((m) => m.content as string).join("\n");
  const tools = (options.tools ?? []).filter((tool): tool is LanguageModelV4FunctionTool => tool.type === "function");
  return {
    text,
    words: wordsOf(text),
    tools: tools.map((tool) => ({ name: tool.name, description: tool.description ?? "", inputSchema: tool.inputSchema as JsonSchema })),
    results,
    called,
    step,
    system,
  };
}

function textOf(content: readonly { type: string; text?: string }[]): string {
  return content.map((part) => (part.type === "text" ? (part.text ?? "") : "")).join(" ");
}

function outputOf(output: LanguageModelV4ToolResultOutput): { value: unknown; isError: boolean } {
  switch (output.type) {
    case "text":
    case "json":
      return { value: output.value, isError: false };
    case "error-text":
    case "error-json":
      return { value: output.value, isError: true };
    case "execution-denied":
      return { value: output.reason ?? "denied", isError: true };
    case "content":
      return { value: output.value.map((part) => (part.type === "text" ? part.text : `[${part.type}]`)).join(" "), isError: false };
  }
}

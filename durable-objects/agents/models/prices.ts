import { z } from "zod";
import type { Usage } from "./model";

/** USD per million tokens. */
export interface Price {
  input: number;
  output: number;
}

/**
 * List prices (USD per million input/output tokens) as published by the providers at the time of writing
 * (2026-12). They change: a deployment sets `MODEL_PRICES` for the models it uses, which wins over this table.
 * Keys are bare model names; a dated snapshot (`claude-haiku-4-5-20251001`) uses its family's price.
 */
export const PRICES: Readonly<Record<string, Price>> = {
  // OpenAI
  "gpt-5": { input: 1.25, output: 10 },
  "gpt-5-mini": { input: 0.25, output: 2 },
  "gpt-5-nano": { input: 0.05, output: 0.4 },
  "gpt-4.1": { input: 2, output: 8 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6 },
  "gpt-4.1-nano": { input: 0.1, output: 0.4 },
  "gpt-4o": { input: 2.5, output: 10 },
  "gpt-4o-mini": { input: 0.15, output: 0.6 },
  "o4-mini": { input: 1.1, output: 4.4 },
  // Anthropic (native, or behind a LiteLLM proxy under the same name)
  "claude-haiku-4-5": { input: 1, output: 5 },
  "claude-sonnet-4-5": { input: 3, output: 15 },
  "claude-opus-4-5": { input: 5, output: 25 },
  "claude-3-5-haiku": { input: 0.8, output: 4 },
  // Workers AI
  "@cf/meta/llama-3.3-70b-instruct-fp8-fast": { input: 0.293, output: 2.253 },
  "@cf/meta/llama-3.1-8b-instruct-fp8-fast": { input: 0.045, output: 0.384 },
  "@cf/openai/gpt-oss-120b": { input: 0.35, output: 0.75 },
  "@cf/openai/gpt-oss-20b": { input: 0.2, output: 0.3 },
  // Local and test models cost nothing.
  offline: { input: 0, output: 0 },
  scripted: { input: 0, output: 0 },
};

const PriceSchema = z.object({ input: z.number().nonnegative(), output: z.number().nonnegative() });
const PricesSchema = z.record(z.string(), PriceSchema);

/** `MODEL_PRICES` (JSON `{ "model": { "input": usd, "output": usd } }`) over the built-in table. A bad value is a deployment error, said at once. */
export function pricesOf(env: { MODEL_PRICES?: string } = {}): Readonly<Record<string, Price>> {
  if (!env.MODEL_PRICES) return PRICES;
  let parsed: unknown;
  try {
    parsed = JSON.parse(env.MODEL_PRICES);
  } catch {
    throw new Error("MODEL_PRICES is not JSON");
  }
  const checked = PricesSchema.safeParse(parsed);
  if (!checked.success) throw new Error(`MODEL_PRICES: ${z.prettifyError(checked.error)}`);
  return { ...PRICES, ...checked.data };
}

/**
 * The price of a model id (`provider:model`, a bare model, or a proxy's `vendor/model`): the exact name, else
 * the name without its provider prefix, else its last path segment, else the longest entry it is a dated
 * variant of. `scripted/<id>` (tests) is `scripted`. Undefined when unknown: then no budget can bind.
 */
export function priceOf(modelId: string, prices: Readonly<Record<string, Price>> = PRICES): Price | undefined {
  const bare = modelId.replace(/^(?:openai-compatible|workers-ai|anthropic|offline):/, "");
  const candidates = [modelId, bare, bare.split("/").at(-1) ?? bare, bare.split("/")[0] ?? bare];
  for (const name of candidates) if (Object.hasOwn(prices, name)) return prices[name];
  const family = Object.keys(prices)
    .filter((key) => candidates.some((name) => name.startsWith(`${key}-`)))
    .sort((a, b) => b.length - a.length)[0];
  return family === undefined ? undefined : prices[family];
}

/** USD for `usage` on `modelId`; 0 for a model without a known price (see `priceOf`). */
export function costOf(modelId: string, usage: Usage, env?: { MODEL_PRICES?: string }): number {
  const price = priceOf(modelId, pricesOf(env));
  if (!price) return 0;
  return (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000;
}

import { APICallError } from "@ai-sdk/provider";
import { ModelError } from "./model";
import { isRetryable } from "./retry";

const MAX_MESSAGE = 500;
// Anything shaped like a credential, in case a provider echoes one back in its error message.
const CREDENTIAL = /\b(?:sk|pk|rk|key|api|token)[-_][A-Za-z0-9_-]{8,}|\bBearer\s+[A-Za-z0-9._~+/-]{8,}=*/gi;

/**
 * The ModelError a failed provider call ends in: the provider's HTTP status and message, with every configured
 * secret and anything credential-shaped removed. Headers, URLs and request bodies are never copied.
 */
export function toModelError(error: unknown, provider: string, secrets: readonly string[], context?: string): ModelError {
  if (error instanceof ModelError) return error;
  // A 200 whose body then failed is not the provider's error status.
  const status = APICallError.isInstance(error) && (error.statusCode ?? 0) >= 400 ? error.statusCode : undefined;
  let message = messageOf(error);
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  if (cause && !message.includes(cause)) message = `${message} (${cause})`;
  for (const secret of secrets) if (secret) message = message.split(secret).join("[redacted]");
  message = message.replace(CREDENTIAL, "[redacted]").slice(0, MAX_MESSAGE);
  const prefix = `${provider}${status ? ` ${status}` : ""}`;
  return new ModelError(`${prefix}: ${context ? `${context}: ` : ""}${message || "no message"}`, provider, status, isRetryable(error));
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error !== null && "message" in error) return String(error.message);
  return String(error);
}

import type { MiddlewareHandler } from "hono";
import { A2AError } from "../schema/a2a";
import type { AppEnv } from "./app-env";

/** RFC 9110 §4.1 asks servers to take at least 8000 octets; longer is refused before anything parses it. */
export const MAX_URL_LENGTH = 8192;
/** Parts in one message. */
export const MAX_PARTS = 100;
/** The most history messages one call may ask for (GetTask, ListTasks per task, SendMessage). */
export const MAX_HISTORY_LENGTH = 1000;

export const limitUrlLength: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.url.length > MAX_URL_LENGTH) {
    throw new A2AError("UriTooLong", `The request URL exceeds ${MAX_URL_LENGTH} characters`, { limit: String(MAX_URL_LENGTH) });
  }
  await next();
};

interface Bounded {
  message?: { parts?: unknown[] };
  historyLength?: number;
  configuration?: { historyLength?: number };
}

/** Bounds on what one validated call may ask for, whichever method it is. */
export function checkCallLimits(params: Bounded): void {
  const parts = params.message?.parts?.length ?? 0;
  if (parts > MAX_PARTS) {
    throw new A2AError("InvalidParams", `A message may have at most ${MAX_PARTS} parts`, {}, [
      { field: "message.parts", description: `at most ${MAX_PARTS} parts` },
    ]);
  }
  for (const [field, value] of [
    ["historyLength", params.historyLength],
    ["configuration.historyLength", params.configuration?.historyLength],
  ] as const) {
    if (value !== undefined && value > MAX_HISTORY_LENGTH) {
      throw new A2AError("InvalidParams", `${field} may be at most ${MAX_HISTORY_LENGTH}`, {}, [{ field, description: `at most ${MAX_HISTORY_LENGTH}` }]);
    }
  }
}

import { env } from "cloudflare:workers";
import { eventually } from "./a2a";

const testEnv = env as Env & { WEBHOOK_URL: string; WEBHOOK_CONTROL_URL: string };

/** One request the receiver (test/setup/webhook-receiver.mjs) got, and the status it answered. */
export interface Received {
  at: number;
  method: string;
  headers: Record<string, string>;
  body: string;
  answered: number;
}

export interface HookRule {
  failFirst?: number;
  status?: number;
  retryAfter?: string | number;
  location?: string;
  delayMs?: number;
}

/** A fresh hook on the local receiver: its own path, so nothing else is recorded there. */
export function newHook(rule?: HookRule): { url: string; path: string; ready: Promise<void> } {
  const url = `${testEnv.WEBHOOK_URL}/${crypto.randomUUID()}`;
  const path = new URL(url).pathname;
  return { url, path, ready: rule ? setRule(path, rule) : Promise.resolve() };
}

export async function setRule(path: string, rule: HookRule): Promise<void> {
  const response = await fetch(testEnv.WEBHOOK_CONTROL_URL, { method: "POST", body: JSON.stringify({ path, ...rule }) });
  await response.body?.cancel();
}

export async function received(path: string): Promise<Received[]> {
  const response = await fetch(`${testEnv.WEBHOOK_CONTROL_URL}?path=${encodeURIComponent(path)}`);
  return ((await response.json()) as { requests: Received[] }).requests;
}

/** The requests the receiver acknowledged with 2xx, once there are at least `count` of them. */
export async function delivered(path: string, count: number, timeoutMs = 15_000): Promise<Received[]> {
  return eventually(
    async () => {
      const ok = (await received(path)).filter((r) => r.answered < 300);
      return ok.length >= count ? ok : undefined;
    },
    timeoutMs,
    `${count} acknowledged deliveries at ${path}`,
  );
}

/** The StreamResponse of a delivery, and the seq in its event id (`<taskId>/<seq>`). */
export function parsed(request: Received): { body: any; taskId: string; seq: number } {
  const [taskId, seq] = (request.headers["x-a2a-notification-id"] ?? "").split("/");
  return { body: JSON.parse(request.body), taskId: taskId!, seq: Number(seq) };
}

/** Which kind of StreamResponse and, for status updates, which state: `task`, `artifactUpdate`, `TASK_STATE_…`. */
export function summary(request: Received): string {
  const { body } = parsed(request);
  if (body.statusUpdate) return body.statusUpdate.status.state;
  return Object.keys(body)[0]!;
}

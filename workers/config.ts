import type { AgentCapabilities } from "../schema/a2a";
import { cardSecurity, type CardSecurity } from "./auth/card-security";
import { authSettings } from "./auth/settings";

/** What the platform serves, from the wrangler `[vars]`; the one place capabilities are decided. */
export interface PlatformConfig {
  /** `AGENT_NAME` / `AGENT_DESCRIPTION`: the root card's name and description instead of the root agent's own. */
  name?: string;
  description?: string;
  version: string;
  provider?: { organization: string; url: string };
  documentationUrl?: string;
  capabilities: Required<Pick<AgentCapabilities, "streaming" | "pushNotifications" | "extendedAgentCard">>;
  defaultInputModes: string[];
  defaultOutputModes: string[];
  cardMaxAgeSeconds: number;
  /** Largest request body read, in bytes. */
  maxBodyBytes: number;
  /** SSE comment interval: Cloudflare's edge drops a stream idle for about 100 s. */
  keepAliveMs: number;
  /** Bytes a slow stream consumer may fall behind before it is dropped (it resumes with Last-Event-ID). */
  maxBufferedBytes: number;
  /** The card's securitySchemes and securityRequirements; unset when no scheme is configured. */
  security?: CardSecurity;
}

const DEFAULT_INPUT_MODES = ["text/plain", "application/json", "application/octet-stream", "image/png", "image/jpeg", "application/pdf"];
const DEFAULT_OUTPUT_MODES = ["text/plain", "application/json"];

export function platformConfig(env: Env): PlatformConfig {
  const vars = env as unknown as Record<string, string | undefined>;
  const organization = vars.AGENT_PROVIDER_ORGANIZATION;
  const url = vars.AGENT_PROVIDER_URL;
  const security = cardSecurity(authSettings(env));
  return {
    ...(vars.AGENT_NAME ? { name: vars.AGENT_NAME } : {}),
    ...(vars.AGENT_DESCRIPTION ? { description: vars.AGENT_DESCRIPTION } : {}),
    version: vars.AGENT_VERSION ?? "0.0.0",
    ...(organization && url ? { provider: { organization, url } } : {}),
    ...(vars.AGENT_DOCUMENTATION_URL ? { documentationUrl: vars.AGENT_DOCUMENTATION_URL } : {}),
    // The extended card needs a scheme to authenticate its callers with (§7). Push is on unless
    // PUSH_NOTIFICATIONS=false.
    capabilities: { streaming: true, pushNotifications: vars.PUSH_NOTIFICATIONS !== "false", extendedAgentCard: security !== undefined },
    defaultInputModes: DEFAULT_INPUT_MODES,
    defaultOutputModes: DEFAULT_OUTPUT_MODES,
    cardMaxAgeSeconds: Number(vars.CARD_MAX_AGE_SECONDS ?? 300),
    maxBodyBytes: Number(vars.MAX_BODY_BYTES ?? 1024 * 1024),
    keepAliveMs: Number(vars.SSE_KEEPALIVE_MS ?? 25_000),
    maxBufferedBytes: Number(vars.SSE_MAX_BUFFERED_BYTES ?? 1024 * 1024),
    ...(security ? { security } : {}),
  };
}

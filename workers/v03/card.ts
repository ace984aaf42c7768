import { toV03AgentCard, type V03AgentCard } from "../../schema/v03/agent-card";
import { requestedVersion } from "../bindings/http";
import { buildAgentCard, serveCard, type AgentSite, type CachedCard } from "../card";
import type { PlatformConfig } from "../config";

/**
 * Which card `/.well-known/agent-card.json` answers. Only a request that names 0.3 (`A2A-Version: 0.3`, or
 * `?A2A-Version=0.3` when it sends no header) gets the v0.3 card: the TCK fetches the card with no header and
 * validates it against the strict v1.0 schema, so a missing header cannot mean 0.3 here as it does elsewhere.
 */
export const wantsV03Card = (request: Request) => requestedVersion(request) === "0.3";

export const v03AgentCard = (config: PlatformConfig, site: AgentSite): V03AgentCard => toV03AgentCard(buildAgentCard(config, site));

const cards = new Map<string, CachedCard>();

/** The v0.3 card (v0.3/a2a.json's AgentCard), with the same caching headers as the v1.0 one. */
export function serveV03AgentCard(request: Request, config: PlatformConfig, site: AgentSite): Response | Promise<Response> {
  return serveCard(request, cards, site, () => v03AgentCard(config, site), config);
}

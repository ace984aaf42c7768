import { A2AError, type AgentCard } from "../schema/a2a";
import { cardSkills } from "../skills";
import { buildAgentCard } from "./card";
import { signAgentCard } from "./card-signing";
import type { CallContext } from "./handlers";

/**
 * GetExtendedAgentCard (§7): only for authenticated callers, and cut to them: the skills their role may see
 * (`a2a-roles` in SKILL.md), and, for a caller in a tenant, interfaces that carry it so clients copy it into
 * every request. Signed like the public card.
 */
export async function extendedAgentCard(ctx: CallContext): Promise<AgentCard> {
  if (!ctx.authenticated) throw new A2AError("Unauthenticated", "The extended agent card is only served to authenticated callers");
  const card = buildAgentCard(ctx.config, ctx.site);
  const { tenant } = ctx.scope;
  return signAgentCard(
    {
      ...card,
      // v0.3 has no tenants: only the v1.0 interfaces carry one.
      supportedInterfaces: tenant ? card.supportedInterfaces.map((face) => (face.protocolVersion === "1.0" ? { ...face, tenant } : face)) : card.supportedInterfaces,
      skills: cardSkills(ctx.site.agent.skills, ctx.role),
    },
    ctx.env,
    ctx.origin,
  );
}

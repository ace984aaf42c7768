import type { AgentCard } from "../../schema/a2a";
import { API_KEY_HEADER, type AuthSettings } from "./settings";

export type CardSecurity = Required<Pick<AgentCard, "securitySchemes" | "securityRequirements">>;

/**
 * What the card declares (§7): one scheme per configured credential kind, and a requirement for each, any
 * one of which is enough. Nothing is declared when no scheme is configured (anonymous development).
 */
export function cardSecurity(settings: AuthSettings): CardSecurity | undefined {
  if (settings.problem) return undefined;
  const securitySchemes: CardSecurity["securitySchemes"] = {};
  if (settings.jwt) {
    securitySchemes.bearer = {
      httpAuthSecurityScheme: { scheme: "Bearer", bearerFormat: "JWT", description: "A JWT from this agent's identity provider" },
    };
  }
  if (settings.apiKeys) {
    securitySchemes.apiKey = { apiKeySecurityScheme: { location: "header", name: API_KEY_HEADER, description: "An API key issued by the operator" } };
  }
  const names = Object.keys(securitySchemes);
  if (names.length === 0) return undefined;
  return { securitySchemes, securityRequirements: names.map((name) => ({ schemes: { [name]: { list: [] } } })) };
}

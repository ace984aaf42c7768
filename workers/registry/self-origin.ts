/**
 * The origin the platform's own hosted agents are registered under. With `PUBLIC_URL` set it is that; without,
 * a name under `.invalid` (RFC 2606), which no DNS answers, so nothing but the loopback (outbound.ts) serves it.
 */
export const SELF_ORIGIN_FALLBACK = "https://self.a2a-edge.invalid";

export function selfOrigin(env: { PUBLIC_URL?: string }): string {
  const configured = env.PUBLIC_URL?.trim();
  return configured ? configured.replace(/\/+$/, "") : SELF_ORIGIN_FALLBACK;
}

import { RecruitingError } from "./errors";

/**
 * Who may do what, decided by the recruiting system itself rather than by the prompt: the orchestrator's
 * role policy (orchestrator/prompt/roles.ts) decides which tools a role is offered, and this table is the
 * system of record's own check behind them, so a forged or mis-configured call is still refused. The CRM agent
 * (crm-agent.ts) applies it with the role its A2A caller's credentials carry.
 */
export const ACTION_ROLES = {
  read: ["viewer", "recruiter", "hiring-manager", "admin"],
  source: ["recruiter", "admin"],
  screen: ["recruiter", "admin"],
  schedule: ["recruiter", "hiring-manager", "admin"],
  offer: ["recruiter", "hiring-manager", "admin"],
  /** An offer outside the job's salary band. */
  offerOutsideBand: ["admin"],
  move: ["recruiter", "hiring-manager", "admin"],
  reject: ["recruiter", "hiring-manager", "admin"],
  postJobs: ["admin"],
} as const satisfies Record<string, readonly string[]>;

export type Permission = keyof typeof ACTION_ROLES;

export const permits = (role: string, permission: Permission): boolean => (ACTION_ROLES[permission] as readonly string[]).includes(role);

export function authorize(role: string, permission: Permission, doing: string): void {
  if (!permits(role, permission)) {
    throw new RecruitingError("forbidden", `The ${role} role may not ${doing}`, { role, allowedRoles: ACTION_ROLES[permission] });
  }
}

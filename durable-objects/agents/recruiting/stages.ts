import type { Stage } from "../../../schema/db/recruiting";
import { RecruitingError } from "./errors";
import type { CloseReason } from "./inputs";

/** What the stage rules need to know about one application (read in one query by postgres-actions). */
export interface ApplicationFacts {
  stage: Stage;
  jobOpen: boolean;
  candidateHasEmail: boolean;
  /** A screening with verdict pass is recorded. */
  passedScreening: boolean;
  /** Interviews in status scheduled (past or upcoming). */
  scheduledInterviews: number;
  /** An offer waiting for the candidate's answer. */
  openOffer: boolean;
}

/** What a close reason does to an offer that is still waiting for an answer. */
const OFFER_OUTCOME: Partial<Record<CloseReason, "accepted" | "declined" | "expired" | "withdrawn">> = {
  hired: "accepted",
  offer_declined: "declined",
  offer_expired: "expired",
  rejected_loop: "withdrawn",
  withdrawn: "withdrawn",
};

/** From which stages each close reason may end an application. */
const CLOSE_FROM: Record<Exclude<CloseReason, "job_closed">, readonly Stage[]> = {
  hired: ["offer"],
  offer_declined: ["offer"],
  offer_expired: ["offer"],
  rejected_screen: ["sourcing", "screening"],
  rejected_loop: ["scheduling", "offer"],
  withdrawn: ["sourcing", "screening", "scheduling", "offer"],
};

const NEXT: Partial<Record<Stage, Stage>> = { sourcing: "screening", screening: "scheduling", scheduling: "offer" };

const refuse = (message: string, facts: ApplicationFacts, extra: Record<string, unknown> = {}) =>
  new RecruitingError("stage", message, { stage: facts.stage, allowedMoves: allowedMoves(facts), ...extra });

/** Why the one forward move out of the current stage is not possible yet, or undefined when it is. */
function forwardBlocker(facts: ApplicationFacts): string | undefined {
  switch (facts.stage) {
    case "sourcing":
      if (!facts.candidateHasEmail) return "the candidate has no email address on file (sourcing needs a contact before screening)";
      return facts.jobOpen ? undefined : "the job is closed";
    case "screening":
      return facts.passedScreening ? undefined : "no passing screening is recorded (use screen_candidate)";
    case "scheduling":
      if (facts.scheduledInterviews === 0) return "no interview is scheduled yet";
      return facts.jobOpen ? undefined : "the job is closed";
    default:
      return "offers end in close (hired, offer_declined or offer_expired)";
  }
}

/** The moves open to an application now, as `stage` or `close:<reason>`: shown to the model and in refusals. */
export function allowedMoves(facts: ApplicationFacts): string[] {
  if (facts.stage === "close") return [];
  const next = NEXT[facts.stage];
  const moves: string[] = next && forwardBlocker(facts) === undefined ? [next] : [];
  for (const [reason, from] of Object.entries(CLOSE_FROM)) {
    if (!from.includes(facts.stage)) continue;
    if ((reason === "hired" || reason.startsWith("offer_")) && !facts.openOffer) continue;
    moves.push(`close:${reason}`);
  }
  return moves;
}

/**
 * The stage machine (skills/recruiting-workflow/references/STAGES.md says the same in prose): forward one
 * stage at a time when the stage's exit condition holds, or to `close` with a reason the current stage
 * allows; `close` is terminal. Returns what the move does to a waiting offer.
 */
export function checkMove(facts: ApplicationFacts, to: Stage, reason: string): { offerStatus?: "accepted" | "declined" | "expired" | "withdrawn" } {
  if (facts.stage === "close") throw refuse("The application is closed; closed applications are final (source the candidate again for a new one)", facts);
  if (to === facts.stage) throw refuse(`The application is already in ${to}`, facts);
  if (to === "close") {
    const from = CLOSE_FROM[reason as Exclude<CloseReason, "job_closed">];
    if (!from) throw refuse(`"${reason}" is not a close reason here (use ${Object.keys(CLOSE_FROM).join(", ")})`, facts);
    if (!from.includes(facts.stage)) throw refuse(`${reason} closes an application only from ${from.join(" or ")}, not from ${facts.stage}`, facts);
    const outcome = OFFER_OUTCOME[reason as CloseReason];
    if ((reason === "hired" || reason.startsWith("offer_")) && !facts.openOffer) throw refuse(`${reason} needs an offer waiting for an answer`, facts);
    return outcome && facts.openOffer ? { offerStatus: outcome } : {};
  }
  if (NEXT[facts.stage] !== to) throw refuse(`Stages move forward one at a time: ${facts.stage} may go to ${NEXT[facts.stage] ?? "close only"}, not ${to}`, facts);
  const blocker = forwardBlocker(facts);
  if (blocker) throw refuse(`Cannot move from ${facts.stage} to ${to}: ${blocker}`, facts);
  return {};
}

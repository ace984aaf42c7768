import { database, type Database, type DatabaseEnv } from "../../db";
import type { RecruitingActions } from "./actions";
import * as reads from "./postgres-reads";
import * as writes from "./postgres-writes";

/** The recruiting actions over the deployment's Postgres (Neon's HTTP driver, one round trip per statement). */
export function postgresActions(db: Database): RecruitingActions {
  return {
    searchCandidates: (input, ctx) => reads.searchCandidates(db, input, ctx),
    getCandidate: (input, ctx) => reads.getCandidate(db, input, ctx),
    listJobs: (input, ctx) => reads.listJobs(db, input, ctx),
    pipelineStats: (input, ctx) => reads.pipelineStats(db, input, ctx),
    sourceCandidate: (input, ctx) => writes.sourceCandidate(db, input, ctx),
    screenCandidate: (input, ctx) => writes.screenCandidate(db, input, ctx),
    scheduleInterview: (input, ctx) => writes.scheduleInterview(db, input, ctx),
    makeOffer: (input, ctx) => writes.makeOffer(db, input, ctx),
    moveStage: (input, ctx) => writes.moveStage(db, input, ctx),
    rejectCandidate: (input, ctx) => writes.rejectCandidate(db, input, ctx),
    createJob: (input, ctx) => writes.createJob(db, input, ctx),
    closeJob: (input, ctx) => writes.closeJob(db, input, ctx),
  };
}

/** The deployment's recruiting system, or undefined without a database (the tools then say so). */
export function recruitingActionsFor(env: DatabaseEnv): RecruitingActions | undefined {
  const db = database(env);
  return db ? postgresActions(db) : undefined;
}

import type { OfflineRule } from "../models";
import { nextMentionedTool } from "../models/offline/rules";

/** Words that name no particular job: "the backend engineer job" is matched on backend and engineer. */
const GENERIC = new Set(["job", "jobs", "role", "roles", "position", "opening", "the", "for", "candidates", "candidate", "show", "find", "who", "applicants"]);
const JOB_ID = /\bjob-[a-z0-9-]+\b/i;

interface JobRow {
  jobId: string;
  title: string;
  department?: string;
  location?: string;
}
interface Ranked {
  name: string;
  score: number;
  matchedSkills?: string[];
  missingSkills?: string[];
  application?: { stage: string } | null;
}

const wordsOf = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
const okResult = (ctx: Parameters<OfflineRule["decide"]>[0], tool: string) => ctx.results.find((r) => r.toolName === tool && !r.isError)?.value;

/** The open job whose title, department and location share the most words with the message; none when no word matches. */
function jobNamedIn(text: string, jobs: JobRow[]): JobRow | undefined {
  const words = new Set(wordsOf(text).filter((w) => !GENERIC.has(w)));
  const scored = jobs.map((job) => ({ job, hits: new Set(wordsOf(`${job.title} ${job.department ?? ""} ${job.location ?? ""}`).filter((w) => words.has(w))).size }));
  scored.sort((a, b) => b.hits - a.hits);
  return scored[0] && scored[0].hits > 0 ? scored[0].job : undefined;
}

function summary(job: JobRow, ranked: Ranked[]): string {
  if (ranked.length === 0) return `No candidates match ${job.title} (${job.jobId}) yet.`;
  const lines = ranked.slice(0, 5).map((c) => `${c.name} (score ${c.score}${c.missingSkills?.length ? `, missing ${c.missingSkills.join(", ")}` : ", every must-have"}${c.application ? `, in ${c.application.stage}` : ""})`);
  return `The best candidates for ${job.title} (${job.jobId}): ${lines.join("; ")}.`;
}

/**
 * The recruiting demo without a model: "show candidates for the backend engineer job" names a job by its title,
 * not its id. The generic rule would pass the words as the id; this one looks the job up (list_jobs), searches
 * with its id (search_candidates), and answers with the ranking. Both calls go through the recruiting CRM agent.
 */
export const candidatesForNamedJob: OfflineRule = {
  name: "recruiting-candidates-for-named-job",
  description: "A request for a job's candidates that names the job by title: list_jobs, then search_candidates with the job it names, then the ranking.",
  decide(ctx) {
    const offered = (name: string) => ctx.tools.some((t) => t.name === name);
    if (!offered("search_candidates") || !offered("list_jobs") || JOB_ID.test(ctx.text)) return undefined;
    if (!ctx.called.has("search_candidates") && nextMentionedTool(ctx)?.name !== "search_candidates") return undefined;
    const jobs = (okResult(ctx, "list_jobs") as { jobs?: JobRow[] } | undefined)?.jobs;
    if (!ctx.called.has("list_jobs")) return { calls: [{ tool: "list_jobs", args: {} }], say: "I will find the job first." };
    const job = jobs ? jobNamedIn(ctx.text, jobs) : undefined;
    if (!job) return undefined;
    if (!ctx.called.has("search_candidates")) return { calls: [{ tool: "search_candidates", args: { jobId: job.jobId } }], say: `That is ${job.title} (${job.jobId}).` };
    const found = okResult(ctx, "search_candidates") as { candidates?: Ranked[] } | undefined;
    return found?.candidates ? { say: summary(job, found.candidates) } : undefined;
  },
};

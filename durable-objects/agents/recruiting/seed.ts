// The recruiting demo data and the one function that writes it. Imported by the Worker's tests (through the
// Neon driver) and run by Node as it is (scripts/seed.mjs, dev and test set-up: Node strips the types), so it
// imports nothing. Ids are fixed per tenant and every insert skips rows that exist: seeding twice is harmless,
// and `reset` puts a tenant's demo back as it was.

/** Runs one parameterised statement: `pg`'s `client.query` and the Neon driver's `sql.query` both fit. */
export type Query = (text: string, params: unknown[]) => Promise<unknown>;

type Row = Record<string, unknown>;

const DAY = 86_400_000;

/** Jobs: id, title, department, location, must-haves, band, currency, hiring manager, status. */
const JOBS: Array<[string, string, string, string, string[], number, number, string, string, string]> = [
  ["job-backend", "Senior Backend Engineer", "Engineering", "Berlin", ["go", "postgres", "distributed-systems"], 85_000, 110_000, "EUR", "Dana Whitfield", "open"],
  ["job-frontend", "Frontend Engineer", "Engineering", "Remote (EU)", ["typescript", "react"], 60_000, 80_000, "EUR", "Sam Okafor", "open"],
  ["job-data", "Data Analyst", "Analytics", "London", ["sql", "python"], 45_000, 60_000, "GBP", "Aisha Khan", "open"],
  ["job-designer", "Product Designer", "Design", "Amsterdam", ["figma", "user-research"], 55_000, 72_000, "EUR", "Noor de Vries", "closed"],
];

/** Candidates: id, name, email, phone, location, headline, skills, years, source. */
const CANDIDATES: Array<[string, string, string | null, string | null, string, string, string[], number, string]> = [
  ["cand-priya", "Priya Raman", "priya.raman@example.com", null, "Berlin", "Backend engineer, payments platform", ["go", "postgres", "distributed-systems", "kafka", "kubernetes"], 8, "referral"],
  ["cand-tomas", "Tomás Ortega", "tomas.ortega@example.com", null, "Madrid", "Platform engineer", ["go", "postgres", "terraform", "distributed-systems"], 6, "outbound"],
  ["cand-jonas", "Jonas Berg", "jonas.berg@example.com", null, "Stockholm", "Java backend developer", ["java", "postgres", "spring"], 5, "inbound"],
  ["cand-mei", "Mei Chen", "mei.chen@example.com", null, "Berlin", "Site reliability engineer", ["go", "kubernetes", "prometheus", "postgres", "distributed-systems"], 7, "agency"],
  ["cand-omar", "Omar Haddad", "omar.haddad@example.com", null, "Berlin", "Staff engineer, distributed databases", ["go", "postgres", "distributed-systems", "rust"], 12, "referral"],
  ["cand-lea", "Lea Fischer", "lea.fischer@example.com", null, "London", "Data analyst, e-commerce", ["sql", "python", "tableau"], 3, "inbound"],
  ["cand-marta", "Marta Kowalski", "marta.kowalski@example.com", null, "Warsaw", "BI developer", ["sql", "python", "dbt", "looker"], 5, "outbound"],
  ["cand-kwame", "Kwame Mensah", "kwame.mensah@example.com", null, "London", "Junior analyst", ["sql", "excel"], 1, "inbound"],
  ["cand-sofia", "Sofia Rossi", "sofia.rossi@example.com", null, "Milan", "Frontend engineer, design systems", ["typescript", "react", "css", "storybook"], 6, "referral"],
  ["cand-arjun", "Arjun Patel", "arjun.patel@example.com", null, "Remote", "Full-stack developer", ["typescript", "react", "node", "postgres"], 4, "inbound"],
  ["cand-emma", "Emma Dubois", "emma.dubois@example.com", null, "Lyon", "UI engineer", ["javascript", "vue", "css"], 3, "agency"],
  ["cand-yuki", "Yuki Tanaka", "yuki.tanaka@example.com", null, "Amsterdam", "Product designer", ["figma", "user-research", "prototyping"], 5, "referral"],
  ["cand-liam", "Liam O'Brien", null, "+353 1 555 0142", "Dublin", "Backend developer", ["go", "mysql"], 2, "inbound"],
  ["cand-ana", "Ana Costa", "ana.costa@example.com", null, "Lisbon", "Frontend developer", ["typescript", "react", "next.js"], 2, "outbound"],
  ["cand-david", "David Levi", "david.levi@example.com", null, "Tel Aviv", "Data scientist", ["python", "sql", "machine-learning"], 6, "agency"],
  ["cand-hana", "Hana Novak", "hana.novak@example.com", null, "Prague", "Backend engineer", ["go", "postgres"], 4, "inbound"],
];

/** Applications: id, job, candidate, stage, close reason, days since applied. */
const APPLICATIONS: Array<[string, string, string, string, string | null, number]> = [
  ["app-priya-backend", "job-backend", "cand-priya", "screening", null, 9],
  ["app-tomas-backend", "job-backend", "cand-tomas", "sourcing", null, 3],
  ["app-jonas-backend", "job-backend", "cand-jonas", "close", "rejected_screen", 20],
  ["app-mei-backend", "job-backend", "cand-mei", "scheduling", null, 14],
  ["app-omar-backend", "job-backend", "cand-omar", "offer", null, 30],
  ["app-liam-backend", "job-backend", "cand-liam", "sourcing", null, 2],
  ["app-hana-backend", "job-backend", "cand-hana", "screening", null, 6],
  ["app-sofia-frontend", "job-frontend", "cand-sofia", "scheduling", null, 12],
  ["app-arjun-frontend", "job-frontend", "cand-arjun", "screening", null, 5],
  ["app-emma-frontend", "job-frontend", "cand-emma", "close", "rejected_screen", 18],
  ["app-ana-frontend", "job-frontend", "cand-ana", "sourcing", null, 1],
  ["app-lea-data", "job-data", "cand-lea", "screening", null, 4],
  ["app-marta-data", "job-data", "cand-marta", "scheduling", null, 15],
  ["app-kwame-data", "job-data", "cand-kwame", "close", "withdrawn", 25],
  ["app-david-data", "job-data", "cand-david", "close", "hired", 40],
  ["app-yuki-designer", "job-designer", "cand-yuki", "close", "hired", 60],
];

/** Screenings: application, verdict, notes, days ago. */
const SCREENINGS: Array<[string, string, string, number]> = [
  ["app-jonas-backend", "fail", "No Go or distributed-systems work; strong Java and Postgres.", 17],
  ["app-mei-backend", "pass", "Runs Go services on Kubernetes; has designed replicated Postgres set-ups.", 10],
  ["app-omar-backend", "pass", "Led a distributed database team; deep Go and Postgres.", 26],
  ["app-sofia-frontend", "pass", "Built a React design system in TypeScript used by 12 teams.", 8],
  ["app-emma-frontend", "fail", "Vue only; no TypeScript or React in production.", 15],
  ["app-marta-data", "pass", "SQL and Python daily; dbt models for finance reporting.", 11],
  ["app-david-data", "pass", "Python and SQL at scale; modelling background.", 36],
  ["app-yuki-designer", "pass", "Portfolio shows end-to-end research and Figma prototypes.", 55],
];

/** Interviews: application, candidate, interviewer, kind, day offset (negative = past), hour UTC, minutes. */
const INTERVIEWS: Array<[string, string, string, string, number, number, number]> = [
  ["app-mei-backend", "cand-mei", "Dana Whitfield", "technical", 2, 9, 60],
  ["app-omar-backend", "cand-omar", "Dana Whitfield", "technical", -20, 13, 60],
  ["app-omar-backend", "cand-omar", "Felix Braun", "onsite", -15, 9, 240],
  ["app-marta-data", "cand-marta", "Aisha Khan", "hiring-manager", 3, 14, 45],
  ["app-david-data", "cand-david", "Aisha Khan", "technical", -32, 10, 60],
  ["app-yuki-designer", "cand-yuki", "Noor de Vries", "onsite", -50, 9, 240],
];

/** Offers: application, salary, currency, start in days, status, days ago. */
const OFFERS: Array<[string, number, string, number, string, number]> = [
  ["app-omar-backend", 108_000, "EUR", 45, "extended", 4],
  ["app-david-data", 58_000, "GBP", 20, "accepted", 30],
  ["app-yuki-designer", 68_000, "EUR", -20, "accepted", 50],
];

/** The stage path each seeded application took, so stats and timings read like a real pipeline. */
const PATH: Record<string, string[]> = {
  sourcing: ["sourcing"],
  screening: ["sourcing", "screening"],
  scheduling: ["sourcing", "screening", "scheduling"],
  offer: ["sourcing", "screening", "scheduling", "offer"],
};

function rows(tenant: string, now: number): Record<string, Row[]> {
  const iso = (ms: number) => new Date(ms).toISOString();
  const dayAt = (days: number, hour: number) => {
    const d = new Date(now + days * DAY);
    d.setUTCHours(hour, 0, 0, 0);
    return iso(d.getTime());
  };
  const closedPaths: Record<string, string[]> = { rejected_screen: PATH.screening!, withdrawn: PATH.screening!, hired: PATH.offer! };
  const stageChanges: Row[] = [];
  for (const [id, , , stage, reason, days] of APPLICATIONS) {
    const path = stage === "close" ? [...closedPaths[reason!]!, "close"] : PATH[stage]!;
    path.forEach((to, i) => {
      const from = i === 0 ? null : path[i - 1]!;
      const when = now - days * DAY + (i * days * DAY) / path.length;
      stageChanges.push({ tenant, id: `${id}-${i}`, application_id: id, from_stage: from, to_stage: to, reason: i === 0 ? "sourced" : to === "close" ? reason : "seeded", actor: "seed", at: iso(when) });
    });
  }
  return {
    jobs: JOBS.map(([id, title, department, location, must, min, max, currency, manager, status]) => ({
      tenant, id, title, department, location, description: `${title}, ${location}.`, must_have_skills: JSON.stringify(must), salary_min: min, salary_max: max,
      currency, hiring_manager: manager, status, close_reason: status === "closed" ? "filled" : null, created_at: iso(now - 70 * DAY), closed_at: status === "closed" ? iso(now - 45 * DAY) : null,
    })),
    candidates: CANDIDATES.map(([id, name, email, phone, location, headline, skills, years, source]) => ({
      tenant, id, name, email, phone, location, headline, skills: JSON.stringify(skills), years_experience: years, source, created_at: iso(now - 80 * DAY),
    })),
    applications: APPLICATIONS.map(([id, job, candidate, stage, reason, days]) => ({
      tenant, id, job_id: job, candidate_id: candidate, stage, close_reason: reason, created_at: iso(now - days * DAY), updated_at: iso(now - (days * DAY) / 4),
    })),
    screenings: SCREENINGS.map(([app, verdict, notes, days], i) => ({ tenant, id: `scr-seed-${i + 1}`, application_id: app, verdict, notes, screened_by: "seed", created_at: iso(now - days * DAY) })),
    interviews: INTERVIEWS.map(([app, candidate, interviewer, kind, days, hour, minutes], i) => ({
      tenant, id: `int-seed-${i + 1}`, application_id: app, candidate_id: candidate, interviewer, kind, starts_at: dayAt(days, hour), duration_minutes: minutes, status: "scheduled", created_by: "seed",
    })),
    offers: OFFERS.map(([app, salary, currency, startIn, status, days], i) => ({
      tenant, id: `off-seed-${i + 1}`, application_id: app, base_salary: salary, currency, start_date: dayAt(startIn, 0).slice(0, 10), status, created_by: "seed", created_at: iso(now - days * DAY),
    })),
    stage_changes: stageChanges,
  };
}

const JSON_COLUMNS = new Set(["must_have_skills", "skills"]);

/** One multi-row INSERT … ON CONFLICT DO NOTHING per table. */
function insert(table: string, list: Row[]): { text: string; params: unknown[] } {
  const columns = Object.keys(list[0]!);
  const params: unknown[] = [];
  const values = list.map((row) => `(${columns.map((c) => { params.push(row[c]); return `$${params.length}${JSON_COLUMNS.has(c) ? "::json" : ""}`; }).join(", ")})`);
  return { text: `INSERT INTO recruiting.${table} (${columns.join(", ")}) VALUES ${values.join(", ")} ON CONFLICT DO NOTHING`, params };
}

export const DEMO_TABLES = ["stage_changes", "offers", "interviews", "screenings", "applications", "candidates", "jobs"] as const;

/**
 * Writes the demo for `tenant` ("" is the tenant of callers without one). Existing rows are kept unless
 * `reset` deletes the tenant's recruiting rows first. Times are relative to `now`, so upcoming interviews stay upcoming.
 */
export async function seedRecruiting(query: Query, options: { tenant?: string; reset?: boolean; now?: number } = {}): Promise<{ tenant: string; rows: number }> {
  const tenant = options.tenant ?? "";
  const data = rows(tenant, options.now ?? Date.now());
  if (options.reset) for (const table of DEMO_TABLES) await query(`DELETE FROM recruiting.${table} WHERE tenant = $1`, [tenant]);
  let count = 0;
  for (const table of [...DEMO_TABLES].reverse()) {
    const { text, params } = insert(table, data[table]!);
    await query(text, params);
    count += data[table]!.length;
  }
  return { tenant, rows: count };
}

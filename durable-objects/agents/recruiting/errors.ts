/**
 * Why a recruiting action was refused, as a code a caller can act on: `forbidden` (the role may not do this),
 * `not_found`, `stage` (the application's stage does not allow it, or a condition of the stage is unmet),
 * `conflict` (a clash with existing data: a double booking, an open application, a concurrent change) and
 * `invalid` (input the schema accepts but the data does not, e.g. a salary outside the band).
 */
export type RecruitingErrorCode = "forbidden" | "not_found" | "stage" | "conflict" | "invalid";

export class RecruitingError extends Error {
  override name = "RecruitingError";
  constructor(
    readonly code: RecruitingErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string, id: string) => new RecruitingError("not_found", `No ${what} ${id}`, { [`${what}Id`]: id });

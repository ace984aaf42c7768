import { z } from "zod";
import { TenantSchema } from "../../schema/a2a";

/**
 * Who is calling, once their credentials checked out. `tenant` is set when the credential is bound to one
 * tenant (a tenant claim, an API key's tenant): such a caller may only name that tenant. Without it the caller
 * picks the tenant per request, and still only ever sees its own tasks (scope is tenant and owner).
 */
export interface Identity {
  owner: string;
  tenant?: string;
  role?: string;
  scheme: "bearer" | "apiKey" | "anonymous";
}

/** The owner every caller shares when `ALLOW_ANONYMOUS` lets requests without credentials in. */
export const ANONYMOUS: Identity = Object.freeze({ owner: "anonymous", scheme: "anonymous" });

/** Owners and roles end up in storage keys and logs: bounded, printable, no control characters. */
const Printable = (max: number) =>
  z
    .string()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    .regex(/^[^\u0000-\u001f\u007f]+$/, "must not contain control characters")
    .refine((value) => value.isWellFormed(), "must be well-formed Unicode");

export const OwnerSchema = Printable(256);
export const RoleSchema = Printable(128);
export const BoundTenantSchema = TenantSchema.min(1, "must not be empty");

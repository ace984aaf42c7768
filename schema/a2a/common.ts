import { z } from "zod";

/** google.protobuf.Struct: any JSON object. */
export const StructSchema = z.record(z.string(), z.unknown());

/** RFC 3339 timestamp as A2A sends it: UTC with a `Z` suffix (offsets are normalised on input). */
export const TimestampSchema = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());

/** ProtoJSON int32: a JSON number, or a decimal string as ProtoJSON parsers also accept. */
export const Int32Schema = z.preprocess(
  (value) => (typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value),
  z.int32(),
);

/** A ProtoJSON enum: its name as a string, or (as ProtoJSON also allows) its number; `*_UNSPECIFIED` is refused. */
export function protoEnum<const T extends readonly [string, ...string[]]>(names: T, numbers: Record<number, T[number]>) {
  return z.preprocess(
    (value) => (typeof value === "number" && value in numbers ? numbers[value] : value),
    z.enum(names),
  );
}

/** Identifiers that clients send (ids, context ids): bounded, printable, no path separators. */
export const IdSchema = z
  .string()
  .min(1, "must not be empty")
  .max(256, "must be at most 256 characters")
  .regex(/^[^\s/\\?#\u0000-\u001f]+$/, "must not contain whitespace, control characters, '/', '\\', '?' or '#'");

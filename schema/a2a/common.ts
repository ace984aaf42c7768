import { z } from "zod";

const toSnake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * A proto message as ProtoJSON reads it: camelCase names, and (as ProtoJSON parsers also accept) the proto
 * snake_case names, renamed per object so user-owned maps such as `metadata` and `data` are never touched.
 */
export function protoObject<const S extends z.ZodRawShape>(shape: S) {
  const aliases = new Map(Object.keys(shape).filter((key) => /[A-Z]/.test(key)).map((key) => [toSnake(key), key]));
  const object = z.object(shape);
  return z.preprocess((value) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
    let renamed: Record<string, unknown> | undefined;
    for (const [snake, camel] of aliases) {
      if (!(snake in value) || camel in value) continue;
      renamed ??= { ...(value as Record<string, unknown>) };
      renamed[camel] = renamed[snake];
      delete renamed[snake];
    }
    return renamed ?? value;
  }, object);
}

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

/** A tenant: a routing string that also appears as a REST path segment, so URL-safe characters only. */
export const TenantSchema = z
  .string()
  .max(128, "must be at most 128 characters")
  .regex(/^$|^[A-Za-z0-9][A-Za-z0-9._~-]*$/, "must be letters, digits, '.', '_', '~' or '-', starting with a letter or digit");

import { z } from "zod";
import { StructSchema, type Part } from "../a2a";

/**
 * A2A v0.3 Part as its JSON-RPC binding puts it on the wire: a `kind` discriminator and, for files, a nested
 * `file` object (REFERENCE §10). v0.3 servers in the field (a2a-python 0.3 among them) fill in a missing `kind`,
 * so it is inferred from the content member when absent.
 */
const FileFields = { mimeType: z.string().optional(), name: z.string().optional() };
export const V03FileWithBytesSchema = z.object({ bytes: z.string(), ...FileFields });
export const V03FileWithUriSchema = z.object({ uri: z.string(), ...FileFields });

export const V03TextPartSchema = z.object({ kind: z.literal("text"), text: z.string(), metadata: StructSchema.optional() });
export const V03FilePartSchema = z.object({
  kind: z.literal("file"),
  file: z.union([V03FileWithBytesSchema, V03FileWithUriSchema]),
  metadata: StructSchema.optional(),
});
export const V03DataPartSchema = z.object({ kind: z.literal("data"), data: StructSchema, metadata: StructSchema.optional() });

const inferKind = (value: unknown) => {
  if (typeof value !== "object" || value === null || Array.isArray(value) || "kind" in value) return value;
  const kind = "text" in value ? "text" : "file" in value ? "file" : "data" in value ? "data" : undefined;
  return kind ? { kind, ...value } : value;
};

export const V03PartSchema = z.preprocess(inferKind, z.discriminatedUnion("kind", [V03TextPartSchema, V03FilePartSchema, V03DataPartSchema]));
export type V03Part = z.infer<typeof V03PartSchema>;

/**
 * v1.0 data parts hold any JSON value, v0.3 ones only an object: other values travel as `{value}` with this
 * metadata flag, the convention of the official a2a-js compat layer, so its clients unwrap them.
 */
export const DATA_PART_COMPAT_FLAG = "data_part_compat";

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

export function fromV03Part(part: V03Part): Part {
  const metadata = part.metadata ? { metadata: part.metadata } : {};
  switch (part.kind) {
    case "text":
      return { text: part.text, ...metadata };
    case "file": {
      const { file } = part;
      const described = { ...(file.mimeType ? { mediaType: file.mimeType } : {}), ...(file.name ? { filename: file.name } : {}) };
      return "bytes" in file ? { raw: file.bytes, ...described, ...metadata } : { url: file.uri, ...described, ...metadata };
    }
    case "data": {
      if (part.metadata?.[DATA_PART_COMPAT_FLAG] !== true || !("value" in part.data)) return { data: part.data as Part["data"], ...metadata };
      const { [DATA_PART_COMPAT_FLAG]: _flag, ...rest } = part.metadata;
      return { data: part.data.value as Part["data"], ...(Object.keys(rest).length > 0 ? { metadata: rest } : {}) };
    }
  }
}

/** v1.0 → v0.3. A text or data part's `mediaType`/`filename` have no v0.3 field and are dropped. */
export function toV03Part(part: Part): V03Part {
  const metadata = part.metadata ? { metadata: part.metadata } : {};
  if (part.text !== undefined) return { kind: "text", text: part.text, ...metadata };
  const described = { ...(part.mediaType ? { mimeType: part.mediaType } : {}), ...(part.filename ? { name: part.filename } : {}) };
  if (part.raw !== undefined) return { kind: "file", file: { bytes: part.raw, ...described }, ...metadata };
  if (part.url !== undefined) return { kind: "file", file: { uri: part.url, ...described }, ...metadata };
  if (isObject(part.data)) return { kind: "data", data: part.data, ...metadata };
  return { kind: "data", data: { value: part.data ?? null }, metadata: { ...part.metadata, [DATA_PART_COMPAT_FLAG]: true } };
}

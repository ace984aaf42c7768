import { z } from "zod";
import { protoObject, StructSchema } from "./common";

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const CONTENT_KEYS = ["text", "raw", "url", "data"] as const;

/**
 * Part: exactly one of `text` | `raw` | `url` | `data`, and that member is the discriminator (no `kind`).
 * @example { text: "hi" }  { raw: "dGNr", mediaType: "text/plain", filename: "a.txt" }  { data: { k: 1 } }
 */
export const PartSchema = protoObject({
  text: z.string().optional(),
  raw: z.string().regex(BASE64, "must be standard base64").optional(),
  url: z.string().min(1).optional(),
  data: z.json().optional(),
  metadata: StructSchema.optional(),
  filename: z.string().optional(),
  mediaType: z.string().optional(),
}).check((ctx) => {
  const present = CONTENT_KEYS.filter((key) => ctx.value[key] !== undefined);
  if (present.length !== 1) {
    ctx.issues.push({
      code: "custom",
      input: ctx.value,
      message: `a part must have exactly one of text, raw, url or data (found ${present.length ? present.join(", ") : "none"})`,
    });
  }
});
export type Part = z.infer<typeof PartSchema>;

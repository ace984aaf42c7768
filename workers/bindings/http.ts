import { A2AError, TenantSchema } from "../../schema/a2a";

export const SERVED_VERSIONS = ["1.0", "0.3"] as const;
export type ProtocolVersion = (typeof SERVED_VERSIONS)[number];

/** The Major.Minor a request names in `A2A-Version` (the header, else the query parameter), patch ignored; "" if none. */
export function requestedVersion(request: Request): string {
  const header = request.headers.get("A2A-Version");
  if (header === "1.0") return header; // the v1.0 hot path: one header read, one compare
  const raw = header?.trim() || queryVersion(request.url);
  if (raw === "") return "";
  const match = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(raw);
  return match ? `${Number(match[1])}.${Number(match[2])}` : raw.slice(0, 32);
}

/** Most requests carry no query string: the URL is parsed only when the parameter can be in it. */
function queryVersion(url: string): string {
  return url.includes("A2A-Version=") ? (new URL(url).searchParams.get("A2A-Version")?.trim() ?? "") : "";
}

/**
 * The version a request is served in (REFERENCE §9): what it names, and a missing or empty version means 0.3.
 * A version the interface does not offer (`offered`, as its card entries declare) is VersionNotSupported.
 */
export function negotiateVersion(request: Request, offered: readonly ProtocolVersion[] = SERVED_VERSIONS): ProtocolVersion {
  const version = requestedVersion(request) || "0.3";
  if (!(offered as readonly string[]).includes(version)) {
    throw new A2AError("VersionNotSupported", `A2A-Version ${version} is not supported here; this interface serves ${offered.join(", ")} (no A2A-Version means 0.3)`, {
      requested: version,
      supported: offered.join(","),
    });
  }
  return version as ProtocolVersion;
}

/** JSON request bodies: `application/json`, `application/a2a+json` or any `+json` type, with parameters. */
export function isJsonContentType(contentType: string | null): boolean {
  if (contentType === null) return false;
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || type.endsWith("+json");
}

export function requireJsonContentType(request: Request): void {
  const contentType = request.headers.get("Content-Type");
  if (contentType !== null && !isJsonContentType(contentType)) {
    throw new A2AError("ContentTypeNotSupported", `Content-Type ${contentType.slice(0, 64)} is not supported; send application/json`, {
      contentType: contentType.slice(0, 64),
    });
  }
}

/** Reads at most `limit` bytes and parses JSON; an empty body is `undefined`. */
export async function readJsonBody(request: Request, limit: number): Promise<unknown> {
  return parseJson(await readBytes(request, limit, () => tooLarge(limit)));
}

/**
 * Reads at most `limit` bytes of a request's or a response's body, piece by piece whatever Content-Length says,
 * so that a body is cut off at the limit as it arrives. Beyond it, the body is cancelled and `tooLarge(declared)`
 * is thrown (with the declared length when there was one).
 */
export async function readBytes(message: Request | Response, limit: number, tooLarge: (declared?: number) => Error): Promise<Uint8Array> {
  const declared = Number(message.headers.get("Content-Length") ?? "0");
  if (declared > limit) {
    await message.body?.cancel();
    throw tooLarge(declared);
  }
  if (!message.body) return new Uint8Array(0);
  const reader = message.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0]! : concat(chunks, size);
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function parseJson(bytes: Uint8Array): unknown {
  if (bytes.byteLength === 0) return undefined;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new A2AError("ParseError", "Request body is not valid UTF-8");
  }
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new A2AError("ParseError", `Request body is not valid JSON: ${(error as Error).message.slice(0, 200)}`);
  }
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

const tooLarge = (limit: number) => new A2AError("PayloadTooLarge", `Request body exceeds ${limit} bytes`, { limitBytes: String(limit) });

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The tenant of a call: from the REST path or the request's `tenant` field; when both are given they must agree.
 * Credentials bound to a tenant decide it, and a request that names another is refused (§9).
 */
export function resolveTenant(pathTenant: string | undefined, paramsTenant: unknown, boundTenant?: string): string {
  const fromParams = typeof paramsTenant === "string" && paramsTenant !== "" ? paramsTenant : undefined;
  if (pathTenant !== undefined && fromParams !== undefined && pathTenant !== fromParams) {
    throw new A2AError("InvalidParams", "The tenant in the path and the tenant in the request differ", {}, [
      { field: "tenant", description: `path says ${pathTenant.slice(0, 64)}` },
    ]);
  }
  const requested = pathTenant ?? fromParams;
  if (boundTenant !== undefined && requested !== undefined && requested !== boundTenant) {
    throw new A2AError("PermissionDenied", "The request's tenant is not the tenant of its credentials", { tenant: requested.slice(0, 128) });
  }
  const tenant = boundTenant ?? requested ?? "";
  const checked = TenantSchema.safeParse(tenant);
  if (!checked.success) {
    const description = checked.error.issues[0]?.message ?? "invalid";
    throw new A2AError("InvalidParams", `Invalid parameters: tenant ${description}`, {}, [{ field: "tenant", description }]);
  }
  return tenant;
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
}

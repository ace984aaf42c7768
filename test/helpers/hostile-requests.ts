import fc from "fast-check";
import { METHOD_NAMES, methods, type MethodName } from "../../schema/a2a";
import { makeMessage } from "./a2a";

/**
 * fast-check arbitraries for requests that must be refused: each one carries at least one defect that no
 * combination of the rest can repair (an unusable credential, version, content type, route, envelope or
 * parameter), plus random noise that is harmless on its own.
 */

export interface HostileRequest {
  binding: "jsonrpc" | "rest";
  verb: string;
  /** Path and query below the interface URL (REST) or appended to it (JSON-RPC). */
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** Which credential: an index into the valid pool, or a hostile one. */
  credential: { valid: number } | { hostile: number };
  defects: string[];
}

const printable = (maxLength: number) => fc.string({ unit: "grapheme-ascii", maxLength }).map((s) => s.replace(/[\r\n]/g, " "));
const anyText = (maxLength: number) => fc.string({ unit: "binary", maxLength });
/** Strings the JSON-RPC `id` and A2A ids accept nowhere: wrong types. */
const notAString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(printable(5), fc.integer(), { maxKeys: 2 }));

/** Text with one unpaired UTF-16 surrogate, which no proto string (UTF-8) can hold. */
const loneSurrogate = fc
  .tuple(printable(4), fc.integer({ min: 0xd800, max: 0xdfff }), printable(4))
  .map(([before, unit, after]) => `${before}${String.fromCharCode(unit)}${after}`);

/** Valid params per method: the base a defect is applied to. */
const validParams = (method: MethodName): Record<string, unknown> =>
  ({
    SendMessage: { message: makeMessage() },
    SendStreamingMessage: { message: makeMessage() },
    GetTask: { id: crypto.randomUUID() },
    ListTasks: {},
    CancelTask: { id: crypto.randomUUID() },
    SubscribeToTask: { id: crypto.randomUUID() },
    CreateTaskPushNotificationConfig: { taskId: crypto.randomUUID(), url: "https://example.com/hook" },
    GetTaskPushNotificationConfig: { taskId: crypto.randomUUID(), id: "c1" },
    ListTaskPushNotificationConfigs: { taskId: crypto.randomUUID() },
    DeleteTaskPushNotificationConfig: { taskId: crypto.randomUUID(), id: "c1" },
    GetExtendedAgentCard: {},
  })[method];

const deep = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

type Defect = [string, (params: Record<string, unknown>) => void];

/** Changes that make any method's params invalid: every request message has `tenant`, and the JSON walk sees all. */
const universalDefect: fc.Arbitrary<Defect> = fc.oneof(
  fc.constantFrom<Defect>(
    ["tenant with a slash", (p) => (p.tenant = "a/b")],
    ["tenant of 129 characters", (p) => (p.tenant = "t".repeat(129))],
    ["tenant with NUL", (p) => (p.tenant = "a\u0000b")],
    ["tenant starting with a dash", (p) => (p.tenant = "-acme")],
    ["metadata nested 200 deep", (p) => (p.metadata = JSON.parse(`{"a":${deep(200)}}`))],
    ["a lone surrogate in a key", (p) => (p["\uD800"] = 1)],
  ),
  notAString.map((value): Defect => ["tenant of a wrong type", (p) => (p.tenant = value)]),
  loneSurrogate.map((s): Defect => ["ill-formed Unicode", (p) => (p.tenant = s)]),
);

const badHistory: Defect[] = [
  ["historyLength -1", (p) => (p.historyLength = -1)],
  ["historyLength over the limit", (p) => (p.historyLength = 1001)],
  ["historyLength 1.5", (p) => (p.historyLength = 1.5)],
];
const message = (p: Record<string, unknown>) => p.message as Record<string, unknown>;
const badSend: Defect[] = [
  ["no parts", (p) => (message(p).parts = [])],
  ["101 parts", (p) => (message(p).parts = Array.from({ length: 101 }, () => ({ text: "x" })))],
  ["role user (v0.3)", (p) => (message(p).role = "user")],
  ["no message", (p) => delete p.message],
  ["configuration.historyLength over the limit", (p) => (p.configuration = { historyLength: 1001 })],
  ["a part with two kinds", (p) => (message(p).parts = [{ text: "a", url: "https://x.test" }])],
];
const badId = (field: string): Defect[] => [
  [`${field} empty`, (p) => (p[field] = "")],
  [`${field} with a slash`, (p) => (p[field] = "a/b")],
  [`${field} of 257 characters`, (p) => (p[field] = "i".repeat(257))],
  [`no ${field}`, (p) => delete p[field]],
];

/** Defects only some methods' schemas can have. */
const SPECIFIC: Record<MethodName, Defect[]> = {
  SendMessage: badSend,
  SendStreamingMessage: badSend,
  GetTask: [...badHistory, ...badId("id")],
  ListTasks: [
    ...badHistory,
    ["pageSize 0", (p) => (p.pageSize = 0)],
    ["pageSize 101", (p) => (p.pageSize = 101)],
    ["status NOPE", (p) => (p.status = "NOPE")],
    ["pageToken garbage", (p) => (p.pageToken = "garbage")],
    ["statusTimestampAfter yesterday", (p) => (p.statusTimestampAfter = "yesterday")],
  ],
  CancelTask: badId("id"),
  SubscribeToTask: badId("id"),
  CreateTaskPushNotificationConfig: [...badId("taskId"), ["no url", (p) => delete p.url]],
  GetTaskPushNotificationConfig: [...badId("taskId"), ...badId("id")],
  ListTaskPushNotificationConfigs: [...badId("taskId"), ["pageSize 101", (p) => (p.pageSize = 101)]],
  DeleteTaskPushNotificationConfig: [...badId("taskId"), ...badId("id")],
  GetExtendedAgentCard: [],
};

/** A change that makes this method's params invalid, whatever else is in them. */
const paramDefect = (method: MethodName): fc.Arbitrary<Defect> =>
  SPECIFIC[method].length > 0 ? fc.oneof(universalDefect, fc.constantFrom(...SPECIFIC[method])) : universalDefect;

/** Additions that are harmless alone: unknown fields, which ProtoJSON parsers ignore. */
const fieldNoise = fc.dictionary(printable(12).filter((k) => k !== "" && !/^[a-z]/.test(k)), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });

/** Versions the server must refuse: not empty (served as 1.0), not 1.0 in any spelling (01.00.7). */
const hostileVersion = printable(12).filter((v) => {
  const match = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(v.trim());
  return v.trim() !== "" && !(match && Number(match[1]) === 1 && Number(match[2]) === 0);
});
const hostileContentType = fc.oneof(
  fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/json", "application/jsonp"),
  printable(30).filter((t) => {
    const type = t.split(";")[0]!.trim().toLowerCase();
    return type !== "" && type !== "application/json" && !type.endsWith("+json");
  }),
);
const noise = fc.record(
  {
    "X-Request-ID": printable(200),
    Accept: printable(40),
    "A2A-Extensions": printable(60),
  },
  { requiredKeys: [] },
);
const credential = fc.oneof(
  { weight: 3, arbitrary: fc.nat(7).map((valid) => ({ valid })) },
  { weight: 1, arbitrary: fc.nat(50).map((hostile) => ({ hostile })) },
);

const rawBody = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? "null"),
  anyText(200),
  fc.uint8Array({ maxLength: 200 }),
  fc.constantFrom("{", '{"jsonrpc":"2.0"', deep(5000), "[]", "1e999999", "\uFEFF\uFEFF{}", "null"),
);

/** A JSON-RPC request object with one defect in its envelope or params. */
const hostileEntry = fc
  .constantFrom(...METHOD_NAMES)
  .chain((method) => fc.tuple(fc.constant(method), fc.nat(3), paramDefect(method), fieldNoise, notAString, printable(40)))
  .map(([method, kind, [defect, breakParams], extra, badValue, badName]) => {
    const params = { ...validParams(method), ...extra };
    const entry: Record<string, unknown> = { jsonrpc: "2.0", id: `fuzz-${crypto.randomUUID()}`, method, params };
    if (kind === 0) entry.jsonrpc = badValue;
    else if (kind === 1) entry.method = Object.hasOwn(methods, badName) ? `${badName}/x` : badName;
    else if (kind === 2) entry.params = Array.isArray(badValue) ? badValue : [badValue];
    else breakParams(params);
    return { entry, defect: kind === 3 ? `${method} params: ${defect}` : ["jsonrpc not \"2.0\"", "unknown method", "params not an object"][kind]! };
  });

export const hostileJsonRpc: fc.Arbitrary<HostileRequest> = fc
  .tuple(
    fc.nat(5),
    fc.array(hostileEntry, { minLength: 1, maxLength: 5 }),
    rawBody,
    hostileContentType,
    hostileVersion,
    fc.constantFrom("GET", "PUT", "DELETE", "PATCH"),
    noise,
    credential,
    fc.boolean(),
  )
  .map(([kind, entries, raw, contentType, version, verb, extra, cred, badVersion]) => {
    const headers: Record<string, string> = { "Content-Type": "application/json", "A2A-Version": "1.0", ...extra };
    const defects: string[] = [];
    let body: string | Uint8Array = JSON.stringify(entries[0]!.entry);
    let method = "POST";
    if (kind === 0) defects.push(entries[0]!.defect);
    if (kind === 1) (body = JSON.stringify(entries.map((e) => e.entry))), defects.push(`batch: ${entries.map((e) => e.defect).join(", ")}`);
    if (kind === 2) (body = raw), defects.push("raw body");
    if (kind === 3) (headers["Content-Type"] = contentType), defects.push(`content type ${contentType}`), (body = JSON.stringify(entries[0]!.entry));
    if (kind === 4) (method = verb), defects.push(`verb ${verb}`);
    if (kind === 5) defects.push(entries[0]!.defect);
    if (badVersion) (headers["A2A-Version"] = version), defects.push(`version ${version}`);
    if (kind === 0 || kind === 5) defects.push(...("valid" in cred ? [] : ["credential"]));
    return { binding: "jsonrpc" as const, verb: method, path: "", headers, ...(method === "GET" ? {} : { body }), credential: cred, defects };
  });

/** REST routes with their segments filled in. */
const routeOf = (method: MethodName) => {
  const route = methods[method].rest[0]!;
  return { verb: route.verb, path: route.path.replace("{taskId}", crypto.randomUUID()).replace("{id}", crypto.randomUUID()) };
};

/** Tenant segments no route accepts: each decodes to an invalid tenant, or does not decode at all. */
const badSegment = fc.oneof(
  fc.constantFrom("%00", "%E0%A4%A", "%2F%2F", "x".repeat(300), "a%2Fb", "-acme"),
  printable(20).map((s) => `-${encodeURIComponent(s)}`),
);
const routeDefect = fc.oneof(
  fc.constantFrom("/message:sendd", "/tasks/x:frobnicate", "/a/b/c/d/e/f", "/extendedAgentCard/x", "/tasks/a/b/c/d/e", ""),
  fc.array(printable(10).map(encodeURIComponent), { minLength: 6, maxLength: 8 }).map((segments) => `/${segments.join("/")}`),
);
const queryDefect = fc.constantFrom("historyLength=-1", "historyLength=abc", "historyLength=1001", "pageSize=0", "pageSize=101", "status=NOPE", "includeArtifacts=maybe", "statusTimestampAfter=yesterday", "pageToken=garbage");
const junkQuery = fc.dictionary(printable(8).filter((k) => k !== "" && !/^[a-z]/.test(k)).map(encodeURIComponent), printable(20).map(encodeURIComponent), { maxKeys: 3 });

/** Which defect a REST request gets; each is enough on its own. */
const REST_DEFECTS = ["body or tenant", "tenant segment", "route", "verb", "content type or query", "URL length"] as const;

export const hostileRest: fc.Arbitrary<HostileRequest> = fc
  .constantFrom(...METHOD_NAMES)
  .chain((method) =>
    fc.record({
      method: fc.constant(method),
      kind: fc.nat(REST_DEFECTS.length - 1),
      defect: paramDefect(method),
      extraFields: fieldNoise,
      segment: badSegment,
      badRoute: routeDefect,
      badQuery: queryDefect,
      raw: rawBody,
      contentType: hostileContentType,
      verb: fc.constantFrom("PUT", "PATCH", "DELETE", "POST", "GET"),
      extra: noise,
      cred: credential,
      badVersion: fc.boolean(),
      version: hostileVersion,
      junk: junkQuery,
    }),
  )
  .map(({ method, kind, defect: [defect, breakParams], extraFields, segment, badRoute, badQuery, raw, contentType, verb, extra, cred, badVersion, version, junk }) => {
    const route = routeOf(method);
    const headers: Record<string, string> = { "A2A-Version": "1.0", ...extra };
    const defects: string[] = [];
    const params: Record<string, unknown> = { ...validParams(method), ...extraFields };
    // Path segments carry the ids; the body carries the rest.
    for (const key of ["id", "taskId"]) delete params[key];
    let path = route.path;
    let httpVerb: string = route.verb;
    let body: string | Uint8Array | undefined = route.verb === "POST" ? JSON.stringify(params) : undefined;
    const query = new URLSearchParams(junk);
    const isPost = route.verb === "POST";
    // Id defects would only touch the body's copy of what the path already carries.
    if (kind === 0 && isPost && !/\bid\b|taskId/.test(defect)) {
      breakParams(params);
      body = JSON.stringify(params);
      defects.push(`${method} body: ${defect}`);
    } else if (kind <= 1) {
      path = `/${segment}${path}`;
      defects.push(`tenant segment ${segment.slice(0, 20)}`);
    }
    if (kind === 2) (path = badRoute), defects.push(`route ${badRoute.slice(0, 40)}`);
    if (kind === 3) (httpVerb = verb === route.verb ? "PUT" : verb), defects.push(`verb ${httpVerb}`);
    if (kind === 4 && isPost) (body = raw), (headers["Content-Type"] = contentType), defects.push(`content type ${contentType}`);
    if (kind === 4 && !isPost) (query.append(...(badQuery.split("=") as [string, string])), (path = "/tasks"), defects.push(`query ${badQuery}`));
    if (kind === 5) (query.append("pad", "p".repeat(9000)), defects.push("URL over 8 KiB"));
    if (badVersion) (headers["A2A-Version"] = version), defects.push(`version ${version}`);
    if (!("valid" in cred)) defects.push("credential");
    if (body !== undefined && !headers["Content-Type"]) headers["Content-Type"] = "application/json";
    const search = query.toString();
    const sendsBody = httpVerb !== "GET" && httpVerb !== "DELETE";
    return {
      binding: "rest" as const,
      verb: httpVerb,
      path: search ? `${path}?${search}` : path,
      headers,
      ...(sendsBody && body !== undefined ? { body } : {}),
      credential: cred,
      defects,
    };
  });

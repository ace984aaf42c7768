import { A2AError, methods, type HttpVerb, type MethodName } from "../../schema/a2a";

export interface CompiledRoute {
  method: MethodName;
  verb: HttpVerb;
  status: number;
  pattern: RegExp;
  names: string[];
}

/**
 * A route path as a pattern. A `{name}` segment stops at `/` and `:` so that the `:verb` suffix
 * (`/tasks/{id}:cancel`) stays outside it; encode a colon in an id as %3A.
 */
export function compilePath(path: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return "([^/:]+)";
  });
  return { pattern: new RegExp(`^${source}$`), names };
}

/** REST routes compiled from the method table. */
export const ROUTES: CompiledRoute[] = Object.entries(methods).flatMap(([method, row]) =>
  row.rest.map((route) => ({ method: method as MethodName, verb: route.verb, status: "status" in route ? route.status : 200, ...compilePath(route.path) })),
);

export function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new A2AError("InvalidParams", "A path segment is not valid percent-encoding", {}, [
      { field: "path", description: `cannot decode ${segment.slice(0, 64)}` },
    ]);
  }
}

export type RouteMatch =
  | { kind: "found"; route: CompiledRoute; pathParams: Record<string, string>; tenant: string | undefined }
  | { kind: "wrong-verb"; allow: HttpVerb[] }
  | { kind: "none" };

function matchPath(path: string, verb: string): RouteMatch {
  const allow: HttpVerb[] = [];
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    if (route.verb !== verb) {
      allow.push(route.verb);
      continue;
    }
    const pathParams = Object.fromEntries(route.names.map((name, i) => [name, decode(match[i + 1]!)]));
    return { kind: "found", route, pathParams, tenant: undefined };
  }
  return allow.length > 0 ? { kind: "wrong-verb", allow } : { kind: "none" };
}

/** Matches `path` as is, then as `/{tenant}/…` (proto additional_bindings). */
export function matchRoute(path: string, verb: string): RouteMatch {
  const direct = matchPath(path, verb);
  if (direct.kind !== "none") return direct;
  const tenantMatch = /^\/([^/]+)(\/.*)$/.exec(path);
  if (!tenantMatch) return direct;
  const scoped = matchPath(tenantMatch[2]!, verb);
  return scoped.kind === "found" ? { ...scoped, tenant: decode(tenantMatch[1]!) } : scoped;
}

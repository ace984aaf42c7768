import { invalidParams, methods, type MethodName, type StreamingMethod, type UnaryMethod } from "../../schema/a2a";
import { dispatch, dispatchStream, type CallContext } from "../handlers";
import type { TaskFeed } from "../streams";
import { checkCallLimits } from "../limits";
import type { RequestLog } from "../request-log";
import { resolveTenant } from "./http";
import { checkJsonTree } from "./json-tree";

/**
 * What every binding knows before it has read a method: the caller and the deployment. `tenant` is set when
 * the caller's credentials are bound to one; `log` collects what the request log line reports.
 */
export type BaseContext = Omit<CallContext, "scope"> & { owner: string; tenant?: string; log?: RequestLog };

export type Invocation = { kind: "unary"; result: unknown } | { kind: "stream"; feed: TaskFeed };

/** Validates params against the method table and calls the handler: the one path shared by all bindings. */
export async function invoke(method: MethodName, raw: Record<string, unknown>, base: BaseContext, pathTenant?: string): Promise<Invocation> {
  const row = methods[method];
  base.log?.methods.push(method);
  checkJsonTree(raw);
  const parsed = row.params.safeParse(raw);
  if (!parsed.success) throw invalidParams(parsed.error.issues);
  checkCallLimits(parsed.data as Parameters<typeof checkCallLimits>[0]);
  const { owner, tenant: boundTenant, log, ...rest } = base;
  const tenant = resolveTenant(pathTenant, raw.tenant, boundTenant);
  if (log) log.tenant = tenant;
  const ctx: CallContext = { ...rest, scope: { agent: rest.site.agent.id, tenant, owner } };
  if (row.streaming) {
    return { kind: "stream", feed: await dispatchStream(method as StreamingMethod, parsed.data as never, ctx) };
  }
  return { kind: "unary", result: await dispatch(method as UnaryMethod, parsed.data as never, ctx) };
}

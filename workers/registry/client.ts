import { ClientFactory, DefaultAgentCardResolver, JsonRpcTransportFactory, RestTransportFactory, type Client } from "@a2a-js/sdk/client";
import { credentialHeaders, type DownstreamCaller } from "./credentials";
import type { RegisteredAgent, ReplicaState } from "./entry";
import { OutboundRefused, outboundFetch } from "./outbound";
import { newTraceparent } from "./trace";

/** What the transport saw of the last request: the HTTP status, or that it never got an answer. */
export interface Exchange {
  status?: number;
  /** The request failed before any response: refused connection, reset, DNS. */
  unreachable?: boolean;
  /** No response headers within the attempt's limit. */
  timedOut?: boolean;
}

const LEGACY = { legacyCompat: { enabled: true } } as const;

/**
 * The official SDK client for one replica, from the card the registry verified (v1.0, or v0.3 through the SDK's
 * compat layer; JSON-RPC or REST as the card prefers). Every request it sends goes through the registry's guarded
 * fetch (SSRF rules, no redirects, the loopback for hosted agents), carries the entry's credentials and a
 * `traceparent` in `traceId`, and reports what happened into `exchange`. A request with no response headers
 * within `connectTimeoutMs` is aborted as timed out.
 */
export async function replicaClient(
  env: Env,
  agent: Pick<RegisteredAgent, "id" | "credentials" | "trusted">,
  replica: Pick<ReplicaState, "cardUrl" | "card">,
  caller: DownstreamCaller,
  traceId: string,
  exchange: Exchange,
  connectTimeoutMs: number,
): Promise<Client> {
  const guarded = outboundFetch(env);
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const headers = new Headers(request.headers);
    for (const [name, value] of Object.entries(await credentialHeaders(env, agent, replica.cardUrl, caller))) headers.set(name, value);
    headers.set("traceparent", newTraceparent(traceId));
    // The limit holds until the response headers arrive; the body (a stream) runs on for as long as it lasts.
    const controller = new AbortController();
    const abort = () => controller.abort(request.signal.reason);
    if (request.signal.aborted) abort();
    else request.signal.addEventListener("abort", abort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException(`no response within ${connectTimeoutMs} ms`, "TimeoutError"));
    }, connectTimeoutMs);
    exchange.status = undefined;
    exchange.unreachable = false;
    exchange.timedOut = false;
    try {
      const response = await guarded(new Request(request, { headers, signal: controller.signal }));
      exchange.status = response.status;
      return response;
    } catch (error) {
      if (timedOut) exchange.timedOut = true;
      else if (!request.signal.aborted && !(error instanceof OutboundRefused)) exchange.unreachable = true;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }) as typeof fetch;
  const factory = new ClientFactory({
    transports: [new JsonRpcTransportFactory({ fetchImpl, ...LEGACY }), new RestTransportFactory({ fetchImpl, ...LEGACY })],
    cardResolver: new DefaultAgentCardResolver({ fetchImpl, ...LEGACY }),
  });
  return factory.createFromAgentCard(new DefaultAgentCardResolver(LEGACY).normalizeAgentCard(replica.card));
}

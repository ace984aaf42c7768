import { replicaClient } from "../../../../workers/registry/client";
import { getAgent, registryDb, runningChildren, saveDelegation } from "../../../../workers/registry/store";
import { traceIdOf } from "../../../../workers/registry/trace";

/**
 * Cancels every child task a parent task still has running downstream (CancelTask on the replica that holds
 * each), as the user it was created for. For the moments no delegation call is running to see the parent's signal
 * abort: a parent cancelled or failed while it waits for input that a child asked for, or after a restart. A
 * child of a `forward`-credentials agent cannot be cancelled once the caller's token is gone (it is never kept).
 * Returns the child task ids it cancelled.
 */
export async function cancelChildren(env: Env, parentTaskId: string): Promise<string[]> {
  const db = registryDb(env);
  const children = await runningChildren(db, parentTaskId);
  const traceId = await traceIdOf(parentTaskId);
  const cancelled = await Promise.all(
    children.map(async (child) => {
      if (!child.childTaskId) return undefined;
      const agent = await getAgent(db, child.agentId);
      const replica = agent?.replicaStates.find((r) => r.cardUrl === child.cardUrl);
      if (!agent || !replica?.card) return undefined;
      try {
        const caller = { owner: child.callerOwner, tenant: child.callerTenant, role: child.callerRole };
        const client = await replicaClient(env, agent, replica, caller, traceId, {}, 5000);
        await client.cancelTask({ tenant: "", id: child.childTaskId, metadata: undefined }, { signal: AbortSignal.timeout(5000) });
        await saveDelegation(db, { ...child, state: "canceled" });
        return child.childTaskId;
      } catch (error) {
        console.warn(JSON.stringify({ at: "delegate-cancel", agentId: child.agentId, taskId: child.childTaskId, error: String(error).slice(0, 200) }));
        return undefined;
      }
    }),
  );
  return cancelled.filter((id): id is string => id !== undefined);
}

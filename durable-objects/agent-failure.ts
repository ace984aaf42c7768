/**
 * An agent's exception, reported twice: in full in the operator's log (request id, task id, stack), and as a
 * task status message the caller may read, which names the request id and nothing of the exception (its text may
 * carry internals: a connection string, a path, a model's raw answer).
 * @returns the status message for the failed task
 */
export function reportAgentFailure(error: unknown, ids: { taskId: string | undefined; requestId: string | undefined }): string {
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  console.error(JSON.stringify({ at: "agent", requestId: ids.requestId, taskId: ids.taskId, error: stack }));
  return ids.requestId === undefined ? "The agent failed; the server log has the details" : `The agent failed; the server log has it under request ${ids.requestId}`;
}

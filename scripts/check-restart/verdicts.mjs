// What the restart check compares: a run's outcome, the model calls it made, and the events a client received.

/** What two runs must agree on: the steps, the tool calls and results, the answer and the artifacts' text. */
export function outcomeOf(task) {
  return {
    state: task.status.state,
    notes: (task.history ?? []).map((m) => m.metadata?.orchestration?.kind ?? m.role),
    parts: (task.history ?? []).slice(1).map((m) =>
      m.parts.map((p) => {
        if (p.data?.toolCall) return { toolCall: { name: p.data.toolCall.name, args: p.data.toolCall.args } };
        if (p.data?.toolResult) return { toolResult: { name: p.data.toolResult.name, value: p.data.toolResult.value } };
        return p;
      }),
    ),
    artifacts: (task.artifacts ?? []).map((a) => a.parts.map((p) => p.text ?? "").join("")),
  };
}

/**
 * The model calls a run made, grouped by prompt: `counts[i]` is how often step i's prompt was sent (a step's
 * prompt is the conversation up to it, so each step has its own), and `inOrder` says no prompt came after a
 * later step's: a completed step was never asked again.
 */
export function promptOrder(requests) {
  const prompts = requests.map((r) => JSON.stringify(r.body?.messages ?? null));
  const distinct = [...new Set(prompts)];
  const indices = prompts.map((p) => distinct.indexOf(p));
  return {
    counts: distinct.map((p) => prompts.filter((q) => q === p).length),
    inOrder: indices.every((index, i) => i === 0 || index >= indices[i - 1]),
  };
}

/**
 * How the events a client got over its successive connections differ from the task's whole event log (a replay
 * from Last-Event-ID 0): a missing, repeated, unexpected or changed event. Empty when it got each exactly once.
 * @param {{ id?: number, result?: unknown }[][]} connections  events per connection, in order
 * @param {{ id?: number, result?: unknown }[]} log
 */
export function streamGaps(connections, log) {
  const received = connections.flat().filter((e) => e.result !== undefined);
  const problems = [];
  const byId = new Map(log.filter((e) => e.id !== undefined).map((e) => [e.id, e]));
  const seen = new Set();
  let previous = -Infinity;
  for (const event of received) {
    if (event.id === undefined) problems.push(`an event without an id: ${JSON.stringify(event.result).slice(0, 120)}`);
    else if (seen.has(event.id)) problems.push(`event ${event.id} arrived twice`);
    else if (event.id < previous) problems.push(`event ${event.id} arrived after ${previous}`);
    else if (!byId.has(event.id)) problems.push(`event ${event.id} is not in the task's log`);
    else if (JSON.stringify(byId.get(event.id).result) !== JSON.stringify(event.result)) problems.push(`event ${event.id} differs from the log's`);
    if (event.id !== undefined) {
      seen.add(event.id);
      previous = Math.max(previous, event.id);
    }
  }
  const missing = [...byId.keys()].filter((id) => !seen.has(id));
  if (missing.length > 0) problems.push(`never received: ${missing.join(", ")}`);
  return problems;
}

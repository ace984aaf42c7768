import { A2AError, type Task } from "../schema/a2a";
import type { Frame } from "./fanout";
import { isTerminal, viewTask } from "./reducer";
import type { TaskStorage } from "./sql";

/**
 * What a new subscriber gets first (REFERENCE §5): the task snapshot, or after a Last-Event-ID exactly the
 * events it missed (none if it missed none), or the snapshot if those were pruned. A terminal task has
 * nothing to subscribe to, unless the subscriber is catching up on its last events.
 */
export function openingFrames(storage: TaskStorage, task: Task, version: number, after: number | undefined): { frames: Frame[]; close: boolean } {
  const terminal = isTerminal(task.status.state);
  const snapshot: Frame = { seq: version, event: { task: viewTask(task) } };
  if (after !== undefined) {
    const oldest = storage.oldestEventSeq();
    const pruned = after < version && (oldest === undefined || oldest > after + 1);
    if (pruned) return { frames: [snapshot], close: terminal };
    const missed = storage.eventsAfter(after);
    if (missed.length > 0) return { frames: missed, close: terminal };
    if (!terminal) return { frames: [], close: false };
  }
  if (terminal) {
    throw new A2AError("UnsupportedOperation", `Task ${task.id} is ${task.status.state}; there is nothing to subscribe to`, {
      taskId: task.id,
      state: task.status.state,
    });
  }
  return { frames: [snapshot], close: false };
}

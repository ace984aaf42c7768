// The wire types, shared with the server (type-only imports: nothing of the server is bundled).
import type { Message, Task, TaskArtifactUpdateEvent, TaskStatusUpdateEvent } from "../../../schema/a2a";

export type { AgentCard, AgentInterface, Artifact, Message, Part, Task, TaskState } from "../../../schema/a2a";

/** One stream event (StreamResponse), read loosely: exactly one member is set, whichever agent sent it. */
export interface StreamResponse {
  task?: Task;
  message?: Message;
  statusUpdate?: TaskStatusUpdateEvent;
  artifactUpdate?: TaskArtifactUpdateEvent;
}

export const TERMINAL = new Set(["TASK_STATE_COMPLETED", "TASK_STATE_FAILED", "TASK_STATE_CANCELED", "TASK_STATE_REJECTED"]);
export const INTERRUPTED = new Set(["TASK_STATE_INPUT_REQUIRED", "TASK_STATE_AUTH_REQUIRED"]);

import { createApp } from "./app";

export { TaskObject } from "../durable-objects/task-object";
export { IndexWriter } from "../durable-objects/index-writer";
export { ContextObject } from "../durable-objects/context-object";

export default createApp();

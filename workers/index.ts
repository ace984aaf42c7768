import { createApp } from "./app";

export { TaskObject } from "../durable-objects/task-object";
export { IndexWriter } from "../durable-objects/index-writer";

export default createApp();

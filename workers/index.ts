import { createApp } from "./app";

export { TaskObject } from "../durable-objects/task-object";

export default createApp();

import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  // Every file of schema/db holds one area's tables (tasks and history, the registry, …).
  schema: "./schema/db/*.ts",
  out: "./schema/db/migrations",
});

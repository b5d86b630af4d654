import { defineConfig } from "drizzle-kit";

// The Postgres twin of drizzle.config.ts (SQLite): one schema and one migrations folder per dialect.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema.postgres.ts",
  out: "./drizzle/postgres",
  casing: "snake_case",
});

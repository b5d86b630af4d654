import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // The store's logger reads LOG_LEVEL through the env module like in production; tests keep it quiet.
    env: { LOG_LEVEL: "silent" },
  },
});

import { defineConfig } from "vitest/config";

import { sharedTestOptions } from "../vitest.shared.js";

export default defineConfig({
  test: {
    ...sharedTestOptions,
    // The store's logger reads LOG_LEVEL through the env module like in production; tests keep it quiet.
    env: { LOG_LEVEL: "silent" },
  },
});

import { defineConfig } from "vitest/config";

import { sharedTestOptions } from "../vitest.shared.js";

export default defineConfig({
  test: {
    ...sharedTestOptions,
    // The store's modules read LOG_LEVEL through its env module like in production; tests keep it quiet.
    env: { LOG_LEVEL: "silent" },
  },
});

// One lint configuration for every workspace: type-aware rules from typescript-eslint, React hooks and
// Next's rules where they apply, and a ban on reading process.env outside each service's env module.
import js from "@eslint/js";
import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/.next/**",
      "**/node_modules/**",
      "**/next-env.d.ts",
      "**/test-results/**",
      "**/playwright-report/**",
      "**/bench/.out/**",
    ],
  },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: { allowDefaultProject: ["*.js", "*.config.ts"] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      "@typescript-eslint/consistent-type-definitions": ["error", "type"],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through the service's env module." },
      ],
    },
  },
  {
    // The env modules are the one place configuration is read; next's runtime marker is not configuration.
    // A test harness reads how the run was set up (which database to test on), not the service's configuration.
    files: [
      "**/src/env.ts",
      "**/src/instrumentation.ts",
      "**/src/testing.ts",
      "**/src/test/**",
      "**/src/testing/**",
      "e2e/**",
      "tools/**",
      "**/bench/**",
    ],
    rules: { "no-restricted-properties": "off" },
  },
  {
    // The warehouse's staff dashboard: a React app built by Vite, served by the warehouse itself.
    files: ["warehouse-api/dashboard/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ["store-web/**/*.{ts,tsx}"],
    plugins: { "@next/next": nextPlugin, "react-hooks": reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      ...reactHooks.configs.recommended.rules,
      // App Router only: there is no pages/ directory for this rule to check against.
      "@next/next/no-html-link-for-pages": "off",
    },
  },
  {
    files: ["**/*.test.ts", "e2e/**"],
    rules: {
      // Tests read response bodies whose shape they assert; a cast is the assertion's premise.
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
    },
  },
  { files: ["**/*.js"], extends: [tseslint.configs.disableTypeChecked] },
);

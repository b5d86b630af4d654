import { existsSync } from "node:fs";

import { chromium } from "@playwright/test";

const SYSTEM_CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

/**
 * Playwright's own Chromium when `npx playwright install` has been run, otherwise the system's
 * (Debian's `chromium` package): machines that cannot download Playwright's build still run the suite.
 * PLAYWRIGHT_CHROMIUM_EXECUTABLE overrides both.
 */
export function findChromium(): string {
  const candidates = [process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE, chromium.executablePath(), ...SYSTEM_CHROMIUM];
  const found = candidates.find((path): path is string => Boolean(path) && existsSync(path ?? ""));
  if (!found) {
    throw new Error(
      "No Chromium found. Run `npx playwright install chromium`, install your system's chromium package " +
        "(Debian: apt-get install -y chromium), or set PLAYWRIGHT_CHROMIUM_EXECUTABLE.",
    );
  }
  return found;
}

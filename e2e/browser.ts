import { devices, type PlaywrightTestConfig } from "@playwright/test";

/** The browser every end-to-end run uses: Debian's Chromium, headless, nothing phoning home. */
export const BROWSER: PlaywrightTestConfig["use"] = {
  trace: "retain-on-failure",
  screenshot: "only-on-failure",
  ...devices["Desktop Chrome"],
  launchOptions: {
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  },
};

/**
 * What both end-to-end runs (playwright.config.ts, playwright.fleet.config.ts) share: one
 * worker, generous deadlines, the admin's sign-in, and this browser against the web at `webUrl`.
 */
export function e2eRunOptions(webUrl: string, storageState: string): PlaywrightTestConfig {
  return {
    // Deadlines catch hangs only: a slow machine must not fail a test that would pass.
    timeout: 300_000,
    expect: { timeout: 60_000 },
    fullyParallel: false,
    workers: 1,
    reporter: [["list"]],
    // Relative to the configs, at the repository's root.
    globalSetup: "./e2e/global-setup.ts",
    use: {
      baseURL: webUrl,
      // Signed in as the admin (global-setup.ts) unless a test opens a context of its own.
      storageState,
      // State-changing API calls must carry Corral's Origin, as a browser's would.
      extraHTTPHeaders: { origin: webUrl },
      ...BROWSER,
    },
  };
}

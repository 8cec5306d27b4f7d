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

import { test as base, expect } from "@playwright/test";

const LIVE = new Set(["queued", "booting", "running", "stopping"]);

/**
 * Playwright's `test`, with one addition: every test leaves the host as it found it. Guests
 * a test started are forced off afterwards, whether it passed or failed, so a failed test
 * never leaves kernels running that change what the next test counts or how fast it runs.
 */
export const test = base.extend<{ stopsItsGuests: void }>({
  stopsItsGuests: [
    async ({ request }, use) => {
      const ids = async () =>
        ((await (await request.get("/api/guests")).json()) as Array<{ id: string }>).map((g) => g.id);
      const before = new Set(await ids());
      await use();
      const after = (await (await request.get("/api/guests")).json()) as Array<{ id: string; state: string }>;
      for (const g of after) {
        if (!before.has(g.id) && LIVE.has(g.state)) await request.post(`/api/guests/${g.id}/force-off`);
      }
    },
    { auto: true },
  ],
});

export { expect };

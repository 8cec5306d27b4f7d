import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GuestView } from "../../lib/shared/protocol";
import { TestDaemon } from "../test-support/daemon-harness";

// A force off that arrives as the guest's boot is admitted — its kernel just forked, perhaps
// without a process group yet (uml/kernel-process.ts killChildAndGroup) — must end it like any
// other: the guest reaches "stopped", each boot it began is ended, and no process of it is
// left. The window itself cannot be held open from here: each round lands the force off a
// little later in the admission and spawn.
describe("force off right after a start (real UML)", () => {
  const daemon = new TestDaemon();
  beforeAll(() => daemon.start());
  afterAll(() => daemon.cleanup());

  /** Processes whose command line names the guest (its kernel and helpers: their paths hold its id). */
  const processesOf = (id: string) => spawnSync("pgrep", ["-f", id], { encoding: "utf8" }).stdout.trim();

  it("stops the guest every time, wherever in its boot the force off lands, and leaves no process", async () => {
    const guest = await daemon.createGuest("early-off", { network: "none" });
    for (let round = 0; round < 8; round++) {
      const start = await daemon.api<GuestView>("POST", `/api/guests/${guest.id}/start`);
      expect(start.status).toBe(202);
      await new Promise((r) => setTimeout(r, round * 15));
      const off = await daemon.api<GuestView>("POST", `/api/guests/${guest.id}/force-off`);
      expect(off.status, `round ${round}: ${JSON.stringify(off.body)}\n${daemon.logText.slice(-6000)}`).toBe(202);
      await daemon.waitForState(guest.id, "stopped", 60_000);
    }
    const db = daemon.openDb();
    const boots = await db.boot.findMany({ where: { guestId: guest.id } }).finally(() => db.$disconnect());
    // A start here is admitted at once (no storm holds the slots): each force off came after it.
    expect(boots).toHaveLength(8);
    for (const b of boots) expect(b).toMatchObject({ outcome: "killed", endedAt: expect.any(Date) });
    expect(processesOf(guest.id)).toBe("");
  });

  // A kernel killed as it makes the disk layer (the first boot's first milliseconds) leaves
  // root.cow empty or a bare header: no sector of the guest is in it, and the next start
  // must boot, not refuse the disk as damaged.
  it("boots over a disk layer that a kernel killed while making it left unfinished", async () => {
    const guest = await daemon.createGuest("unfinished", { network: "none" });
    const cow = path.join(daemon.dataDir, "guests", guest.id, "root.cow");
    fs.writeFileSync(cow, "");
    await daemon.startGuest(guest.id);
    await daemon.api("POST", `/api/guests/${guest.id}/force-off`);
    await daemon.waitForState(guest.id, "stopped");
    expect(fs.statSync(cow).size).toBeGreaterThan(32 + 4096);
    fs.truncateSync(cow, 32 + 4096); // the header written, the file not yet extended past it
    const again = await daemon.startGuest(guest.id);
    expect(again.lastBoot).toMatchObject({ number: 2 });
    await daemon.api("POST", `/api/guests/${guest.id}/force-off`);
    await daemon.waitForState(guest.id, "stopped");
  });
});

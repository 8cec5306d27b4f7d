// The memory a host's guests were given but had not touched at a tick (the fleet table's
// headroom keeps it free), summed by the database: against a real, migrated database (SQLite,
// or PostgreSQL under CORRAL_TEST_DATABASE=postgres), it is the sum over that host's samples
// of that tick alone, and a guest holding more than it was given counts nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../lib/server/database";
import { promisedAt } from "../../lib/server/reads/fleet-consolidation";
import { openSampleRig, rawGuestRow, type SampleRig } from "../test-support/sample-rig";

const TICK = new Date(Date.UTC(2026, 10, 1, 12, 0, 5));
const EARLIER = new Date(TICK.getTime() - 5_000);

describe("a host's promised memory at a tick (real database)", () => {
  let rig: SampleRig;
  let db: Db;

  beforeAll(async () => {
    rig = await openSampleRig(["rack-1", "rack-2"], 3, TICK);
    db = rig.db;
    const [rack1, rack2] = rig.hosts;
    const [g0, g1, g2] = rig.guests; // each given 64 MiB
    await db.guest.update({ where: { id: g1 }, data: { memoryMiB: 96 } });
    await db.guestSample.createMany({
      data: [
        rawGuestRow(g0, rack1, TICK, 1, 12 * 1024 + 512), // 51.5 MiB untouched
        rawGuestRow(g1, rack1, TICK, 1, 20 * 1024), // 76 MiB untouched
        rawGuestRow(g2, rack1, TICK, 1, 70 * 1024), // over its 64 MiB: none
        rawGuestRow(g0, rack1, EARLIER, 1, 0), // another tick
        rawGuestRow(g2, rack2, TICK, 1, 0), // another host
      ],
    });
  });
  afterAll(() => rig?.close());

  it("sums what each guest of the host was given and had not touched at that tick", async () => {
    expect(await promisedAt(db, rig.hosts[0], TICK)).toBeCloseTo(51.5 + 76, 9);
    expect(await promisedAt(db, rig.hosts[1], TICK)).toBeCloseTo(64, 9);
    expect(await promisedAt(db, rig.hosts[0], EARLIER)).toBeCloseTo(64, 9);
  });

  it("is nothing at a tick the host has no samples of", async () => {
    expect(await promisedAt(db, rig.hosts[1], EARLIER)).toBe(0);
  });
});

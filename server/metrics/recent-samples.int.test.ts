// The guest list's sparklines (lib/server/reads/recent-samples.ts) against a real, migrated
// database (SQLite, or PostgreSQL under CORRAL_TEST_DATABASE=postgres): the window ending at
// a tick, of the asked guests only, on every tick of the window and no other.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../lib/server/database";
import { readRecentSamples } from "../../lib/server/reads/recent-samples";
import { CPU_WINDOW_MS } from "../../lib/shared/consolidation";
import { toHostSampleView } from "../../lib/shared/metric-views";
import { openSampleRig, rawGuestRow, rawHostRow, type SampleRig } from "../test-support/sample-rig";

const T0 = Date.UTC(2026, 10, 1, 12, 0);
const TICKS = Array.from({ length: 150 }, (_, i) => T0 + i * 5_000); // 12.5 minutes
const END = TICKS.at(-1)!;
const inWindow = TICKS.filter((t) => t > END - CPU_WINDOW_MS);
const cpuAt = (g: number, t: number) => g * 10 + (((t - T0) / 5_000) % 7);

describe("the guest list's recent samples (real database)", () => {
  let rig: SampleRig;
  let db: Db;

  beforeAll(async () => {
    rig = await openSampleRig(["rack-1"], 3, new Date(T0));
    db = rig.db;
    const [rack] = rig.hosts;
    // g-01 misses one tick of the window; every guest has rows before it too.
    const missed = inWindow[10];
    const rows = TICKS.flatMap((t) =>
      rig.guests
        .map((id, g) => rawGuestRow(id, rack, new Date(t), cpuAt(g, t), 1024 * (g + 1)))
        .filter((r) => !(r.guestId === rig.guests[1] && r.at.getTime() === missed)),
    );
    await db.guestSample.createMany({ data: rows });
    await db.hostSample.createMany({ data: TICKS.map((t) => rawHostRow(rack, new Date(t))) });
  });
  afterAll(() => rig?.close());

  it("aligns the asked guests' samples of the window on its ticks, and reads no other guest's", async () => {
    const host = toHostSampleView((await db.hostSample.findFirst({ where: { at: new Date(END) } }))!);
    const [g0, g1] = rig.guests;
    const recent = await readRecentSamples(db, host, [g0, g1]);
    expect(recent.ticks).toEqual(inWindow);
    expect(Object.keys(recent.cpu).sort()).toEqual([g0, g1].sort());
    expect(recent.cpu[g0]).toEqual(inWindow.map((t) => cpuAt(0, t)));
    expect(recent.mem[g0]).toEqual(inWindow.map(() => 1));
    expect(recent.cpu[g1]).toEqual(inWindow.map((t, i) => (i === 10 ? null : cpuAt(1, t))));
    expect(recent.mem[g1]).toEqual(inWindow.map((_, i) => (i === 10 ? null : 2)));
  });

  it("is empty with no tick or no guests asked", async () => {
    const host = toHostSampleView((await db.hostSample.findFirst({ where: { at: new Date(END) } }))!);
    expect(await readRecentSamples(db, null, rig.guests)).toEqual({ ticks: [], cpu: {}, mem: {} });
    expect(await readRecentSamples(db, host, [])).toEqual({ ticks: [], cpu: {}, mem: {} });
  });
});

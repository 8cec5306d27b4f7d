// A guest's newest boot as its view and the consolidation page's boot health read it
// (lib/server/reads/last-boots.ts, listLastBootHealth) against a real, migrated database
// (SQLite, or PostgreSQL under CORRAL_TEST_DATABASE=postgres): the highest number, whatever
// order the boots were written in, with that boot's health and not an older one's; none for
// a guest that never booted; and every guest of a list longer than one statement's share.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../lib/server/database";
import { listLastBootHealth } from "../../lib/server/reads/boot-analyses";
import { readGuest } from "../../lib/server/reads/guests";
import { withLastBoot } from "../../lib/server/reads/last-boots";
import { openSampleRig, type SampleRig } from "../test-support/sample-rig";

const T0 = Date.UTC(2026, 10, 1, 12);
const NETWORK = { bridgeCidr: "10.77.0.1/24", forwardAddress: "127.0.0.1" };

describe("a guest's newest boot (real database)", () => {
  let rig: SampleRig;
  let db: Db;
  let g: string[];

  const boot = (guestId: string, number: number) => ({
    id: `${guestId}-b${number}`,
    guestId,
    number,
    startedAt: new Date(T0 + number * 60_000),
    logBytes: 100,
  });
  const analysis = (bootId: string, health: { hasFailures: boolean; regressed: boolean }) => ({
    ...{ bootId, version: 1, analyzedAt: new Date(T0), complete: true, analysis: "{}", comparison: "{}" },
    ...{ problems: health.hasFailures ? 1 : 0, summary: "s", ...health },
  });

  beforeAll(async () => {
    rig = await openSampleRig(["rack-1"], 4, new Date(T0));
    db = rig.db;
    g = rig.guests;
    // g-00: boots 1–5 written out of order; its newest (5) failed, an older one (3) regressed.
    // g-01: its older boot failed, its newest (2) has no analysis. g-02: never booted.
    // g-03: one boot, regressed.
    await db.boot.createMany({
      data: [boot(g[0], 3), boot(g[0], 5), boot(g[0], 1), boot(g[0], 4), boot(g[0], 2)],
    });
    await db.boot.createMany({ data: [boot(g[1], 2), boot(g[1], 1), boot(g[3], 1)] });
    await db.bootAnalysis.createMany({
      data: [
        analysis(`${g[0]}-b5`, { hasFailures: true, regressed: false }),
        analysis(`${g[0]}-b3`, { hasFailures: false, regressed: true }),
        analysis(`${g[1]}-b1`, { hasFailures: true, regressed: false }),
        analysis(`${g[3]}-b1`, { hasFailures: false, regressed: true }),
      ],
    });
  });
  afterAll(() => rig?.close());

  it("is the highest-numbered boot, with that boot's health; none for a guest that never booted", async () => {
    const rows = await withLastBoot(
      db,
      g.map((id) => ({ id })),
    );
    expect(rows.map((r) => r.boots.map((b) => b.number))).toEqual([[5], [2], [], [1]]);
    expect(rows[0].boots[0].analysis).toMatchObject({ hasFailures: true, regressed: false, problems: 1 });
    expect(rows[1].boots[0].analysis).toBeNull();
    // Through a guest's view, as the API and the pages read it.
    const view = await readGuest({ db, network: NETWORK }, g[0]);
    expect(view?.lastBoot).toMatchObject({ number: 5, health: { hasFailures: true, regressed: false } });
    expect((await readGuest({ db, network: NETWORK }, g[2]))?.lastBoot).toBeNull();
  });

  it("lists the guests whose newest boot failed or regressed, by name, with that boot's number", async () => {
    expect(await listLastBootHealth(db)).toEqual([
      { guestId: g[0], name: "g-00", bootNumber: 5, hasFailures: true, regressed: false },
      { guestId: g[3], name: "g-03", bootNumber: 1, hasFailures: false, regressed: true },
    ]);
  });

  it("reads every guest of a list longer than one statement takes", async () => {
    const image = await db.image.findFirstOrThrow();
    const many = Array.from({ length: 1_203 }, (_, i) => `many-${String(i).padStart(4, "0")}`);
    await db.guest.createMany({ data: many.map((id) => ({ id, name: id, imageId: image.id, memoryMiB: 64 })) });
    await db.boot.createMany({ data: many.flatMap((id, i) => [boot(id, 1), boot(id, 2 + (i % 3))]) });
    const rows = await withLastBoot(
      db,
      many.map((id) => ({ id })),
    );
    expect(rows.map((r) => r.boots[0]?.number)).toEqual(many.map((_, i) => 2 + (i % 3)));
  });
});

// The guest list's read model (lib/server/reads/guests.ts) against a real, migrated database
// (SQLite, or PostgreSQL under CORRAL_TEST_DATABASE=postgres): search, filters, sort, paging and who sees what.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../lib/server/database";
import { guestFilterChoices, queryGuests, type GuestReader } from "../../lib/server/reads/guests";
import type { Actor } from "../../lib/shared/permissions";
import type { GuestListQuery } from "../../lib/shared/protocol";
import { migrateDatabase } from "../migrate";
import { createTestDatabase, dropTestDatabase, testDatabaseUrl } from "../test-support/test-database";

const root = path.resolve(__dirname, "../..");
const STATES = ["stopped", "running", "crashed"] as const;

describe("the guest list read model (real database)", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-list-"));
  const url = testDatabaseUrl(dataDir);
  let db: Db;
  let reader: GuestReader;
  const who = {} as Record<"admin" | "ann" | "bob" | "manager", Actor>;

  beforeAll(async () => {
    await createTestDatabase(url);
    await migrateDatabase(root, dataDir, url);
    db = openDatabase(url);
    reader = { db, network: { bridgeCidr: "10.77.0.1/24", forwardAddress: "127.0.0.1" } };
    for (const [name, role] of [
      ["admin", "admin"],
      ["ann", "developer"],
      ["bob", "developer"],
      ["manager", "manager"],
    ] as const) {
      const u = await db.user.create({ data: { username: name, role, passwordHash: "x" } });
      who[name] = { id: u.id, role };
    }
    const images = await Promise.all(
      ["alpha", "beta"].map((name) =>
        db.image.create({ data: { name, path: `/images/${name}.img`, sizeBytes: 1n, sha256: name } }),
      ),
    );
    // Two hosts: rack-1 heard from now (within an hour's heartbeat), rack-2 silent for a day.
    const host = (name: string, lastSeenAt: Date, heartbeatSeconds: number) =>
      db.host.create({
        data: {
          name,
          address: "http://x",
          cores: 1,
          memoryMiB: 1,
          diskFreeMiB: 1,
          kernel: "k",
          version: "v",
          startedAt: lastSeenAt,
          lastSeenAt,
          heartbeatSeconds,
        },
      });
    const racks = [await host("rack-1", new Date(), 3600), await host("rack-2", new Date(Date.now() - 86_400_000), 10)];
    // 30 guests: g-00…g-29. Ann owns the even ones, Bob the odd; memory falls as the number
    // rises; states and images cycle; g-25…g-29 run on rack-2, the rest on rack-1.
    for (let i = 0; i < 30; i++) {
      const g = await db.guest.create({
        data: {
          name: `g-${String(i).padStart(2, "0")}`,
          ownerId: i % 2 ? who.bob.id : who.ann.id,
          imageId: images[i % 3 === 0 ? 1 : 0].id,
          memoryMiB: 48 + (30 - i) * 8,
          state: STATES[i % 3],
          hostId: racks[i >= 25 ? 1 : 0].id,
        },
      });
      for (let n = 1; n <= i % 4; n++)
        await db.boot.create({ data: { guestId: g.id, number: n, startedAt: new Date(Date.UTC(2026, 10, 1, 0, n)) } });
    }
  });
  afterAll(async () => {
    await db?.$disconnect();
    await dropTestDatabase(url);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const names = async (actor: Actor, query: GuestListQuery) =>
    (await queryGuests(reader, actor, query)).guests.map((g) => g.name);

  it("answers every guest by name without a page size, each with its latest boot", async () => {
    const page = await queryGuests(reader, who.admin, {});
    expect(page.total).toBe(30);
    expect(page.guests.map((g) => g.name)).toEqual(
      Array.from({ length: 30 }, (_, i) => `g-${String(i).padStart(2, "0")}`),
    );
    expect(page.guests[3].lastBoot?.number).toBe(3);
    expect(page.guests[4].lastBoot).toBeNull();
  });

  it("searches names and filters by state, owner, image and kind, together", async () => {
    expect(await names(who.admin, { q: "G-1" })).toEqual(Array.from({ length: 10 }, (_, i) => `g-1${i}`));
    expect(await names(who.admin, { state: "crashed", owner: "ann" })).toEqual([
      "g-02",
      "g-08",
      "g-14",
      "g-20",
      "g-26",
    ]);
    expect(await names(who.admin, { image: "beta", state: "stopped" })).toEqual(
      Array.from({ length: 10 }, (_, i) => `g-${String(i * 3).padStart(2, "0")}`),
    );
    expect((await queryGuests(reader, who.admin, { kind: "uml" })).total).toBe(30);
    expect(await names(who.admin, { owner: "nobody-at-all" })).toEqual([]);
    expect(await names(who.admin, { image: "gamma" })).toEqual([]);
  });

  it("filters and sorts by host, and shows a silent host's guests as unknown without changing what is stored", async () => {
    expect(await names(who.admin, { host: "rack-2" })).toEqual(["g-25", "g-26", "g-27", "g-28", "g-29"]);
    expect(await names(who.admin, { host: "rack-2", owner: "ann" })).toEqual(["g-26", "g-28"]);
    expect((await queryGuests(reader, who.admin, { host: "rack-1" })).total).toBe(25);
    expect(await names(who.admin, { host: "rack-9" })).toEqual([]);
    expect(await names(who.admin, { sort: "host", dir: "desc", per: 2 })).toEqual(["g-25", "g-26"]);
    const guests = (await queryGuests(reader, who.admin, {})).guests;
    expect(guests[0]).toMatchObject({ hostName: "rack-1", state: "stopped" });
    for (const g of guests.slice(25)) {
      expect(g.hostName).toBe("rack-2");
      expect(g.state).toBe("unknown");
      expect(g.stateReason).toContain("host unreachable");
    }
    const stored = await db.guest.findMany({
      where: { name: { in: ["g-25", "g-26", "g-27"] } },
      orderBy: { name: "asc" },
    });
    expect(stored.map((g) => g.state)).toEqual(["running", "crashed", "stopped"]);
    // Heard from again: its guests are back as stored.
    await db.host.update({ where: { name: "rack-2" }, data: { lastSeenAt: new Date() } });
    expect((await queryGuests(reader, who.admin, { host: "rack-2" })).guests.map((g) => g.state)).toEqual([
      "running",
      "crashed",
      "stopped",
      "running",
      "crashed",
    ]);
    await db.host.update({ where: { name: "rack-2" }, data: { lastSeenAt: new Date(Date.now() - 86_400_000) } });
  });

  it("sorts by any column, ties by name, in either direction", async () => {
    const byMemory = await names(who.admin, { sort: "memory", dir: "desc", per: 3 });
    expect(byMemory).toEqual(["g-00", "g-01", "g-02"]);
    const byOwner = await queryGuests(reader, who.admin, { sort: "owner", dir: "desc", per: 30 });
    expect(byOwner.guests.slice(0, 15).every((g) => g.ownerName === "bob")).toBe(true);
    expect(byOwner.guests.slice(0, 3).map((g) => g.name)).toEqual(["g-01", "g-03", "g-05"]);
    const byState = await names(who.admin, { sort: "state", per: 30 });
    expect(byState.slice(0, 10)).toEqual([
      "g-02",
      "g-05",
      "g-08",
      "g-11",
      "g-14",
      "g-17",
      "g-20",
      "g-23",
      "g-26",
      "g-29",
    ]);
    const byImage = await names(who.admin, { sort: "image", dir: "desc", per: 2 });
    expect(byImage).toEqual(["g-00", "g-03"]);
  });

  it("pages through the matches: every guest once, with the total on every page", async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 5; page++) {
      const p = await queryGuests(reader, who.manager, { sort: "memory", per: 7, page });
      expect(p.total).toBe(30);
      expect(p.per).toBe(7);
      seen.push(...p.guests.map((g) => g.name));
    }
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
    expect(await names(who.manager, { per: 7, page: 6 })).toEqual([]);
  });

  it("shows a developer only their own guests, whatever the filter names", async () => {
    const ann = await queryGuests(reader, who.ann, { per: 50 });
    expect(ann.total).toBe(15);
    expect(ann.guests.every((g) => g.ownerId === who.ann.id)).toBe(true);
    expect((await queryGuests(reader, who.ann, { owner: "bob" })).total).toBe(0);
    expect((await queryGuests(reader, who.ann, { q: "g-01" })).total).toBe(0); // Bob's
    expect((await queryGuests(reader, who.bob, { q: "g-01" })).total).toBe(1);
    expect((await queryGuests(reader, who.manager, {})).total).toBe(30);
  });

  it("offers owners to filter by only to those who see everyone's guests, and every host", async () => {
    const hosts = ["rack-1", "rack-2"];
    expect(await guestFilterChoices(db, who.admin)).toEqual({
      owners: ["ann", "bob"],
      images: ["alpha", "beta"],
      hosts,
    });
    expect(await guestFilterChoices(db, who.manager)).toEqual({
      owners: ["ann", "bob"],
      images: ["alpha", "beta"],
      hosts,
    });
    expect(await guestFilterChoices(db, who.ann)).toEqual({ owners: [], images: ["alpha", "beta"], hosts });
  });
});

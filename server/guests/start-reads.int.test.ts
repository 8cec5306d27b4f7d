import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../db";
import { EventBus } from "../events";
import { findGuestPlace } from "../hosts/guest-host";
import { TestDaemon } from "../test-support/daemon-harness";
import { StartReads } from "./accepted-starts";
import { GuestStore } from "./guest-store";

// A start uses the row its route's authorization read instead of reading the guest again in
// its turn — only when that row is still the guest: no turn of the guest came between the
// read and the start's turn, and the stored row was not written since (the write is
// conditional). The daemon provides a migrated database and a guest; the store under test
// runs here, on that database.
describe("a start's one read of the guest", () => {
  const daemon = new TestDaemon();
  let db: Db;
  let id: string;
  let store: GuestStore;
  let reads: StartReads;
  const START = { type: "start" } as const;
  beforeAll(async () => {
    await daemon.start();
    db = daemon.openDb();
    id = (await daemon.createGuest("read-once", { network: "none" })).id;
  });
  afterAll(async () => {
    await db?.$disconnect();
    await daemon.cleanup();
  });
  beforeEach(async () => {
    await db.guest.update({ where: { id }, data: { state: "stopped", stateReason: null } });
    store = new GuestStore(db, new EventBus());
    const here = await db.host.findFirstOrThrow({ select: { id: true, name: true } });
    reads = new StartReads(db, store, { here, heartbeatSeconds: 10 });
  });

  it("is used when nothing came between, and its write moves the guest on", async () => {
    const row = await reads.read(id);
    expect(reads.usable(id, row!)).toBe(row);
    const written = await store.exclusive(id, () => store.transition(row!, START, { ifUnchanged: true }));
    expect(written?.state).toBe("queued");
    expect((await db.guest.findUniqueOrThrow({ where: { id } })).state).toBe("queued");
  });

  it("is not used once a turn of the guest was queued after it, nor when read during one", async () => {
    const row = await reads.read(id);
    await store.exclusive(id, async () => {});
    expect(reads.usable(id, row!)).toBeNull();

    let release!: () => void;
    const turn = store.exclusive(id, () => new Promise<void>((r) => (release = r)));
    const during = await reads.read(id);
    release();
    await turn;
    expect(reads.usable(id, during!)).toBeNull();
    // A read of the guest's place (another route's) or of another guest is never taken for it.
    expect(reads.usable(id, (await findGuestPlace(db, id))!)).toBeNull();
    const other = await daemon.createGuest("read-once-other", { network: "none" });
    expect(reads.usable(other.id, row!)).toBeNull();
  });

  it("writes nothing over a guest changed since it was read (by another process)", async () => {
    const row = await reads.read(id);
    await db.guest.update({ where: { id }, data: { memoryMiB: row!.memoryMiB + 16 } });
    expect(await store.exclusive(id, () => store.transition(row!, START, { ifUnchanged: true }))).toBeNull();
    const stored = await db.guest.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({ state: "stopped", memoryMiB: row!.memoryMiB + 16 });
    // Nor over a state the start is not allowed from.
    const again = await reads.read(id);
    await db.guest.update({ where: { id }, data: { state: "running" } });
    expect(await store.transition(again!, START, { ifUnchanged: true })).toBeNull();
    expect((await db.guest.findUniqueOrThrow({ where: { id } })).state).toBe("running");
  });

  it("through the API: a start answers queued or later and the guest boots to running", async () => {
    const res = await daemon.api<{ state: string }>("POST", `/api/guests/${id}/start`);
    expect(res.status).toBe(202);
    expect(["queued", "booting", "running"]).toContain(res.body.state);
    await daemon.waitForState(id, "running");
    await daemon.api("POST", `/api/guests/${id}/force-off`);
    await daemon.waitForState(id, "stopped");
  });
});

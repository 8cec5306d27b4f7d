import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GuestStateEvent, GuestView } from "../../lib/shared/protocol";
import { registerImage } from "../images/image-library";
import { TestDaemon, waitFor, type TestSocket } from "../test-support/daemon-harness";
import { buildTestImage } from "../test-support/test-image";

// Starts are accepted at once and queued; one guest boots at a time here (CORRAL_BOOT_SLOTS=1),
// and a boot that never comes up holds its place for the whole test (the hold is an hour).
describe("boot admission (real UML)", () => {
  const daemon = new TestDaemon({ CORRAL_BOOT_SLOTS: "1", CORRAL_BOOT_SLOT_HOLD_SECONDS: "3600" });
  beforeAll(() => daemon.start());
  afterAll(() => daemon.cleanup());

  /** Every state each guest passed through, from the daemon's announcements. */
  async function watchStates(s: TestSocket) {
    const seen = new Map<string, string[]>();
    const order: Array<[string, string]> = [];
    s.on("guest:state", (e: GuestStateEvent) => {
      seen.set(e.id, [...(seen.get(e.id) ?? []), e.state]);
      order.push([e.id, e.state]);
    });
    await s.emitWithAck("guests:watch");
    return { seen, order };
  }

  /** A guest whose init never prints a prompt: it holds the only boot slot. */
  async function silentGuest(): Promise<GuestView> {
    const file = path.join(daemon.dataDir, "images", "silent.img");
    buildTestImage(file, "exec sleep 100000");
    const db = daemon.openDb();
    const image = await registerImage(db, {
      name: "silent",
      path: file,
      hostName: (await db.host.findFirstOrThrow()).name,
    }).finally(() => db.$disconnect());
    return daemon.createGuest("silent", { imageId: image.id, network: "none" });
  }

  const start = (g: GuestView) => daemon.api<GuestView>("POST", `/api/guests/${g.id}/start`);

  it("queues starts, boots one at a time in the order they came, and never two at once", async () => {
    const s = await daemon.socket();
    const { seen, order } = await watchStates(s);
    const guests = [];
    for (const name of ["first", "second", "third"]) guests.push(await daemon.createGuest(name, { network: "none" }));
    for (const g of guests) {
      const res = await start(g);
      expect(res.status).toBe(202);
      expect(["queued", "booting"]).toContain(res.body.state);
    }
    for (const g of guests) await daemon.waitForState(g.id, "running");

    // A state may be announced again (a boot's analysis re-announces the guest): transitions only.
    const transitions = (states: string[]) => states.filter((state, i) => state !== states[i - 1]);
    for (const g of guests) expect(transitions(seen.get(g.id)!)).toEqual(["queued", "booting", "running"]);
    const admitted = order.filter(([, state]) => state === "booting").map(([id]) => id);
    expect(admitted).toEqual(guests.map((g) => g.id));
    const booting = new Set<string>();
    for (const [id, state] of order) {
      if (state === "booting") booting.add(id);
      else booting.delete(id);
      expect(booting.size).toBeLessThanOrEqual(1);
    }
    for (const g of guests) await daemon.api("POST", `/api/guests/${g.id}/force-off`);
    for (const g of guests) await daemon.waitForState(g.id, "stopped");
  });

  it("takes a stopped guest out of the queue without booting it, and boots the queue after a daemon restart", async () => {
    const silent = await silentGuest();
    const waiting = await daemon.createGuest("waiting", { network: "none" });
    const dropped = await daemon.createGuest("dropped", { network: "none" });
    expect((await start(silent)).status).toBe(202);
    // Its kernel runs (a daemon killed before the spawn would leave nothing to hold the slot).
    await waitFor("the silent guest's kernel", () => daemon.kernels().some((k) => k.umid === silent.id), 60_000);
    // The answer is built from the start's own read: the same view a read gives.
    const accepted = await start(waiting);
    expect(accepted.body.state).toBe("queued");
    expect(accepted.body).toEqual(await daemon.guest(waiting.id));
    expect((await start(dropped)).body.state).toBe("queued");

    // Queued guests can be stopped, not rebooted, edited or deleted.
    expect((await daemon.api("POST", `/api/guests/${dropped.id}/reboot`)).status).toBe(409);
    expect((await daemon.api("DELETE", `/api/guests/${dropped.id}`)).status).toBe(409);
    // Answered from the start's row (nothing of it changed since): the same view a read gives.
    const stop = await daemon.api<GuestView>("POST", `/api/guests/${dropped.id}/stop`);
    expect(stop.status).toBe(202);
    const stopped = await daemon.guest(dropped.id);
    expect(stop.body).toEqual(stopped);
    expect(stopped.state).toBe("stopped");
    expect(stopped.stateReason).toBe("Stopped before it booted.");
    expect(stopped.lastBoot).toBeNull();

    // A queued guest written by another process since its start: its force off reads it again.
    const changed = await daemon.createGuest("changed", { network: "none" });
    expect((await start(changed)).body.state).toBe("queued");
    const db = daemon.openDb();
    await db.guest
      .update({ where: { id: changed.id }, data: { memoryMiB: changed.memoryMiB + 16 } })
      .finally(() => db.$disconnect());
    const off = await daemon.api<GuestView>("POST", `/api/guests/${changed.id}/force-off`);
    expect(off.status).toBe(202);
    expect(off.body).toMatchObject({ state: "stopped", memoryMiB: changed.memoryMiB + 16 });
    expect(off.body.stateReason).toBe("Forced off before it booted.");

    // The start was accepted: a daemon that stops meanwhile boots it when it is back.
    await daemon.stop("SIGKILL");
    await daemon.start();
    expect((await daemon.guest(waiting.id)).state).toBe("queued");
    await daemon.api("POST", `/api/guests/${silent.id}/force-off`);
    await daemon.waitForState(waiting.id, "running");
    expect((await daemon.guest(dropped.id)).state).toBe("stopped");
    await daemon.api("POST", `/api/guests/${waiting.id}/force-off`);
    await waitFor("guests to stop", async () => (await daemon.guest(waiting.id)).state === "stopped", 60_000);
  });
});

import os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FleetHostView, HostView } from "../../lib/shared/protocol";
import { TestDaemon, waitFor } from "../test-support/daemon-harness";

// The daemon registers its host and heartbeats (on SQLite, or PostgreSQL under
// CORRAL_TEST_DATABASE=postgres); GET /api/hosts lists the fleet.
describe("hosts of the fleet (real daemon)", () => {
  const daemon = new TestDaemon({ CORRAL_HOST_NAME: "test-host-a", CORRAL_HEARTBEAT_SECONDS: "2" });
  beforeAll(() => daemon.start());
  afterAll(() => daemon.cleanup());

  const hosts = async (as?: string | null) => daemon.api<FleetHostView[]>("GET", "/api/hosts", undefined, { as });

  it("registers its host with what it knows of the machine", async () => {
    const { status, body } = await hosts();
    expect(status).toBe(200);
    const here = (await daemon.api<HostView>("GET", "/api/host")).body;
    expect(body).toEqual([
      {
        id: expect.any(String),
        name: "test-host-a",
        address: `http://127.0.0.1:${daemon.port}`,
        cores: os.availableParallelism(),
        memoryMiB: Math.floor(os.totalmem() / 2 ** 20),
        diskFreeMiB: expect.any(Number),
        kernel: here.kernelVersion,
        version: "0.1.0",
        startedAt: expect.any(String),
        lastSeenAt: expect.any(String),
        heartbeatSeconds: 2,
        status: "up",
        maintenance: false,
        contextGuests: expect.any(Boolean),
        guestMemoryMiB: Math.floor((os.totalmem() / 2 ** 20) * 0.75),
        guestAllocatedMiB: 0,
        guestMemoryFreeMiB: Math.floor((os.totalmem() / 2 ** 20) * 0.75),
        missingImageIds: [],
        stillRunning: [],
      },
    ]);
    expect(body[0].diskFreeMiB).toBeGreaterThan(0);
  });

  it("renews lastSeenAt with each heartbeat", async () => {
    const [first] = (await hosts()).body;
    const later = await waitFor(
      "a heartbeat",
      async () => {
        const [h] = (await hosts()).body;
        return h.lastSeenAt > first.lastSeenAt ? h : null;
      },
      60_000,
    );
    expect(later.startedAt).toBe(first.startedAt);
    expect(later.id).toBe(first.id);
  });

  it("takes over its row when it starts again, instead of adding one", async () => {
    const [before] = (await hosts()).body;
    await daemon.stop();
    await daemon.start();
    const after = (await hosts()).body;
    expect(after).toHaveLength(1);
    expect(after[0].id).toBe(before.id);
    expect(after[0].address).toBe(`http://127.0.0.1:${daemon.port}`);
    expect(after[0].startedAt > before.startedAt).toBe(true);
  });

  it("claims at start-up the guests no host has (from before guests named their host)", async () => {
    const guest = await daemon.createGuest("unclaimed-guest");
    expect(guest.hostName).toBe("test-host-a");
    const db = daemon.openDb();
    try {
      await db.guest.update({ where: { id: guest.id }, data: { hostId: null } });
      expect((await daemon.guest(guest.id)).hostName).toBeNull();
      await daemon.stop();
      await daemon.start();
      expect((await daemon.guest(guest.id)).hostName).toBe("test-host-a");
      const stored = await db.guest.findUniqueOrThrow({ where: { id: guest.id }, include: { host: true } });
      expect(stored.host?.name).toBe("test-host-a");
    } finally {
      await db.$disconnect();
    }
  });

  it("answers every signed-in person and read token, refuses strangers and unknown query parameters", async () => {
    expect((await hosts(null)).status).toBe(401);
    const dev = await daemon.userSession("hostdev", "developer");
    expect((await hosts(dev)).status).toBe(200);
    expect((await hosts(await daemon.token("read"))).status).toBe(200);
    const bad = await daemon.api("GET", "/api/hosts?name=x");
    expect(bad.status).toBe(422);
  });
});

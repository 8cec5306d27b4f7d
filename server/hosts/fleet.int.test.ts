import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntryView, BulkResponse, GuestView } from "../../lib/shared/protocol";
import { openDatabase } from "../../lib/server/database";
import { waitFor } from "../test-support/daemon-harness";
import { FLEET_SECRET, FleetRig } from "../test-support/fleet-rig";
import { bodyDigest } from "./fleet-pass";

type Refusal = { error: { code: string; message: string } };

// Two daemons, two hosts, one PostgreSQL: each runs its own guest, both list both, either
// acts on the other's guest through that guest's daemon (which checks the person and records
// it), and a host killed with -9 shows as unreachable — its guest unknown, still running
// under its keeper, acting on it a 503 naming it — until it returns.
describe("a fleet of two hosts on one PostgreSQL (real daemons, real kernels)", () => {
  const rig = new FleetRig();
  let ga: GuestView;
  let gb: GuestView;
  const kernelOf = (id: string) => rig.b.kernels().find((k) => k.umid === id)?.pid ?? null;
  const audit = async (action: string, target: string) =>
    (await rig.a.api<AuditEntryView[]>("GET", `/api/audit?action=${action}&limit=200`)).body.filter(
      (e) => e.target === target,
    );

  beforeAll(async () => {
    // b offers guests more memory: a developer's guest (placed by Corral) goes to b.
    await rig.start(
      {},
      { hostEnv: { a: { CORRAL_GUEST_MEMORY_MIB: "1024" }, b: { CORRAL_GUEST_MEMORY_MIB: "2048" } } },
    );
    ga = await rig.createGuestOn(rig.a, "fleet-guest-a");
    gb = await rig.createGuestOn(rig.b, "fleet-guest-b");
    await Promise.all([rig.a.startGuest(ga.id), rig.b.startGuest(gb.id)]);
  });

  afterAll(async () => {
    await rig.cleanup();
    expect(rig.leftovers()).toEqual([]);
    expect(fs.existsSync(rig.cluster!.dir)).toBe(false);
  });

  const listed = async (query = "") => (await rig.a.api<GuestView[]>("GET", `/api/guests${query}`)).body;

  it("creates each guest on the host chosen for it, and each daemon lists both with their hosts", async () => {
    expect(ga.hostName).toBe("fleet-a");
    expect(gb.hostName).toBe("fleet-b");
    for (const d of [rig.a, rig.b]) {
      const guests = (await d.api<GuestView[]>("GET", "/api/guests")).body;
      expect(guests.map((g) => [g.name, g.hostName, g.state])).toEqual([
        ["fleet-guest-a", "fleet-a", "running"],
        ["fleet-guest-b", "fleet-b", "running"],
      ]);
      expect((await rig.hosts(d)).map((h) => [h.name, h.status])).toEqual([
        ["fleet-a", "up"],
        ["fleet-b", "up"],
      ]);
    }
    expect((await listed("?host=fleet-b")).map((g) => g.name)).toEqual(["fleet-guest-b"]);
    // Its boot log is on b's disk: a passes the read to b's daemon.
    const header = (text: unknown) => String(text).split("\n")[0];
    const viaA = await rig.a.api<string>("GET", `/api/guests/${gb.id}/boots/1/log`);
    const atB = await rig.b.api<string>("GET", `/api/guests/${gb.id}/boots/1/log`);
    expect(viaA.status).toBe(200);
    expect(header(viaA.body)).toContain('"version":2');
    expect(header(viaA.body)).toBe(header(atB.body));
    expect((await rig.a.api("GET", `/api/guests/${gb.id}/boots/1/log`, undefined, { as: null })).status).toBe(401);
  });

  it("acts from host a on b's guest: b's kernel really changes, and b records it", async () => {
    const first = kernelOf(gb.id);
    expect(first).not.toBeNull();
    expect((await rig.a.api("POST", `/api/guests/${gb.id}/stop`)).status).toBe(202);
    await rig.b.waitForState(gb.id, "stopped");
    await waitFor("b's kernel to end", () => kernelOf(gb.id) === null, 60_000);

    const edited = await rig.a.api<GuestView>("PATCH", `/api/guests/${gb.id}`, { memoryMiB: 96 });
    expect([edited.status, edited.body.memoryMiB]).toEqual([200, 96]);
    expect((await rig.b.guest(gb.id)).memoryMiB).toBe(96);
    expect((await rig.a.api("POST", `/api/guests/${gb.id}/snapshots`, { name: "s1" })).status).toBe(201);
    const snaps = await rig.b.api<Array<{ name: string }>>("GET", `/api/guests/${gb.id}/snapshots`);
    expect(snaps.body.map((s) => s.name)).toEqual(["s1"]);

    expect((await rig.a.api("POST", `/api/guests/${gb.id}/start`)).status).toBe(202);
    await rig.b.waitForState(gb.id, "running");
    const second = kernelOf(gb.id);
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
    expect((await rig.a.api("POST", `/api/guests/${gb.id}/force-off`)).status).toBe(202);
    await rig.b.waitForState(gb.id, "stopped");
    expect(kernelOf(gb.id)).toBeNull();

    // Bulk: each guest done by its own host; a's running guest refused as a state conflict.
    const bulk = await rig.a.api<BulkResponse>("POST", "/api/guests/bulk", { action: "start", ids: [gb.id, ga.id] });
    expect(bulk.body.results).toEqual([
      expect.objectContaining({ id: gb.id, ok: true }),
      expect.objectContaining({ id: ga.id, ok: false, code: "conflict" }),
    ]);
    await rig.b.waitForState(gb.id, "running");
    expect((await rig.b.guest(gb.id)).lastBoot?.number).toBe(3);

    // One entry per action, written by the host that did it, in one intact chain.
    for (const action of ["guest.stop", "guest.edit", "guest.snapshot", "guest.force-off"]) {
      const entries = await audit(action, gb.id);
      expect(
        entries.map((e) => [e.actor, e.host, e.outcome]),
        action,
      ).toEqual([["admin", "fleet-b", "ok"]]);
    }
    // Newest first: the bulk start, the start from a, b's own first start.
    expect((await audit("guest.start", gb.id)).map((e) => [e.host, e.detail])).toEqual([
      ["fleet-b", "bulk"],
      ["fleet-b", null],
      ["fleet-b", null],
    ]);
    for (const d of [rig.a, rig.b]) expect((await d.api("GET", "/api/audit/verify")).body).toMatchObject({ ok: true });
  });

  it("lets b decide who may act on its guests, and refuses relayed requests b did not get from a", async () => {
    const dev1 = await rig.a.userSession("dev1", "developer");
    const dev2 = await rig.a.userSession("dev2", "developer");
    const own = await rig.b.api<GuestView>(
      "POST",
      "/api/guests",
      {
        name: "dev1-on-b",
        imageId: await rig.b.defaultImageId(),
        memoryMiB: 64,
      },
      { as: dev1 },
    );
    expect([own.status, own.body.hostName]).toEqual([201, "fleet-b"]);
    const gd = own.body;
    expect((await rig.a.api("PATCH", `/api/guests/${gd.id}`, { memoryMiB: 80 }, { as: dev1 })).status).toBe(200);
    expect((await rig.a.api("PATCH", `/api/guests/${gd.id}`, { memoryMiB: 72 }, { as: dev2 })).status).toBe(404);
    const socket = await rig.a.socket(dev2);
    expect(await socket.emitWithAck("console:attach", { guestId: gd.id })).toEqual({
      ok: false,
      error: expect.stringContaining("No such guest"),
    });

    // b checks the person itself: a valid pass naming dev2 gets what dev2 would get at b.
    const fromA = await rig.passes("fleet-a");
    const hostB = await rig.hostId("fleet-b");
    const dev2Id = (await rig.b.api<Array<{ id: string; username: string }>>("GET", "/api/users")).body.find(
      (u) => u.username === "dev2",
    )!.id;
    const edit = { memoryMiB: 72 };
    const path = `/api/guests/${gd.id}`;
    const digest = (body: unknown) => bodyDigest(new TextEncoder().encode(JSON.stringify(body)));
    const asDev2 = fromA.issue(
      hostB.id,
      { user: dev2Id, scope: "role", ip: "203.0.113.7" },
      {
        http: { method: "PATCH", path, body: digest(edit) },
      },
    );
    expect((await rig.relayed(rig.b, asDev2, "PATCH", path, edit)).status).toBe(404);
    const denied = (await audit("guest.edit", gd.id)).find((e) => e.actor === "dev2");
    expect(denied).toMatchObject({ outcome: "denied", host: "fleet-b", ip: "203.0.113.7" });

    // Forged, stale, misdirected, replayed or altered passes: 401, nothing changed.
    const admin = await rig.b.api<Array<{ id: string; username: string }>>("GET", "/api/users");
    const adminId = admin.body.find((u) => u.username === "admin")!.id;
    const asAdmin = (issuer = fromA, to = hostB.id, body: unknown = edit) =>
      issuer.issue(
        to,
        { user: adminId, scope: "role", ip: null },
        {
          http: { method: "PATCH", path, body: digest(body) },
        },
      );
    const attempts: Array<[string, string, unknown]> = [
      ["unsigned", "not-a-pass", edit],
      ["forged", asAdmin(await rig.passes("fleet-a", "another-secret-of-at-least-32-characters")), edit],
      ["stale", asAdmin(await rig.passes("fleet-a", undefined, () => Date.now() - 120_000)), edit],
      ["to another host", asAdmin(fromA, (await rig.hostId("fleet-a")).id), edit],
      ["another body", asAdmin(fromA, hostB.id, { memoryMiB: 80 }), { memoryMiB: 128 }],
    ];
    for (const [what, p, body] of attempts) {
      const res = await rig.relayed<Refusal>(rig.b, p, "PATCH", path, body);
      expect([what, res.status]).toEqual([what, 401]);
      expect(res.body.error.message).toContain("Refused a request relayed from another Corral host");
    }
    // Only requests about guests are relayed: a pass for anything else is refused.
    const users = fromA.issue(
      hostB.id,
      { user: adminId, scope: "role", ip: null },
      {
        http: { method: "GET", path: "/api/users", body: bodyDigest() },
      },
    );
    expect((await rig.relayed(rig.b, users, "GET", "/api/users")).status).toBe(403);
    const once = asAdmin();
    expect((await rig.relayed(rig.b, once, "PATCH", path, edit)).status).toBe(200);
    const replay = await rig.relayed<Refusal>(rig.b, once, "PATCH", path, { memoryMiB: 128 });
    expect([replay.status, replay.body.error.message]).toEqual([401, expect.stringContaining("used before")]);
    expect((await rig.b.guest(gd.id)).memoryMiB).toBe(72);

    // Neither the secret nor a pass is ever written down.
    const trail = JSON.stringify((await rig.a.api("GET", "/api/audit?limit=1000")).body);
    for (const text of [rig.a.logText, rig.b.logText, trail]) {
      expect(text).not.toContain(FLEET_SECRET);
      expect(text).not.toContain(once.split(".")[1]);
    }
  });

  it("answers 503 naming b while b is killed with -9, shows it unreachable, and acts again when it returns", async () => {
    const keeper = rig.b.keeperPid();
    expect(keeper).not.toBeNull();
    await rig.b.stop("SIGKILL");
    for (const [method, path] of [
      ["POST", `/api/guests/${gb.id}/stop`],
      ["GET", `/api/guests/${gb.id}/boots/1/log`],
    ] as const) {
      const res = await rig.a.api<Refusal>(method, path);
      expect([res.status, res.body.error.message]).toEqual([
        503,
        expect.stringContaining("runs on host fleet-b, whose daemon did not answer"),
      ]);
    }
    const bulk = await rig.a.api<BulkResponse>("POST", "/api/guests/bulk", { action: "stop", ids: [gb.id] });
    expect(bulk.body.results).toEqual([
      expect.objectContaining({ ok: false, code: "unavailable", message: expect.stringContaining("fleet-b") }),
    ]);
    const socket = await rig.a.socket();
    expect(await socket.emitWithAck("console:attach", { guestId: gb.id, cols: 80, rows: 24 })).toEqual({
      ok: false,
      error: expect.stringContaining("runs on host fleet-b, whose daemon did not open its console"),
    });
    await waitFor(
      "fleet-b to be unreachable",
      async () => (await rig.hosts()).find((h) => h.name === "fleet-b")?.status === "unreachable",
      60_000,
    );
    const seen = await listed();
    expect(seen.find((g) => g.id === gb.id)?.state).toBe("unknown");
    const db = openDatabase(rig.url);
    try {
      expect((await db.guest.findUniqueOrThrow({ where: { id: gb.id } })).state).toBe("running");
    } finally {
      await db.$disconnect();
    }
    expect(rig.b.keeperPid()).toBe(keeper);
    expect(kernelOf(gb.id)).not.toBeNull();

    await rig.b.start();
    await waitFor("fleet-b back up with its guest", async () => (await rig.a.guest(gb.id)).state === "running", 60_000);
    expect((await rig.b.guest(gb.id)).lastBoot?.number).toBe(3);
    expect((await rig.a.api("POST", `/api/guests/${gb.id}/force-off`)).status).toBe(202);
    await rig.b.waitForState(gb.id, "stopped");
  });
});

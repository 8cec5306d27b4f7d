import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntryView, FleetHostView, GuestView, UserView } from "../../lib/shared/protocol";
import { buildTestImage } from "../test-support/test-image";
import { waitFor } from "../test-support/daemon-harness";
import { FleetRig } from "../test-support/fleet-rig";
import { bodyDigest } from "./fleet-pass";

type Refusal = { error: { code: string; message: string; fields?: Record<string, string> } };

// Two daemons, two hosts, one PostgreSQL: b offers guests twice the memory a does (by
// configuration), so Corral places new guests on b until b's running guests have taken
// more than the difference. Real daemons, real busybox kernels where a guest boots.
describe("placing new guests on the hosts of a fleet (real daemons, real kernels)", () => {
  const rig = new FleetRig();
  let imageId: string;
  let dev: string;
  let manager: string;
  const ids: Record<string, string> = {};
  const runsOn = (d: "a" | "b", id: string) => rig[d].kernels().some((k) => k.umid === id);
  const host = async (name: string) => (await rig.hosts()).find((h) => h.name === name)!;
  const create = (via: "a" | "b", name: string, extra: Record<string, unknown> = {}, as?: string) =>
    rig[via].api<GuestView & Refusal>("POST", "/api/guests", { name, imageId, memoryMiB: 64, ...extra }, { as });
  const named = async (name: string) =>
    (await rig.a.api<GuestView[]>("GET", "/api/guests")).body.filter((g) => g.name === name);
  const maintain = (name: string, maintenance: unknown, as?: string) =>
    rig.a.api<FleetHostView & Refusal>("PATCH", `/api/hosts/${ids[name]}`, { maintenance }, { as });

  beforeAll(async () => {
    await rig.start({}, { hostEnv: { a: { CORRAL_GUEST_MEMORY_MIB: "512" }, b: { CORRAL_GUEST_MEMORY_MIB: "1024" } } });
    imageId = await rig.a.defaultImageId();
    for (const h of await rig.hosts()) ids[h.name] = h.id;
    dev = await rig.a.userSession("placedev", "developer", { maxMemoryMiB: 160 });
    manager = await rig.a.userSession("placemanager", "manager");
  });

  afterAll(async () => {
    await rig.cleanup();
    expect(rig.leftovers()).toEqual([]);
  });

  it("lists what each host offers guests, as configured", async () => {
    const hosts = await rig.hosts();
    expect(hosts.map((h) => [h.name, h.guestMemoryMiB, h.guestMemoryFreeMiB, h.maintenance])).toEqual([
      ["fleet-a", 512, 512, false],
      ["fleet-b", 1024, 1024, false],
    ]);
  });

  it("places a guest on the host with more free memory, creates it there and boots it there", async () => {
    const res = await create("a", "placed-auto");
    expect([res.status, res.body.hostName]).toEqual([201, "fleet-b"]);
    // b's daemon created it and recorded it; a, which only passed it on, did not.
    const entries = (await rig.a.api<AuditEntryView[]>("GET", "/api/audit?action=guest.create")).body;
    expect(entries.filter((e) => e.target === res.body.id).map((e) => [e.host, e.outcome])).toEqual([
      ["fleet-b", "ok"],
    ]);
    expect((await rig.a.api("POST", `/api/guests/${res.body.id}/start`)).status).toBe(202);
    await rig.b.waitForState(res.body.id, "running");
    expect(runsOn("b", res.body.id)).toBe(true);
    expect(runsOn("a", res.body.id)).toBe(false);
    expect((await host("fleet-b")).guestMemoryFreeMiB).toBe(1024 - 64);
  });

  it("honours an admin's choice of host, and boots the guest on that host", async () => {
    const res = await create("b", "placed-on-a", { hostId: ids["fleet-a"] });
    expect([res.status, res.body.hostName]).toEqual([201, "fleet-a"]);
    expect((await rig.b.api("POST", `/api/guests/${res.body.id}/start`)).status).toBe(202);
    await rig.a.waitForState(res.body.id, "running");
    expect(runsOn("a", res.body.id)).toBe(true);
    expect(runsOn("b", res.body.id)).toBe(false);
  });

  it("counts what running guests hold: once b has less free than a, the next guest goes to a", async () => {
    const big = await create("a", "placed-big", { memoryMiB: 512, hostId: ids["fleet-b"] });
    expect([big.status, big.body.hostName]).toEqual([201, "fleet-b"]);
    await rig.b.startGuest(big.body.id);
    // b: 1024 − 64 − 512 = 448 free; a: 512 − 64 = 448 free … a's name wins the tie.
    expect((await rig.hosts()).map((h) => h.guestMemoryFreeMiB)).toEqual([448, 448]);
    const next = await create("b", "placed-tie");
    expect([next.status, next.body.hostName]).toEqual([201, "fleet-a"]);
    // Asking b for more than it has free is refused, naming what it has; nothing is created.
    const tooBig = await create("a", "placed-too-big", { memoryMiB: 512, hostId: ids["fleet-b"] });
    expect([tooBig.status, tooBig.body.error.message]).toEqual([
      409,
      expect.stringContaining("host fleet-b has 448 MiB free for guests, less than the 512 MiB asked for"),
    ]);
    expect(await named("placed-too-big")).toEqual([]);
  });

  it("refuses a developer's choice of host, and places their guest itself; their quota counts across hosts", async () => {
    const chose = await create("a", "dev-chose", { hostId: ids["fleet-a"] }, dev);
    expect([chose.status, chose.body.error.message]).toEqual([403, expect.stringContaining("Only admins choose")]);
    expect(await named("dev-chose")).toEqual([]);
    const first = await create("a", "dev-first", { memoryMiB: 96 }, dev);
    expect(first.status).toBe(201);
    // With the first guest's host in maintenance, the next go to the other host — asked through
    // the first's daemon, so relayed as the developer — and the quota still counts the first.
    const [via, other] = first.body.hostName === "fleet-a" ? (["a", "fleet-b"] as const) : (["b", "fleet-a"] as const);
    expect((await maintain(first.body.hostName!, true)).status).toBe(200);
    try {
      const second = await create(via, "dev-second", { memoryMiB: 96 }, dev);
      expect(second.status, JSON.stringify(second.body)).toBe(409);
      expect(second.body.error.message).toMatch(/quota/i);
      expect(await named("dev-second")).toEqual([]);
      const fits = await create(via, "dev-fits", { memoryMiB: 64 }, dev);
      expect([fits.status, fits.body.hostName, fits.body.ownerName]).toEqual([201, other, "placedev"]);
      const entries = (await rig.a.api<AuditEntryView[]>("GET", "/api/audit?action=guest.create")).body;
      expect(entries.filter((e) => e.actor === "placedev").map((e) => [e.host, e.outcome])).toEqual([
        [other, "ok"],
        [other, "failed"],
        [first.body.hostName, "ok"],
        ["fleet-a", "failed"],
      ]);
    } finally {
      await maintain(first.body.hostName!, false);
    }
  });

  it("lets admins put a host in maintenance: skipped by default, refused when chosen, its running guests listed", async () => {
    for (const as of [dev, manager]) {
      const res = await maintain("fleet-b", true, as);
      expect(res.status).toBe(403);
    }
    expect((await host("fleet-b")).maintenance).toBe(false);
    const on = await maintain("fleet-b", true);
    expect([on.status, on.body.maintenance]).toEqual([200, true]);
    expect(on.body.stillRunning.map((g) => [g.name, g.state])).toEqual([
      ["placed-auto", "running"],
      ["placed-big", "running"],
    ]);
    // A developer sees only their own guests among those still running there.
    expect(
      (await rig.a.api<FleetHostView[]>("GET", "/api/hosts", undefined, { as: dev })).body[1].stillRunning,
    ).toEqual([]);
    const auto = await create("b", "placed-while-b-rests", { memoryMiB: 48 });
    expect([auto.status, auto.body.hostName]).toEqual([201, "fleet-a"]);
    const chosen = await create("a", "placed-on-resting-b", { hostId: ids["fleet-b"] });
    expect([chosen.status, chosen.body.error.message]).toEqual([
      409,
      expect.stringContaining("host fleet-b is in maintenance: no new guests are placed on it"),
    ]);
    expect(await named("placed-on-resting-b")).toEqual([]);
    // Its guests run on: maintenance stops nothing.
    expect(runsOn("b", on.body.stillRunning[0].id)).toBe(true);
    const off = await maintain("fleet-b", false);
    expect([off.status, off.body.maintenance, off.body.stillRunning]).toEqual([200, false, []]);
    const trail = (await rig.a.api<AuditEntryView[]>("GET", "/api/audit?action=host.maintenance")).body;
    const onB = trail.filter((e) => e.target === ids["fleet-b"]).slice(0, 4);
    expect(onB.map((e) => [e.actor, e.outcome, e.detail])).toEqual([
      ["admin", "ok", "maintenance off"],
      ["admin", "ok", "maintenance on"],
      ["placemanager", "denied", expect.any(String)],
      ["placedev", "denied", expect.any(String)],
    ]);
  });

  it("refuses an unknown host, a malformed one and a malformed maintenance request, creating nothing", async () => {
    const unknown = await create("a", "placed-nowhere", { hostId: "nosuchhost" });
    expect([unknown.status, unknown.body.error.fields]).toEqual([422, { hostId: expect.stringContaining("No host") }]);
    const malformed = await create("a", "placed-nowhere", { hostId: "../Not A Host" });
    expect([malformed.status, Object.keys(malformed.body.error.fields ?? {})]).toEqual([422, ["hostId"]]);
    expect(await named("placed-nowhere")).toEqual([]);
    expect((await maintain("fleet-a", "yes")).status).toBe(422);
    const none = await rig.a.api<Refusal>("PATCH", "/api/hosts/nosuchhost", { maintenance: true });
    expect(none.status).toBe(404);
    expect((await host("fleet-a")).maintenance).toBe(false);
  });

  it("never passes a relayed create on again: b refuses a guest a relayed that names another host", async () => {
    const users = (await rig.b.api<Array<{ id: string; username: string }>>("GET", "/api/users")).body;
    const adminId = users.find((u) => u.username === "admin")!.id;
    const body = { name: "placed-bounced", imageId, memoryMiB: 64, hostId: ids["fleet-a"] };
    const pass = (await rig.passes("fleet-a")).issue(
      ids["fleet-b"],
      { user: adminId, scope: "role", ip: null },
      {
        http: { method: "POST", path: "/api/guests", body: bodyDigest(new TextEncoder().encode(JSON.stringify(body))) },
      },
    );
    const res = await rig.relayed<Refusal>(rig.b, pass, "POST", "/api/guests", body);
    expect([res.status, res.body.error.message]).toEqual([
      409,
      "Host fleet-b was sent a guest meant for host fleet-a; create it there.",
    ]);
    expect(await named("placed-bounced")).toEqual([]);
  });

  it("refuses a host that lacks the image's file, once hosts report it, saying which hosts have it", async () => {
    fs.mkdirSync(path.join(rig.a.dataDir, "import"), { recursive: true });
    buildTestImage(path.join(rig.a.dataDir, "import", "lonely.img"), "exec sleep 1000");
    const image = await rig.a.api<{ id: string } & Refusal>("POST", "/api/images/import", {
      name: "lonely",
      path: "lonely.img",
    });
    expect(image.status, JSON.stringify(image.body)).toBe(201);
    // Only a has it (b has no copy of its own): gone from a's data directory, it is on neither host.
    fs.rmSync(path.join(rig.a.dataDir, "images", "lonely.img"));
    await waitFor(
      "both hosts to report the image missing",
      async () => (await rig.hosts()).every((h) => h.missingImageIds.includes(image.body.id)),
      60_000,
    );
    const chosen = await create("a", "placed-no-image", { imageId: image.body.id, hostId: ids["fleet-b"] });
    expect([chosen.status, chosen.body.error.message]).toEqual([
      409,
      expect.stringContaining(
        "host fleet-b does not have this image's file. No host of the fleet has reported having it.",
      ),
    ]);
    const auto = await create("b", "placed-no-image", { imageId: image.body.id });
    expect([auto.status, auto.body.error.message]).toEqual([
      409,
      expect.stringMatching(/^No host can take this guest now: .*host fleet-a does not have this image's file/),
    ]);
    expect(await named("placed-no-image")).toEqual([]);
    // The built-in image is on both: neither reports it missing.
    expect((await rig.hosts()).map((h) => h.missingImageIds)).toEqual([[image.body.id], [image.body.id]]);
  });

  it("counts a developer's disk on every host: each host records what its guests' files take", async () => {
    const diskDev = await rig.a.userSession("diskdev", "developer");
    const g = await create("a", "dev-disk", {}, diskDev);
    expect(g.status, JSON.stringify(g.body)).toBe(201);
    const [runs, other] = g.body.hostName === "fleet-a" ? (["a", "b"] as const) : (["b", "a"] as const);
    // 3 MiB in the guest's snapshots on its own host's disk, as a snapshot would take.
    const snaps = path.join(rig[runs].dataDir, "guests", g.body.id, "snapshots");
    fs.mkdirSync(snaps, { recursive: true });
    fs.writeFileSync(path.join(snaps, "taken.cow"), Buffer.alloc(3 * 2 ** 20, 7));
    const usageOn = async (d: "a" | "b") =>
      (await rig[d].api<UserView[]>("GET", "/api/users")).body.find((u) => u.username === "diskdev")!.usage.diskMiB;
    // The other host counts what the guest's host recorded at its heartbeat; its own host measures it.
    await waitFor(
      `fleet-${other} to count the guest's disk on fleet-${runs}`,
      async () => (await usageOn(other)) >= 3,
      60_000,
    );
    expect(await usageOn(runs)).toBeGreaterThanOrEqual(3);
    expect(fs.existsSync(path.join(rig[other].dataDir, "guests", g.body.id))).toBe(false);
  });

  it("answers 503 naming the host when its daemon is gone, then skips it once it is unreachable", async () => {
    await rig.b.stop("SIGKILL");
    try {
      const gone = await create("a", "placed-on-gone-b", { hostId: ids["fleet-b"] });
      expect([gone.status, gone.body.error.message]).toEqual([
        503,
        expect.stringContaining("The new guest was placed on host fleet-b, whose daemon did not answer"),
      ]);
      await waitFor("fleet-b to be unreachable", async () => (await host("fleet-b")).status === "unreachable", 60_000);
      const chosen = await create("a", "placed-on-gone-b", { hostId: ids["fleet-b"] });
      expect([chosen.status, chosen.body.error.message]).toEqual([
        409,
        expect.stringContaining("host fleet-b is unreachable"),
      ]);
      expect(await named("placed-on-gone-b")).toEqual([]);
      const auto = await create("a", "placed-while-b-gone", { memoryMiB: 48 });
      expect([auto.status, auto.body.hostName]).toEqual([201, "fleet-a"]);
    } finally {
      await rig.b.start();
    }
  });
});

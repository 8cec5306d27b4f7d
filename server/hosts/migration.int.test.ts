import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HELD_HEADER, keepaliveFor, readHeldAnswer } from "../../lib/shared/held-answer";
import type {
  AuditEntryView,
  EvacuationResult,
  GuestMigrationEvent,
  GuestView,
  MigrationResult,
  SnapshotView,
} from "../../lib/shared/protocol";
import { CliUser } from "../../cli/test-support";
import { EXIT } from "../../cli/exit-codes";
import { waitFor, type TestDaemon } from "../test-support/daemon-harness";
import { FleetRig } from "../test-support/fleet-rig";
import { fileSums } from "../test-support/fleet-transfer";
import { holdingProxy, inGuest, withHostAddress } from "../test-support/migration-rig";
import { bodyDigest } from "./fleet-pass";

type Refusal = { error: { code: string; message: string } };
/** How long a daemon here waits for another without a word: far shorter than the long move below. */
const ANSWER_MS = 4000;

// Two daemons, two hosts, one PostgreSQL, separate data directories: a stopped guest's
// directory moves from one host's disk to the other's, its rows stay, and it boots there.
// Real daemons, real busybox kernels.
describe("moving stopped guests between hosts (real daemons, separate data dirs, real kernels)", () => {
  const rig = new FleetRig();
  const host: Record<string, string> = {};
  let dev: string;
  let manager: string;
  const dirOn = (d: TestDaemon, id: string) => path.join(d.dataDir, "guests", id);
  const incoming = (d: TestDaemon) =>
    fs.readdirSync(path.join(d.dataDir, "guests")).filter((n) => n.startsWith(".incoming"));
  const runsOn = (d: TestDaemon, id: string) => d.kernels().some((k) => k.umid === id);
  const migrate = (d: TestDaemon, id: string, hostId: unknown, as?: string) =>
    d.api<MigrationResult & Refusal>("POST", `/api/guests/${id}/migrate`, { hostId }, { as });
  const audit = async (action: string, target: string) =>
    (await rig.a.api<AuditEntryView[]>("GET", `/api/audit?action=${action}`)).body.filter((e) => e.target === target);

  beforeAll(async () => {
    await rig.start({ CORRAL_FLEET_ANSWER_MS: String(ANSWER_MS) });
    for (const h of await rig.hosts()) host[h.name] = h.id;
    dev = await rig.a.userSession("movedev", "developer");
    manager = await rig.a.userSession("movemanager", "manager");
  });

  afterAll(async () => {
    await rig.cleanup();
    expect(rig.leftovers()).toEqual([]);
  });

  it("moves a stopped guest's files byte-identical, keeps its boots, snapshots and trail, and boots it there", async () => {
    const g = await rig.createGuestOn(rig.a, "mover");
    await inGuest(rig.a, g.id, "echo written-on-a > /root/moved; sync");
    const snap = await rig.a.api<SnapshotView>("POST", `/api/guests/${g.id}/snapshots`, { name: "before-move" });
    expect(snap.status).toBe(201);
    const before = fileSums(dirOn(rig.a, g.id));
    expect(Object.keys(before)).toEqual(
      expect.arrayContaining(["root.cow", "boots/1.cast", `snapshots/${snap.body.id}.cow`]),
    );
    const boots = (await rig.a.api("GET", `/api/guests/${g.id}/boots`)).body;
    // Progress reaches browsers on the other host too (through PostgreSQL).
    const s = await rig.b.socket();
    await s.emitWithAck("guests:watch");
    const events: GuestMigrationEvent[] = [];
    s.on("guest:migration", (e) => events.push(e));

    const res = await migrate(rig.b, g.id, host["fleet-b"]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ guestId: g.id, fromHostName: "fleet-a", toHostName: "fleet-b" });
    expect(fileSums(dirOn(rig.b, g.id))).toEqual(before);
    expect(fs.existsSync(dirOn(rig.a, g.id))).toBe(false);
    expect(incoming(rig.b)).toEqual([]);
    const moved = await rig.a.guest(g.id);
    expect([moved.id, moved.name, moved.hostName, moved.state]).toEqual([g.id, "mover", "fleet-b", "stopped"]);
    expect((await rig.a.api("GET", `/api/guests/${g.id}/boots`)).body).toEqual(boots);
    await waitFor("the last progress event", () => events.some((e) => e.phase === "done"), 60_000);
    const done = events.find((e) => e.phase === "done")!;
    expect([done.id, done.toHostName, done.bytesDone]).toEqual([g.id, "fleet-b", done.bytesTotal]);
    expect(events[0].phase).toBe("copying");
    s.close();
    expect((await audit("guest.migrate", g.id)).map((e) => [e.host, e.outcome, e.detail])).toEqual([
      ["fleet-a", "ok", "fleet-a → fleet-b"],
    ]);
    expect((await audit("guest.receive", g.id)).map((e) => [e.host, e.outcome])).toEqual([["fleet-b", "ok"]]);

    // It boots on b, from the disk written on a; the snapshot came along and reverts there.
    expect(await inGuest(rig.b, g.id, "cat /root/moved; echo changed > /root/moved; sync")).toContain("written-on-a");
    expect(runsOn(rig.a, g.id)).toBe(false);
    const revert = await rig.a.api("POST", `/api/guests/${g.id}/snapshots/${snap.body.id}/revert`);
    expect(revert.status, JSON.stringify(revert.body)).toBe(200);
    expect(await inGuest(rig.b, g.id, "cat /root/moved")).toContain("written-on-a");
    const after = (await rig.a.api<Array<{ number: number }>>("GET", `/api/guests/${g.id}/boots`)).body;
    expect(after.map((b) => b.number).sort()).toEqual([1, 2, 3]);
  });

  it("moves a guest whose transfer outlives every answer limit: the answer starts at once and goes on", async () => {
    const g = await rig.createGuestOn(rig.a, "slow-mover");
    await inGuest(rig.a, g.id, "dd if=/dev/urandom of=/root/big bs=1M count=2 2>/dev/null; sync");
    const before = fileSums(dirOn(rig.a, g.id));
    // b pulls the files from a through a proxy that holds them, once 256 KiB passed, for three
    // times the limit each daemon (and the person's client below) waits without a word.
    let startedWhileHeld = false;
    let answerStarted = false;
    const proxy = await holdingProxy(rig.a.port, 256 << 10, async () => {
      startedWhileHeld = await waitFor("the answer to start", () => answerStarted, 30_000).catch(() => false);
      await new Promise((r) => setTimeout(r, 3 * ANSWER_MS));
      return "release";
    });
    try {
      const res = await withHostAddress(rig.url, "fleet-a", `http://127.0.0.1:${proxy.port}`, async () => {
        const started = await fetch(`${rig.b.url}/api/guests/${g.id}/migrate`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${await rig.a.token("role")}`,
            "content-type": "application/json",
            [HELD_HEADER]: keepaliveFor(ANSWER_MS),
          },
          body: JSON.stringify({ hostId: host["fleet-b"] }),
        });
        answerStarted = true;
        return readHeldAnswer(started, ANSWER_MS);
      });
      expect([res.status, proxy.reached, startedWhileHeld]).toEqual([200, true, true]);
      expect(await res.json()).toMatchObject({ guestId: g.id, fromHostName: "fleet-a", toHostName: "fleet-b" });
    } finally {
      proxy.close();
    }
    expect(fileSums(dirOn(rig.b, g.id))).toEqual(before);
    expect(fs.existsSync(dirOn(rig.a, g.id))).toBe(false);
    expect((await rig.a.guest(g.id)).hostName).toBe("fleet-b");
  });

  it("refuses a running guest and targets that cannot take it, changing nothing", async () => {
    const g = await rig.createGuestOn(rig.a, "busy-mover");
    await rig.a.startGuest(g.id);
    const running = await migrate(rig.a, g.id, host["fleet-b"]);
    expect([running.status, running.body.error.message]).toEqual([409, expect.stringContaining("Stop it first")]);
    expect(runsOn(rig.a, g.id)).toBe(true);
    await rig.a.api("POST", `/api/guests/${g.id}/stop`);
    await rig.a.waitForState(g.id, "stopped");
    const refusals: Array<[unknown, number, RegExp]> = [
      [host["fleet-a"], 409, /on host fleet-a already/],
      ["nosuchhost", 409, /no host of the fleet has that id/],
      [42, 422, /./],
    ];
    await rig.a.api("PATCH", `/api/hosts/${host["fleet-b"]}`, { maintenance: true });
    refusals.push([host["fleet-b"], 409, /host fleet-b is in maintenance/]);
    try {
      for (const [target, status, message] of refusals) {
        const r = await migrate(rig.b, g.id, target);
        expect([r.status, r.body.error.message], String(target)).toEqual([status, expect.stringMatching(message)]);
      }
    } finally {
      await rig.a.api("PATCH", `/api/hosts/${host["fleet-b"]}`, { maintenance: false });
    }
    expect((await rig.a.guest(g.id)).hostName).toBe("fleet-a");
    expect(fs.existsSync(dirOn(rig.b, g.id))).toBe(false);
    expect(await inGuest(rig.a, g.id, "echo still-here")).toContain("still-here");
  });

  it("lets only admins move guests", async () => {
    const own = await rig.a.api<GuestView>(
      "POST",
      "/api/guests",
      { name: "dev-mover", imageId: await rig.a.defaultImageId(), memoryMiB: 48, hostId: undefined },
      { as: dev },
    );
    expect(own.status).toBe(201);
    for (const as of [dev, manager]) {
      const r = await migrate(rig.a, own.body.id, host[own.body.hostName === "fleet-a" ? "fleet-b" : "fleet-a"], as);
      expect([r.status, r.body.error.message]).toEqual([403, expect.stringContaining("may not move a stopped guest")]);
    }
    expect((await rig.a.guest(own.body.id)).hostName).toBe(own.body.hostName);
  });

  it("serves the daemon-only routes to no one without a valid fleet pass", async () => {
    const g = await rig.createGuestOn(rig.a, "pass-mover");
    const files = `/api/fleet/guests/${g.id}/files`;
    expect((await rig.a.api("GET", files)).status).toBe(403); // an admin signed in: still not a daemon
    expect((await rig.a.api("GET", files, undefined, { as: null })).status).toBe(401);
    const forged = (await rig.passes("fleet-b", "another-secret-0123456789abcdef0123456789")).issue(
      host["fleet-a"],
      { user: (await rig.a.api("GET", "/api/auth/me")).body.user.id, scope: "role", ip: null },
      { http: { method: "GET", path: files, body: bodyDigest() } },
    );
    expect((await rig.relayed(rig.a, forged, "GET", files)).status).toBe(401);
    // A good pass, but the guest is not being moved to b: its files are not sent.
    const me = (await rig.a.api("GET", "/api/auth/me")).body.user.id as string;
    const pass = (await rig.passes("fleet-b")).issue(
      host["fleet-a"],
      { user: me, scope: "role", ip: null },
      { http: { method: "GET", path: files, body: bodyDigest() } },
    );
    const r = await rig.relayed<Refusal>(rig.a, pass, "GET", files);
    expect([r.status, r.body.error.message]).toEqual([409, expect.stringContaining("not being moved")]);
    // A developer named in a good pass may not receive a guest.
    const devId = (await rig.a.api("GET", "/api/auth/me", undefined, { as: dev })).body.user.id as string;
    const receive = `/api/fleet/guests/${g.id}/receive`;
    const body = JSON.stringify({ allocated: 0, dirs: [], files: [] });
    const devPass = (await rig.passes("fleet-a")).issue(
      host["fleet-b"],
      { user: devId, scope: "role", ip: null },
      { http: { method: "POST", path: receive, body: bodyDigest(Buffer.from(body)) } },
    );
    expect((await rig.relayed(rig.b, devPass, "POST", receive, body)).status).toBe(403);
    expect(fs.existsSync(dirOn(rig.b, g.id))).toBe(false);
  });

  it("leaves the guest whole on a, and nothing on b, when b refuses it or is killed mid-transfer", async () => {
    const g = await rig.createGuestOn(rig.a, "interrupted");
    // 8 MiB of data on its disk, so the transfer is long enough to cut.
    await inGuest(rig.a, g.id, "dd if=/dev/urandom of=/root/big bs=1M count=8 2>/dev/null; sync");
    const before = fileSums(dirOn(rig.a, g.id));

    // b refuses: it has a directory of that name already (it is left alone).
    fs.mkdirSync(dirOn(rig.b, g.id));
    const refused = await migrate(rig.a, g.id, host["fleet-b"]);
    expect([refused.status, refused.body.error.message]).toEqual([
      409,
      expect.stringMatching(/already has files for this guest[\s\S]*stays on host fleet-a/),
    ]);
    fs.rmdirSync(dirOn(rig.b, g.id));
    expect(incoming(rig.b)).toEqual([]);

    // b is killed once 1 MiB of the files reached it: b pulls them from a through a proxy
    // (a's address in the fleet's list), which holds the rest back and kills b then.
    const proxy = await holdingProxy(rig.a.port, 1 << 20, async () => {
      await rig.b.stop("SIGKILL");
      return "cut";
    });
    try {
      const cut = await withHostAddress(rig.url, "fleet-a", `http://127.0.0.1:${proxy.port}`, () =>
        migrate(rig.a, g.id, host["fleet-b"]),
      );
      expect([cut.status, cut.body.error.message], JSON.stringify(cut.body)).toEqual([
        503,
        expect.stringContaining("stays on host fleet-a"),
      ]);
      expect(proxy.reached).toBe(true);
    } finally {
      proxy.close();
    }
    expect((await rig.a.guest(g.id)).hostName).toBe("fleet-a");
    expect(fileSums(dirOn(rig.a, g.id))).toEqual(before);
    // What b got before it died is removed when it starts again; the guest still starts on a.
    await rig.b.start();
    expect(incoming(rig.b)).toEqual([]);
    expect(fs.existsSync(dirOn(rig.b, g.id))).toBe(false);
    expect(await inGuest(rig.a, g.id, "ls -l /root/big")).toContain("8388608");
    expect((await audit("guest.migrate", g.id)).map((e) => e.outcome)).toEqual(["failed", "failed"]);
  });

  it("evacuates a host in maintenance: stopped guests move where placement says, running ones stay", async () => {
    const idle = await rig.createGuestOn(rig.a, "evac-idle");
    const busy = await rig.createGuestOn(rig.a, "evac-busy");
    await rig.a.startGuest(busy.id);
    const early = await rig.b.api<Refusal>("POST", `/api/hosts/${host["fleet-a"]}/evacuate`);
    expect([early.status, early.body.error.message]).toEqual([409, expect.stringContaining("not in maintenance")]);
    expect((await rig.a.api("PATCH", `/api/hosts/${host["fleet-a"]}`, { maintenance: true })).status).toBe(200);
    try {
      const r = await rig.b.api<EvacuationResult>("POST", `/api/hosts/${host["fleet-a"]}/evacuate`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const of = (id: string) => r.body.guests.find((e) => e.guestId === id);
      expect(of(idle.id)).toMatchObject({ outcome: "moved", hostName: "fleet-b" });
      expect(of(busy.id)).toMatchObject({ outcome: "stays", reason: expect.stringContaining("running") });
      expect(r.body.guests.filter((e) => e.outcome === "failed")).toEqual([]);
    } finally {
      await rig.a.api("PATCH", `/api/hosts/${host["fleet-a"]}`, { maintenance: false });
    }
    expect((await rig.a.guest(idle.id)).hostName).toBe("fleet-b");
    expect(fs.existsSync(dirOn(rig.b, idle.id))).toBe(true);
    expect((await rig.a.guest(busy.id)).hostName).toBe("fleet-a");
    expect(runsOn(rig.a, busy.id)).toBe(true);
    expect((await audit("host.evacuate", host["fleet-a"])).map((e) => [e.host, e.outcome])).toEqual([
      ["fleet-a", "ok"],
      ["fleet-a", "failed"],
    ]);
  });

  it("moves a guest and evacuates a host from the command line", async () => {
    const g = await rig.createGuestOn(rig.b, "cli-mover");
    const cli = new CliUser(rig.a.url, { CORRAL_TOKEN: await rig.a.token("role") });
    try {
      const moved = await cli.json<MigrationResult>(["guests", "migrate", "cli-mover", "fleet-a"]);
      expect([moved.guestId, moved.fromHostName, moved.toHostName]).toEqual([g.id, "fleet-b", "fleet-a"]);
      expect(fs.existsSync(dirOn(rig.a, g.id))).toBe(true);
      const again = await cli.run(["guests", "migrate", "cli-mover", "fleet-a"]);
      expect([again.code, again.stderr]).toEqual([EXIT.conflict, expect.stringContaining("on host fleet-a already")]);
      const early = await cli.run(["hosts", "evacuate", "fleet-a"]);
      expect([early.code, early.stderr]).toEqual([EXIT.conflict, expect.stringContaining("not in maintenance")]);
    } finally {
      cli.cleanup();
    }
  });
});

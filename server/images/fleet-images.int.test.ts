import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntryView, GuestView, ImageCopyEvent, ImageView } from "../../lib/shared/protocol";
import { CliUser } from "../../cli/test-support";
import { waitFor } from "../test-support/daemon-harness";
import { FLEET_SECRET, FleetRig } from "../test-support/fleet-rig";
import {
  copyImage,
  filesIn,
  imageHosts,
  ImageCopyLog,
  importImage,
  sameBytes,
  type Refusal,
} from "../test-support/fleet-transfer";
import { bodyDigest, DAEMON_ACTOR } from "../hosts/fleet-pass";
import { sha256File } from "./image-library";
import { imageFilePath } from "./image-copier";
import { strayFilePath } from "./image-file-removal";

// Two daemons, two hosts, one PostgreSQL, each host with its own data directory (so an
// image's file is at a different path on each): the built-in image a built reaches b as the
// very same bytes, and an admin copies images between them with progress.
describe("images on the hosts of a fleet (real daemons, PostgreSQL, separate data directories)", () => {
  const rig = new FleetRig();
  const ids: Record<string, string> = {};
  // Seen live on a's socket, reattached when a restarts.
  const copies = new ImageCopyLog();
  const images = async () => (await rig.a.api<ImageView[]>("GET", "/api/images")).body;
  const image = async (name: string) => (await images()).find((i) => i.name === name)!;
  const copy = (via: "a" | "b", imageId: string, hostId: unknown, as?: string) =>
    copyImage(rig[via], imageId, hostId, as);
  const leftInImages = (d: "a" | "b") => filesIn(rig[d], "images");

  beforeAll(async () => {
    await rig.start();
    for (const h of await rig.hosts()) ids[h.name] = h.id;
    await copies.attach(rig.a);
  });

  afterAll(async () => {
    await rig.cleanup();
    expect(rig.leftovers()).toEqual([]);
  });

  it("gives b the built-in image a built — the same bytes, in b's own data directory", async () => {
    const builtIn = (await images()).find((i) => i.builtIn)!;
    expect(await imageHosts(rig.a, builtIn.name)).toEqual([
      ["fleet-a", "ready"],
      ["fleet-b", "ready"],
    ]);
    const onA = path.join(rig.a.dataDir, "images", "busybox.img");
    const onB = path.join(rig.b.dataDir, "images", "busybox.img");
    expect(await sha256File(onA)).toBe(builtIn.sha256);
    expect(await sha256File(onB)).toBe(builtIn.sha256);
    expect(rig.b.logText).toContain("image copied to this host");
    expect(rig.b.logText).not.toContain("building the built-in busybox image");
  });

  it("fetches the built-in image again when b lost it, and a's guests still start (the fleet's row is untouched)", async () => {
    const before = (await images()).find((i) => i.builtIn)!;
    const guest = await rig.createGuestOn(rig.a, "on-a-builtin", { network: "none" });
    await rig.a.startGuest(guest.id);
    await rig.a.api("POST", `/api/guests/${guest.id}/force-off`);
    await rig.a.waitForState(guest.id, "stopped");
    await rig.b.stop();
    fs.rmSync(path.join(rig.b.dataDir, "images", "busybox.img"), { force: true });
    await rig.b.start();
    expect(await sha256File(path.join(rig.b.dataDir, "images", "busybox.img"))).toBe(before.sha256);
    expect((await images()).find((i) => i.builtIn)!.sha256).toBe(before.sha256);
    await rig.a.startGuest(guest.id);
    const onB = await rig.createGuestOn(rig.b, "on-b-builtin", { network: "none" });
    await rig.b.startGuest(onB.id);
    for (const [d, g] of [
      [rig.a, guest],
      [rig.b, onB],
    ] as const) {
      await d.api("POST", `/api/guests/${g.id}/force-off`);
      await d.waitForState(g.id, "stopped");
    }
  });

  it("copies an imported image from a to b, with progress, byte for byte; then b can run guests on it", async () => {
    const img = await importImage(rig.a, "carried");
    expect(await imageHosts(rig.a, "carried")).toEqual([["fleet-a", "ready"]]);
    const res = await copy("a", img.id, ids["fleet-b"]);
    expect([res.status, res.body.state, res.body.hostName, res.body.sizeBytes]).toEqual([
      202,
      "copying",
      "fleet-b",
      img.sizeBytes,
    ]);
    const end = await copies.finished(img.id, "fleet-b");
    expect([end.state, end.copiedBytes, end.error]).toEqual(["ready", img.sizeBytes, null]);
    // b's daemon did it and recorded it; a, which only passed it on, did not.
    const entries = (await rig.a.api<AuditEntryView[]>("GET", "/api/audit?action=image.copy")).body;
    expect(entries.filter((e) => e.target === img.id).map((e) => [e.host, e.outcome])).toEqual([["fleet-b", "ok"]]);
    // Seen live on a's socket: the bytes so far, growing, some of the way before all of it.
    const mine = copies.events.filter((e) => e.imageId === img.id).map((e) => e.copiedBytes);
    expect(mine).toEqual([...mine].sort((x, y) => x - y));
    expect(mine.some((b) => b > 0 && b < img.sizeBytes)).toBe(true);
    const onA = path.join(rig.a.dataDir, "images", "carried.img");
    expect(sameBytes(path.join(rig.b.dataDir, "images", "carried.img"), onA)).toBe(true);
    expect(await imageHosts(rig.a, "carried")).toEqual([
      ["fleet-a", "ready"],
      ["fleet-b", "ready"],
    ]);
    const guest = await rig.a.api<{ hostName: string }>("POST", "/api/guests", {
      name: "carried-on-b",
      imageId: img.id,
      memoryMiB: 64,
      hostId: ids["fleet-b"],
      network: "none",
    });
    expect([guest.status, guest.body.hostName]).toEqual([201, "fleet-b"]);
    const again = await copy("b", img.id, ids["fleet-b"]);
    expect([again.status, again.body.error.message]).toEqual([409, 'The image "carried" is on host fleet-b already.']);
  });

  it("copies the image to the host a new guest is placed on, which starts once it has come", async () => {
    const img = await importImage(rig.a, "follows-guest");
    const guest = await rig.a.api<GuestView & Refusal>("POST", "/api/guests", {
      name: "follows-guest-on-b",
      imageId: img.id,
      memoryMiB: 64,
      hostId: ids["fleet-b"],
      network: "none",
    });
    expect([guest.status, guest.body.hostName, guest.body.stateReason]).toEqual([
      201,
      "fleet-b",
      expect.stringContaining(`Its image "follows-guest" is being copied to host fleet-b`),
    ]);
    const end = await copies.finished(img.id, "fleet-b");
    expect([end.state, end.copiedBytes]).toEqual(["ready", img.sizeBytes]);
    const [onA, onB] = (["a", "b"] as const).map((d) => path.join(rig[d].dataDir, "images", "follows-guest.img"));
    expect(sameBytes(onB, onA)).toBe(true);
    await waitFor(
      "the guest to stop waiting for its image",
      async () => (await rig.a.guest(guest.body.id)).stateReason === null,
      30_000,
    );
    // Its test image's init sleeps: it boots (its kernel runs on b) without a prompt to wait for.
    expect((await rig.a.api("POST", `/api/guests/${guest.body.id}/start`)).status).toBe(202);
    await waitFor("its kernel on b", () => rig.b.kernels().some((k) => k.umid === guest.body.id), 60_000);
    await rig.a.api("POST", `/api/guests/${guest.body.id}/force-off`);
    await rig.b.waitForState(guest.body.id, "stopped");
  });

  it("copies with `corral images copy IMAGE HOST`, which waits for the end and lists where images are", async () => {
    const img = await importImage(rig.a, "by-cli");
    const cli = new CliUser(rig.a.url, { CORRAL_TOKEN: await rig.a.token("role") });
    try {
      const end = await cli.json<ImageCopyEvent>(["images", "copy", "by-cli", "fleet-b"]);
      expect([end.state, end.hostName, end.copiedBytes]).toEqual(["ready", "fleet-b", img.sizeBytes]);
      expect(await sha256File(path.join(rig.b.dataDir, "images", "by-cli.img"))).toBe(img.sha256);
      const again = await cli.run(["images", "copy", "by-cli", "fleet-b"]);
      expect([again.code, again.stderr]).toEqual([
        5,
        expect.stringContaining('The image "by-cli" is on host fleet-b already.'),
      ]);
      const list = await cli.run(["images", "list"]);
      expect(list.stdout).toMatch(/by-cli .*fleet-a, fleet-b/);
      const unknown = await cli.run(["images", "copy", "by-cli", "no-such-host"]);
      expect([unknown.code, unknown.stderr]).toEqual([4, expect.stringContaining('No host named "no-such-host"')]);
    } finally {
      cli.cleanup();
    }
  });

  it("deletes an image's file on every host that has it; a daemon removes only its own files no copy names", async () => {
    const img = await image("by-cli");
    const files = (["a", "b"] as const).map((d) => path.join(rig[d].dataDir, "images", "by-cli.img"));
    expect(files.map((f) => fs.existsSync(f))).toEqual([true, true]);
    expect((await rig.a.api("DELETE", `/api/images/${img.id}`)).status).toBe(204);
    expect(files.map((f) => fs.existsSync(f))).toEqual([false, false]);
    const outside = path.join(rig.b.dataDir, "keep.img");
    fs.writeFileSync(outside, "not an image of the library");
    const named = path.join(rig.b.dataDir, "images", "busybox.img");
    const passes = await rig.passes("fleet-a");
    for (const file of [outside, named, "../images/busybox.img"]) {
      const route = strayFilePath(file);
      const pass = passes.issue(ids["fleet-b"], DAEMON_ACTOR, {
        http: { method: "DELETE", path: route, body: bodyDigest() },
      });
      expect((await rig.relayed(rig.b, pass, "DELETE", route)).status).toBe(204);
    }
    expect([fs.existsSync(outside), fs.existsSync(named)]).toEqual([true, true]);
    expect((await rig.b.api<Refusal>("DELETE", strayFilePath(outside))).status).toBe(403);
  });

  it("refuses a copy whose bytes are not the image's, keeping nothing on b", async () => {
    const img = await importImage(rig.a, "tampered");
    const file = path.join(rig.a.dataDir, "images", "tampered.img");
    const fd = fs.openSync(file, "r+");
    fs.writeSync(fd, Buffer.from("not the image any more"), 0, 22, 4096);
    fs.closeSync(fd);
    const before = leftInImages("b");
    const res = await copy("a", img.id, ids["fleet-b"]);
    expect(res.status).toBe(202);
    const end = await copies.finished(img.id, "fleet-b");
    expect([end.state, end.error]).toEqual([
      "failed",
      expect.stringMatching(
        /^Copying the image "tampered" to host fleet-b failed \(from fleet-a: its file's checksum .* is not the image's .*\); nothing was kept\.$/,
      ),
    ]);
    expect(leftInImages("b")).toEqual(before);
    expect(await imageHosts(rig.a, "tampered")).toEqual([["fleet-a", "ready"]]);
  });

  it("refuses an unknown host or image, and a copy from a holder that is gone, keeping nothing", async () => {
    const img = await importImage(rig.a, "stranded");
    const unknownHost = await copy("a", img.id, "nosuchhost0");
    expect([unknownHost.status, unknownHost.body.error.fields]).toEqual([422, { hostId: expect.any(String) }]);
    const badHost = await copy("a", img.id, "Not A Host");
    expect(badHost.status).toBe(422);
    const unknownImage = await copy("a", "nosuchimage0", ids["fleet-b"]);
    expect([unknownImage.status, unknownImage.body.error.message]).toEqual([404, "No such image."]);
    const before = leftInImages("b");
    await rig.a.stop("SIGKILL");
    try {
      // a's last heartbeat is recent: b tries it, and reports that its daemon did not answer.
      const tried = await copy("b", img.id, ids["fleet-b"]);
      expect(tried.status).toBe(202);
      const end = await waitFor(
        "b to give up",
        async () => {
          const e = (await rig.b.api<ImageView[]>("GET", "/api/images")).body.find((i) => i.id === img.id)!;
          return e.copies.length === 1 ? e : null;
        },
        60_000,
      );
      expect(end.copies.map((c) => c.hostName)).toEqual(["fleet-a"]);
      expect(rig.b.logText).toMatch(/image copy failed.*stranded.*from fleet-a: its daemon did not answer/);
      expect(leftInImages("b")).toEqual(before);
      await waitFor(
        "fleet-a to be unreachable",
        async () => (await rig.hosts(rig.b)).find((h) => h.name === "fleet-a")!.status === "unreachable",
        60_000,
      );
      const gone = await copy("b", img.id, ids["fleet-b"]);
      expect([gone.status, gone.body.error.message]).toEqual([
        503,
        'The image "stranded" is only on fleet-a, which cannot be reached now. Start that host\'s daemon, then copy again.',
      ]);
      expect(leftInImages("b")).toEqual(before);
    } finally {
      await rig.a.start();
    }
    await copies.attach(rig.a);
  });

  it("lets only admins copy images", async () => {
    const img = await image("carried");
    for (const role of ["developer", "manager"] as const) {
      const as = await rig.a.userSession(`copy-${role}`, role);
      const res = await copy("a", img.id, ids["fleet-a"], as);
      expect([role, res.status]).toEqual([role, 403]);
    }
  });

  it("serves an image's file only to daemons of the fleet, with a daemon's pass", async () => {
    const img = await image("carried");
    const route = imageFilePath(img.id);
    const anon = await rig.a.api<Refusal>("GET", route, undefined, { as: null });
    expect(anon.status).toBe(401);
    const admin = await rig.a.api<Refusal>("GET", route);
    expect([admin.status, admin.body.error.message]).toEqual([
      403,
      "Only Corral's daemons may use this (with a fleet pass), whatever a person's role.",
    ]);
    const use = { http: { method: "GET", path: route, body: bodyDigest() } };
    const forged = (await rig.passes("fleet-b", "another-secret-0123456789abcdef0123456789")).issue(
      ids["fleet-a"],
      DAEMON_ACTOR,
      use,
    );
    expect((await rig.relayed(rig.a, forged, "GET", route)).status).toBe(401);
    const b = await rig.passes("fleet-b", FLEET_SECRET);
    const adminId = (await rig.a.api<{ user: { id: string } }>("GET", "/api/auth/me")).body.user.id;
    const person = b.issue(ids["fleet-a"], { user: adminId, scope: "role", ip: null }, use);
    expect((await rig.relayed(rig.a, person, "GET", route)).status).toBe(403);
    const pass = b.issue(ids["fleet-a"], DAEMON_ACTOR, use);
    const res = await fetch(rig.a.url + route, { headers: { "x-corral-fleet": pass } });
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.equals(fs.readFileSync(path.join(rig.a.dataDir, "images", "carried.img")))).toBe(true);
    // A pass is good for one request: the same one again is a replay.
    expect((await rig.relayed(rig.a, pass, "GET", route)).status).toBe(401);
  });
});

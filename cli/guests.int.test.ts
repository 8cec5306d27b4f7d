// `corral` against a real daemon and real busybox guests, as a script would run it: a guest's
// life and disk, its boots' logs, and the host it is placed on.
import { describe, expect, it } from "vitest";
import type { BootView, FleetHostView, GuestView, ImageView, SnapshotView } from "../lib/shared/protocol";
import { TestDaemon } from "../server/test-support/daemon-harness";
import { EXIT } from "./exit-codes";
import { withAdmin, type CliUser } from "./test-support";

describe("corral guests, boots and hosts (real daemon, real guests)", () => {
  const daemon = new TestDaemon();
  let admin: CliUser;

  withAdmin(daemon, (a) => (admin = a));

  it("lists the fleet, puts a host in maintenance and back, and creates a guest on a named host", async () => {
    const [here] = await admin.json<FleetHostView[]>(["hosts", "fleet"]);
    expect(here).toMatchObject({ maintenance: false, status: "up" });
    const on = await admin.json<FleetHostView>(["hosts", "maintenance", here.name, "on"]);
    expect(on.maintenance).toBe(true);
    const refused = await admin.run(["guests", "create", "cli-placed", "-m", "64", "--host", here.name]);
    expect(refused.code).toBe(EXIT.conflict);
    expect(refused.stderr).toMatch(/is in maintenance: no new guests are placed on it/);
    // Alone, the host in maintenance takes no guest placed by Corral either.
    const alone = await admin.run(["guests", "create", "cli-placed", "-m", "64"]);
    expect([alone.code, alone.stderr]).toEqual([EXIT.conflict, expect.stringMatching(/is in maintenance/)]);
    expect((await admin.run(["hosts", "maintenance", here.name, "sideways"])).code).toBe(EXIT.usage);
    expect((await admin.run(["guests", "create", "cli-placed", "--host", "nowhere"])).code).toBe(EXIT.notFound);
    expect((await admin.json<FleetHostView>(["hosts", "maintenance", here.name, "off"])).maintenance).toBe(false);
    const placed = await admin.json<GuestView>(["guests", "create", "cli-placed", "-m", "64", "--host", here.id]);
    expect(placed.hostName).toBe(here.name);
    expect((await admin.run(["guests", "delete", "cli-placed"])).code).toBe(0);
  });

  it("a guest's life: create, edit, start, boots and logs, reboot, stop, conflicts, delete", async () => {
    const g = await admin.json<GuestView>(["guests", "create", "cli-life", "-m", "64", "-f", "tcp:18022:22"]);
    expect(g).toMatchObject({ name: "cli-life", memoryMiB: 64, state: "stopped", imageName: "busybox" });
    expect(g.network.forwards).toEqual([expect.objectContaining({ hostPort: 18022, guestPort: 22 })]);
    const dup = await admin.run(["guests", "create", "cli-life", "-m", "64"]);
    expect(dup.code).toBe(EXIT.conflict);
    expect(dup.stderr).toMatch(/already exists/);

    const edited = await admin.json<GuestView>(["guests", "edit", "cli-life", "-m", "96", "--no-forwards"]);
    expect(edited).toMatchObject({ memoryMiB: 96, network: expect.objectContaining({ forwards: [] }) });

    const started = await admin.json<GuestView>(["guests", "start", "cli-life", "--wait"]);
    expect(started.state).toBe("running");
    const running = await admin.run(["guests", "delete", "cli-life"]);
    expect(running.code).toBe(EXIT.conflict);
    expect(running.stderr).toMatch(/running/i);

    const list = await admin.run(["guests", "list"]);
    expect(list.stdout).toMatch(/cli-life\s+running\s+busybox\s+96 MiB/);
    const shown = await admin.json<GuestView>(["guests", "show", g.id]);
    expect(shown.name).toBe("cli-life");

    const rebooted = await admin.json<GuestView>(["guests", "reboot", "cli-life", "--wait"]);
    expect(rebooted).toMatchObject({ state: "running", lastBoot: expect.objectContaining({ number: 2 }) });
    const stopped = await admin.json<GuestView>(["guests", "stop", "cli-life", "--wait"]);
    expect(stopped.state).toBe("stopped");

    const boots = await admin.json<BootView[]>(["boots", "list", "cli-life"]);
    expect(boots.map((b) => b.number)).toEqual([2, 1]);
    expect(boots[1].outcome).toBe("rebooted");
    const log = await admin.run(["boots", "log", "cli-life", "1"]);
    expect(log.code).toBe(0);
    expect(log.stdout).toMatch(/Linux version/);
    const cast = await admin.run(["boots", "log", "cli-life", "--cast"]);
    expect(JSON.parse(cast.stdout.split("\n")[0])).toMatchObject({ version: 2 });
    const noBoot = await admin.run(["boots", "log", "cli-life", "9"]);
    expect(noBoot.code).toBe(EXIT.notFound);

    const gone = await admin.json(["guests", "delete", "cli-life"]);
    expect(gone).toMatchObject({ name: "cli-life" });
    expect((await admin.run(["guests", "show", "cli-life"])).code).toBe(EXIT.notFound);
  });

  it("force-off, and a disk's commands: snapshot, revert, clone, commit, reset", async () => {
    await admin.json(["guests", "create", "cli-disk", "-m", "64"]);
    await admin.json(["guests", "start", "cli-disk", "--wait"]);
    const off = await admin.json<GuestView>(["guests", "force-off", "cli-disk", "--wait"]);
    expect(off.state).toBe("stopped");

    const snap = await admin.json<SnapshotView>(["guests", "snapshot", "cli-disk", "before"]);
    expect(snap.name).toBe("before");
    expect((await admin.json<SnapshotView[]>(["guests", "snapshots", "cli-disk"])).map((s) => s.name)).toEqual([
      "before",
    ]);
    expect((await admin.run(["guests", "revert", "cli-disk", "nope"])).code).toBe(EXIT.notFound);
    expect((await admin.json<GuestView>(["guests", "revert", "cli-disk", "before"])).name).toBe("cli-disk");
    const clone = await admin.json<GuestView>(["guests", "clone", "cli-disk", "cli-disk-2"]);
    expect(clone).toMatchObject({ name: "cli-disk-2", memoryMiB: 64 });
    const image = await admin.json<ImageView>(["guests", "commit", "cli-disk", "cli-committed"]);
    expect(image.name).toBe("cli-committed");
    const reset = await admin.json(["guests", "reset", "cli-disk"]);
    expect(reset).toMatchObject({ guest: expect.objectContaining({ name: "cli-disk" }) });
    expect(await admin.json(["guests", "delete-snapshot", "cli-disk", "before"])).toMatchObject({ name: "before" });

    // The committed image is in use by nobody: it can go; the built-in one cannot.
    for (const name of ["cli-disk", "cli-disk-2"]) await admin.json(["guests", "delete", name]);
    expect(await admin.json(["images", "delete", "cli-committed"])).toMatchObject({ name: "cli-committed" });
  });

  it("boots log --follow prints the live boot as it grows, then ends with it", async () => {
    const g = await admin.json<GuestView>(["guests", "create", "cli-follow", "-m", "64"]);
    await admin.json(["guests", "start", "cli-follow", "--wait"]);
    const follow = admin.run(["boots", "log", "cli-follow", "--follow"]);
    const socket = await daemon.socket();
    const tap = await daemon.attachConsole(socket, g.id);
    await tap.type("echo FOLLOWED-$((6*7))\r");
    await tap.expect(/FOLLOWED-42/);
    await admin.json(["guests", "stop", "cli-follow", "--wait"]);
    const done = await follow;
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/Linux version/);
    // Each piece once: the typed command echoed and its output, in order.
    expect(done.stdout.match(/FOLLOWED-42/g)).toHaveLength(1);
    expect(done.stderr).toMatch(/boot 1 of cli-follow ended/);
    await admin.json(["guests", "delete", "cli-follow"]);
  });
});

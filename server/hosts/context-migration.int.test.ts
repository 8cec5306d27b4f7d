import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GuestView, MigrationResult, SnapshotView } from "../../lib/shared/protocol";
import type { TestDaemon } from "../test-support/daemon-harness";
import { FleetRig } from "../test-support/fleet-rig";
import { ContextConsole } from "../lxc/context-console";
import { probeContextSupport } from "../lxc/host-support";
import { contextPaths } from "../lxc/lxc-paths";

const support = probeContextSupport(process.cwd());

// A stopped context guest (a real LXC container) moves between two daemons with separate data
// directories on one PostgreSQL. Each host gives its context guests uid ranges of its own, so
// the layer's owners must be shifted from the sender's range to the one the receiver gives it.
describe.skipIf(!support.available)("moving context guests between hosts (real LXC, two daemons)", () => {
  const rig = new FleetRig();
  let ctxA: ContextConsole;
  let ctxB: ContextConsole;
  const base = (d: TestDaemon, id: string) => Number(fs.readFileSync(contextPaths(d.dataDir, id).rangeFile, "utf8"));
  const owner = (file: string) => {
    const st = fs.lstatSync(file);
    return [st.uid, st.gid];
  };
  const stop = async (d: TestDaemon, id: string) => {
    await d.api("POST", `/api/guests/${id}/stop`);
    await d.waitForState(id, "stopped");
  };

  beforeAll(async () => {
    await rig.start();
    ctxA = new ContextConsole(rig.a);
    ctxB = new ContextConsole(rig.b);
  });

  afterAll(async () => {
    await rig.cleanup();
    expect(rig.leftovers()).toEqual([]);
  });

  it("moves a stopped context guest: its own range there, owners shifted, snapshots too, the source's copy gone", async () => {
    const create = (d: TestDaemon, name: string) => rig.createGuestOn(d, name, { kind: "context", network: "none" });
    // b already gives its first range to a guest of its own: the mover cannot keep a's ids there.
    const resident = await create(rig.b, "ctx-resident");
    await ctxB.boot(resident);
    await stop(rig.b, resident.id);

    const g: GuestView = await create(rig.a, "ctx-mover");
    const tap = await ctxA.boot(g);
    await ctxA.sh(tap, "echo written-on-a > /root/moved; chown 1234:2345 /root/moved; ln -s moved /root/link; sync");
    await stop(rig.a, g.id);
    const snap = await rig.a.api<SnapshotView>("POST", `/api/guests/${g.id}/snapshots`, { name: "before-move" });
    expect(snap.status).toBe(201);
    const fromBase = base(rig.a, g.id);
    const upperA = contextPaths(rig.a.dataDir, g.id).upper;
    expect(owner(`${upperA}/root/moved`)).toEqual([fromBase + 1234, fromBase + 2345]);

    const dirA = path.join(rig.a.dataDir, "guests", g.id);
    const hostId = (await rig.hostId("fleet-b")).id;
    // b refuses it halfway (a folder of that name is there): a keeps it whole, the layer's archive gone.
    fs.mkdirSync(path.join(rig.b.dataDir, "guests", g.id));
    const refused = await rig.a.api<{ error: { message: string } }>("POST", `/api/guests/${g.id}/migrate`, { hostId });
    expect([refused.status, refused.body.error.message]).toEqual([
      409,
      expect.stringContaining("stays on host fleet-a"),
    ]);
    fs.rmdirSync(path.join(rig.b.dataDir, "guests", g.id));
    expect(fs.readdirSync(dirA).filter((n) => n.startsWith("."))).toEqual([]);
    expect(owner(`${upperA}/root/moved`)).toEqual([fromBase + 1234, fromBase + 2345]);

    const res = await rig.b.api<MigrationResult>("POST", `/api/guests/${g.id}/migrate`, { hostId });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(fs.existsSync(dirA)).toBe(false);
    const toBase = base(rig.b, g.id);
    expect(toBase).not.toBe(base(rig.b, resident.id));
    expect(toBase).not.toBe(fromBase);
    const upperB = contextPaths(rig.b.dataDir, g.id).upper;
    expect(owner(`${upperB}/root/moved`)).toEqual([toBase + 1234, toBase + 2345]);
    expect(owner(upperB)[0]).toBe(toBase);
    expect(fs.readlinkSync(`${upperB}/root/link`)).toBe("moved");
    expect(fs.readdirSync(path.join(rig.b.dataDir, "guests")).filter((n) => n.startsWith("."))).toEqual([]);

    // It starts on b; inside, the file reads with the owner it was given on a.
    let there = await ctxB.boot(g);
    expect(
      await ctxB.sh(there, "cat /root/moved; stat -c OWNER-%u:%g /root/moved; echo changed > /root/moved"),
    ).toMatch(/^written-on-a\r[\s\S]*^OWNER-1234:2345\r/m);
    await stop(rig.b, g.id);
    // The snapshot taken on a reverts on b, its files in b's range.
    const revert = await rig.b.api("POST", `/api/guests/${g.id}/snapshots/${snap.body.id}/revert`, {});
    expect(revert.status, JSON.stringify(revert.body)).toBe(200);
    expect(owner(`${upperB}/root/moved`)).toEqual([toBase + 1234, toBase + 2345]);
    there = await ctxB.boot(g);
    expect(await ctxB.sh(there, "cat /root/moved")).toMatch(/^written-on-a\r/m);
    await stop(rig.b, g.id);
    expect((await rig.a.guest(g.id)).hostName).toBe("fleet-b");
  });
});

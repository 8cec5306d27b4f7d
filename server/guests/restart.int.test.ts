import { afterAll, describe, expect, it } from "vitest";
import type { BootView } from "../../lib/protocol";
import { castOutput, parseCast } from "../boots/asciicast";
import { processAlive } from "../uml/kernel-process";
import { TestDaemon, waitFor } from "../test-support/daemon-harness";

describe("daemon restarts (real UML)", () => {
  const daemons: TestDaemon[] = [];
  afterAll(async () => {
    for (const d of daemons) await d.cleanup();
  });

  it("stops its guests on a clean shutdown and records why", async () => {
    const daemon = new TestDaemon();
    daemons.push(daemon);
    await daemon.start();
    const a = await daemon.createGuest("calm");
    await daemon.startGuest(a.id);
    const pid = daemon.kernels().find((k) => k.umid === a.id)!.pid;
    await daemon.stop("SIGTERM");
    expect(processAlive(pid)).toBe(false);
    expect(daemon.kernels()).toEqual([]);
    await daemon.start();
    const after = await daemon.guest(a.id);
    expect(after.state).toBe("stopped");
    expect(after.lastBoot?.outcome).toBe("daemon-restart");
    expect(after.lastBoot?.detail).toMatch(/shut down; the guest was powered off/);
    await daemon.stop();
  });

  it("after kill -9 of the daemon, stops the orphaned kernels, closes their boots and keeps their logs", async () => {
    const daemon = new TestDaemon();
    daemons.push(daemon);
    await daemon.start();
    const a = await daemon.createGuest("orphan-a");
    const b = await daemon.createGuest("orphan-b");
    await daemon.startGuest(a.id);
    await daemon.startGuest(b.id);
    const tap = await daemon.attachConsole(await daemon.socket(), a.id);
    await tap.type("echo BEFORE-CRASH\r");
    await tap.expect(/BEFORE-CRASH\r\n/);
    const orphans = daemon.kernels();
    expect(orphans.map((k) => k.umid).sort()).toEqual([a.id, b.id].sort());

    await daemon.stop("SIGKILL");
    // UML ignores SIGHUP: without the daemon its kernels keep running as orphans.
    expect(orphans.every((k) => processAlive(k.pid))).toBe(true);

    await daemon.start();
    await waitFor("orphans to be gone", () => orphans.every((k) => !processAlive(k.pid)), 10_000);
    expect(daemon.kernels()).toEqual([]);
    for (const g of [a, b]) {
      const after = await daemon.guest(g.id);
      expect(after.state).toBe("stopped");
      expect(after.stateReason).toMatch(/host daemon restarted/);
      const { body: boots } = await daemon.api<BootView[]>("GET", `/api/guests/${g.id}/boots`);
      expect(boots[0].outcome).toBe("daemon-restart");
      expect(boots[0].endedAt).not.toBeNull();
    }
    const log = castOutput(parseCast((await daemon.api<string>("GET", `/api/guests/${a.id}/boots/1/log`)).body).events);
    expect(log).toContain("BEFORE-CRASH");
    const { body: bootsA } = await daemon.api<BootView[]>("GET", `/api/guests/${a.id}/boots`);
    expect(bootsA[0].logBytes).toBe(Buffer.byteLength(log));

    // The guests work normally afterwards.
    await daemon.startGuest(a.id);
    await daemon.api("POST", `/api/guests/${a.id}/stop`);
    await daemon.waitForState(a.id, "stopped");
    await daemon.stop();
  });

  it("marks a guest crashed when its kernel vanished while no daemon was running", async () => {
    const daemon = new TestDaemon();
    daemons.push(daemon);
    await daemon.start();
    const g = await daemon.createGuest("vanished");
    await daemon.startGuest(g.id);
    const k = daemon.kernels()[0];
    await daemon.stop("SIGKILL");
    process.kill(-k.pid, "SIGKILL");
    await waitFor("kernel gone", () => !processAlive(k.pid));
    await daemon.start();
    const after = await daemon.guest(g.id);
    expect(after.state).toBe("crashed");
    expect(after.stateReason).toMatch(/ended while the host daemon was not running/);
    expect(after.lastBoot?.outcome).toBe("crashed");
    await daemon.stop();
  });
});

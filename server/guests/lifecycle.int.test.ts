import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BootView } from "../../lib/shared/protocol";
import { castOutput, parseCast } from "../boots/asciicast";
import { TestDaemon, waitFor } from "../test-support/daemon-harness";
import { KERNEL_NICE } from "../uml/kernel-process";

// A guest's whole life against a real kernel: create, boot, type, stop, read the record.
describe("guest lifecycle (real UML)", () => {
  const daemon = new TestDaemon();
  beforeAll(() => daemon.start());
  afterAll(() => daemon.cleanup());

  it("boots, answers on its console, powers off cleanly and leaves a complete boot record", async () => {
    const guest = await daemon.createGuest("life");
    expect(guest.state).toBe("stopped");
    expect(fs.existsSync(path.join(daemon.dataDir, "guests", guest.id))).toBe(true);

    const s = await daemon.socket();
    const tap = await daemon.attachConsole(s, guest.id, { cols: 100, rows: 30 });
    const started = await daemon.startGuest(guest.id);
    expect(started.lastBoot?.number).toBe(1);

    // The kernel yields the CPU to the daemon and the keeper (uml/kernel-process.ts): its own
    // nice value and, where the scheduler groups sessions, its session's.
    const kernel = daemon.kernels().find((k) => k.umid === guest.id)!;
    expect(os.getPriority(kernel.pid)).toBe(KERNEL_NICE);
    const autogroup = `/proc/${kernel.pid}/autogroup`;
    if (fs.existsSync(autogroup))
      expect(fs.readFileSync(autogroup, "utf8")).toMatch(new RegExp(`nice ${KERNEL_NICE}\\b`));

    expect((await tap.type("echo MARK-$((6*7))-END; stty size\r")).ok).toBe(true);
    await tap.expect(/MARK-42-END/);
    await tap.expect(/\r\n30 100\r\n/);

    // Resizing the viewer changes the guest's terminal size.
    s.emit("console:resize", { guestId: guest.id, cols: 120, rows: 40 });
    await tap.type("stty size\r");
    await tap.expect(/\r\n40 120\r\n/);

    expect((await daemon.api("POST", `/api/guests/${guest.id}/stop`)).status).toBe(202);
    const stopped = await daemon.waitForState(guest.id, "stopped");
    expect(stopped.stateReason).toBeNull();
    await tap.expect(/reboot: Power down/);

    const { body: boots } = await daemon.api<BootView[]>("GET", `/api/guests/${guest.id}/boots`);
    expect(boots).toHaveLength(1);
    const b = boots[0];
    expect(b.outcome).toBe("powered-off");
    const t = (x: string | null) => new Date(x!).getTime();
    expect(t(b.startedAt)).toBeLessThanOrEqual(t(b.firstOutputAt));
    expect(t(b.firstOutputAt)).toBeLessThanOrEqual(t(b.readyAt));
    expect(t(b.readyAt)).toBeLessThanOrEqual(t(b.endedAt));

    // Every byte the console printed is in the log, which the API serves as asciicast.
    const log = await daemon.api<string>("GET", `/api/guests/${guest.id}/boots/1/log`);
    expect(log.status).toBe(200);
    const cast = parseCast(log.body as unknown as string);
    const printed = castOutput(cast.events);
    expect(printed).toContain("MARK-42-END");
    expect(printed).toContain("reboot: Power down");
    expect(Buffer.byteLength(printed)).toBe(b.logBytes);
    expect(printed.endsWith(tap.output.slice(-200))).toBe(true);
    expect(cast.events.some(([, code, data]) => code === "m" && data === "ready")).toBe(true);
    expect(cast.events.some(([, code, data]) => code === "r" && data === "120x40")).toBe(true);
    const text = await daemon.api("GET", `/api/guests/${guest.id}/boots/1/log?format=text`);
    expect(text.body).toBe(printed);
  });

  it("shows a late viewer the current screen first", async () => {
    const guest = await daemon.createGuest("late");
    await daemon.startGuest(guest.id);
    const first = await daemon.attachConsole(await daemon.socket(), guest.id);
    await first.type("echo LATE-VIEWER-SEES-THIS\r");
    await first.expect(/LATE-VIEWER-SEES-THIS\r\n/);
    const late = await daemon.attachConsole(await daemon.socket(), guest.id);
    expect(late.snapshot).toContain("LATE-VIEWER-SEES-THIS");
    expect(late.role).toBe("watcher");
    expect((await late.takeControl()).ok).toBe(true);
    await late.type("echo BOTH-SEE-$((1+1))\r");
    await Promise.all([first.expect(/BOTH-SEE-2/), late.expect(/BOTH-SEE-2/)]);
    await daemon.api("POST", `/api/guests/${guest.id}/force-off`);
    await daemon.waitForState(guest.id, "stopped");
  });

  it("survives viewers leaving: disconnecting never stops a guest", async () => {
    const guest = await daemon.createGuest("leave");
    await daemon.startGuest(guest.id);
    const s = await daemon.socket();
    await daemon.attachConsole(s, guest.id);
    s.close();
    // Once the daemon has seen the viewer go, the guest must still be running.
    await waitFor("the viewer to be detached", async () => {
      const stats = (await daemon.api<{ viewers: unknown[] }>("GET", `/api/guests/${guest.id}/console`)).body;
      return stats.viewers.length === 0;
    });
    expect((await daemon.guest(guest.id)).state).toBe("running");
    await daemon.api("POST", `/api/guests/${guest.id}/force-off`);
    const off = await daemon.waitForState(guest.id, "stopped");
    expect(off.lastBoot?.outcome).toBe("killed");
  });

  it("reboots on request into a new boot, and records a reboot the guest does itself", async () => {
    const guest = await daemon.createGuest("again");
    await daemon.startGuest(guest.id);
    expect((await daemon.api("POST", `/api/guests/${guest.id}/reboot`)).status).toBe(202);
    const rebooted = await daemon.waitForState(guest.id, "running");
    expect(rebooted.lastBoot?.number).toBe(2);

    // `reboot` typed inside the guest restarts the kernel in the same process.
    const tap = await daemon.attachConsole(await daemon.socket(), guest.id);
    await tap.type("reboot\r");
    const third = await waitForBoot(daemon, guest.id, 3);
    expect(third.state).toBe("running");
    expect(tap.boots).toContain(3);

    const { body: boots } = await daemon.api<BootView[]>("GET", `/api/guests/${guest.id}/boots`);
    expect(boots.map((b) => [b.number, b.outcome])).toEqual([
      [3, null],
      [2, "rebooted"],
      [1, "rebooted"],
    ]);
    const log2 = castOutput(
      parseCast((await daemon.api<string>("GET", `/api/guests/${guest.id}/boots/2/log`)).body).events,
    );
    expect(log2).toContain("reboot: Restarting system");
    await daemon.api("POST", `/api/guests/${guest.id}/stop`);
    const stopped = await daemon.waitForState(guest.id, "stopped");
    expect(stopped.lastBoot?.outcome, daemon.logText.slice(-6000)).toBe("powered-off");
  });

  it("deletes a stopped guest's folder and records but never its image", async () => {
    const images = await daemon.api<Array<{ id: string; sha256: string }>>("GET", "/api/images");
    const guest = await daemon.createGuest("doomed");
    await daemon.startGuest(guest.id);
    await daemon.api("POST", `/api/guests/${guest.id}/stop`);
    await daemon.waitForState(guest.id, "stopped");
    expect(fs.existsSync(path.join(daemon.dataDir, "guests", guest.id, "root.cow"))).toBe(true);
    expect((await daemon.api("DELETE", `/api/guests/${guest.id}`)).status).toBe(204);
    expect((await daemon.api("GET", `/api/guests/${guest.id}`)).status).toBe(404);
    expect(fs.existsSync(path.join(daemon.dataDir, "guests", guest.id))).toBe(false);
    const after = await daemon.api<Array<{ id: string; sha256: string }>>("GET", "/api/images");
    expect(after.body).toEqual(images.body);
    const { sha256File } = await import("../images/image-library");
    const img = path.join(daemon.dataDir, "images", "busybox.img");
    expect(await sha256File(img)).toBe(images.body[0].sha256);
  });
});

async function waitForBoot(daemon: TestDaemon, id: string, n: number) {
  const { waitFor } = await import("../test-support/daemon-harness");
  return waitFor(
    `boot ${n} running`,
    async () => {
      const g = await daemon.guest(id);
      return g.lastBoot?.number === n && g.state === "running" ? g : null;
    },
    60_000,
  );
}

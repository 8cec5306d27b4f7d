import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BootView, GuestView } from "../../lib/shared/protocol";
import { TestDaemon, type ConsoleTap } from "../test-support/daemon-harness";
import { ContextConsole } from "./context-console";
import { probeContextSupport } from "./host-support";
import { contextPaths } from "./lxc-paths";

// Context guests against real LXC containers on this host's kernel: the built-in busybox
// image, user-namespaced, on the keeper's pty. Needs root, lxc, uidmap and root's subuid range
// (scripts/setup.sh installs them); elsewhere the suite says why it is skipped.
const support = probeContextSupport(process.cwd());

describe.skipIf(!support.available)("context guests (real LXC)", () => {
  const daemon = new TestDaemon();
  beforeAll(() => daemon.start());
  afterAll(async () => {
    const lxcPath = contextPaths(daemon.dataDir, "x").lxcPath;
    // Every guest was stopped by its test: no container runs, no image stays mounted once the daemon is gone.
    let running = "";
    try {
      running = execFileSync("lxc-ls", ["-P", lxcPath, "--running"], { encoding: "utf8" }).trim();
    } finally {
      await daemon.cleanup();
    }
    expect(running).toBe("");
    expect(fs.readFileSync("/proc/self/mountinfo", "utf8")).not.toContain(daemon.dataDir);
    const ours = fs
      .readdirSync("/proc")
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return fs.readFileSync(`/proc/${p}/cmdline`, "utf8").includes(daemon.dataDir);
        } catch {
          return false;
        }
      });
    expect(ours).toEqual([]);
  });

  const create = (name: string, extra: Record<string, unknown> = {}) =>
    daemon.createGuest(name, { kind: "context", network: "none", ...extra });

  const ctx = new ContextConsole(daemon);
  const boot = (guest: GuestView) => ctx.boot(guest);
  const sh = (tap: ConsoleTap, command: string) => ctx.sh(tap, command);
  const initPid = (guestId: string) => ctx.initPid(guestId);

  async function lastBoot(id: string): Promise<BootView> {
    const { body } = await daemon.api<BootView[]>("GET", `/api/guests/${id}/boots`);
    return body[0];
  }

  it("refuses choices that do not apply to a context guest, writing nothing", async () => {
    const imageId = await daemon.defaultImageId();
    const base = { name: "ctx-bad", kind: "context", imageId, memoryMiB: 64 };
    const args = await daemon.api<{ error: { fields: Record<string, string> } }>("POST", "/api/guests", {
      ...base,
      network: "none",
      kernelArgs: ["quiet"],
      rootPassword: "long-enough-secret",
    });
    expect(args.status).toBe(422);
    expect(Object.keys(args.body.error.fields)).toEqual(["kernelArgs"]);
    expect((await daemon.api<unknown[]>("GET", "/api/guests")).body).toHaveLength(0);
  });

  it("lists guests by kind", async () => {
    const uml = await daemon.createGuest("ctx-list-uml");
    const ctx = await create("ctx-list-ctx");
    const names = async (q: string) =>
      (await daemon.api<GuestView[]>("GET", `/api/guests${q}`)).body.map((g) => `${g.name}:${g.kind}`);
    expect(await names("?kind=context")).toEqual(["ctx-list-ctx:context"]);
    expect(await names("?kind=uml")).toEqual(["ctx-list-uml:uml"]);
    expect((await daemon.api("GET", "/api/guests?kind=xen")).status).toBe(422);
    for (const g of [uml, ctx]) expect((await daemon.api("DELETE", `/api/guests/${g.id}`)).status).toBeLessThan(300);
  });

  it("boots to a shell prompt, runs commands, and powers off gracefully", async () => {
    const guest = await create("ctx-life");
    expect(guest.kind).toBe("context");
    const tap = await boot(guest);
    const out = await sh(tap, "echo CTX-$((6*7))-END; stty size");
    expect(out).toMatch(/^CTX-42-END\r/m);
    expect(out).toMatch(/^30 100\r/m);
    expect((await daemon.api("POST", `/api/guests/${guest.id}/stop`)).status).toBe(202);
    await daemon.waitForState(guest.id, "stopped");
    const b = await lastBoot(guest.id);
    expect(b.outcome).toBe("powered-off");
    expect(b.readyAt).not.toBeNull();
    // The image stays pristine: what the guest wrote is in its own upper layer.
    const log = await daemon.api<string>("GET", `/api/guests/${guest.id}/boots/1/log?format=text`);
    expect(log.body).toContain("CTX-42-END");
  });

  it("reboots in place from inside (same lxc-start and console) and on request (a fresh start), each a new boot", async () => {
    const guest = await create("ctx-reboot");
    const tap = await boot(guest);
    const lxcStart = ctx.lxcStartPid(guest.id);
    const firstInit = initPid(guest.id);
    await tap.type("reboot\r");
    await ctx.waitForBoot(guest.id, 2);
    await ctx.awaitShell(tap, guest.name);
    expect(ctx.lxcStartPid(guest.id)).toBe(lxcStart);
    const secondInit = initPid(guest.id);
    expect(secondInit).not.toBe(firstInit);
    // The new init is in the same cgroup as before (metrics and limits read it by the guest's id).
    const procs = fs.readFileSync(`/sys/fs/cgroup/memory/lxc.payload.${guest.id}/cgroup.procs`, "utf8");
    expect(procs.split("\n")).toContain(String(secondInit));
    expect((await daemon.api("POST", `/api/guests/${guest.id}/reboot`)).status).toBe(202);
    await ctx.waitForBoot(guest.id, 3);
    await ctx.awaitShell(tap, guest.name);
    expect(ctx.lxcStartPid(guest.id)).not.toBe(lxcStart);
    // One attachment saw all three boots.
    expect(tap.boots).toEqual(expect.arrayContaining([2, 3]));
    const { body: boots } = await daemon.api<BootView[]>("GET", `/api/guests/${guest.id}/boots`);
    expect(boots.map((b) => [b.number, b.outcome])).toEqual([
      [3, null],
      [2, "rebooted"],
      [1, "rebooted"],
    ]);
    // The container's restart line ends boot 1's log; boot 2's starts after it.
    const log = async (n: number) =>
      (await daemon.api<string>("GET", `/api/guests/${guest.id}/boots/${n}/log?format=text`)).body;
    expect(await log(1)).toContain("corral: restarting the container");
    expect(await log(2)).not.toContain("corral: restarting the container");
    await daemon.api("POST", `/api/guests/${guest.id}/stop`);
    expect((await daemon.waitForState(guest.id, "stopped")).lastBoot?.outcome).toBe("powered-off");
  });

  it("is isolated: root is an unprivileged host id; no host processes, device nodes or /proc/sys writes", async () => {
    const guest = await create("ctx-iso");
    const tap = await boot(guest);
    const pid = initPid(guest.id);
    const uid = Number(/^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))![1]);
    expect(uid).toBeGreaterThanOrEqual(100000);
    // Root inside, the guest's own range outside.
    expect(await sh(tap, "id -u")).toMatch(/^0\r/m);
    const mknod = await sh(tap, "mknod /tmp/sda b 8 0 && echo MKNOD-OK || echo MKNOD-NO");
    expect(mknod).toMatch(/^MKNOD-NO\r/m);
    expect(mknod).toMatch(/Operation not permitted/);
    const sysctl = await sh(tap, "echo 1 > /proc/sys/kernel/panic && echo SYSCTL-OK || echo SYSCTL-NO");
    expect(sysctl).toMatch(/^SYSCTL-NO\r/m);
    // The test's own process (a host pid) is not there; the guest's init is pid 1.
    const procs = await sh(tap, `ls -d /proc/${process.pid} /proc/1 2>&1`);
    expect(procs).toMatch(/No such file or directory/);
    expect(procs).toMatch(/^\/proc\/1\r/m);
    // Files the guest writes land in its upper layer, owned by its range, never by host root.
    await sh(tap, "echo hi > /etc/ctx-mark; touch /root-file");
    const upper = contextPaths(daemon.dataDir, guest.id).upper;
    expect(fs.statSync(`${upper}/etc/ctx-mark`).uid).toBe(uid);
    expect(fs.statSync(`${upper}/root-file`).uid).toBe(uid);
    await daemon.api("POST", `/api/guests/${guest.id}/force-off`);
    await daemon.waitForState(guest.id, "stopped");
    expect((await lastBoot(guest.id)).outcome).toBe("killed");
  });

  it("enforces its memory limit: the OOM killer ends what outgrows it, visibly", async () => {
    const guest = await create("ctx-oom", { memoryMiB: 48 });
    const tap = await boot(guest);
    const dd = await sh(tap, "dd if=/dev/zero of=/dev/null bs=100M count=1; echo DD-RC=$?");
    expect(dd).toMatch(/Killed[\s\S]*^DD-RC=137\r/m);
    const cg = `/sys/fs/cgroup/memory/lxc.payload.${guest.id}/memory.oom_control`;
    expect(fs.readFileSync(cg, "utf8")).toMatch(/oom_kill [1-9]/);
    await daemon.api("POST", `/api/guests/${guest.id}/force-off`);
    await daemon.waitForState(guest.id, "stopped");
  });

  it("records a crash when init is killed from the host", async () => {
    const guest = await create("ctx-crash");
    await boot(guest);
    process.kill(initPid(guest.id), "SIGKILL");
    const g = await daemon.waitForState(guest.id, "crashed");
    expect(g.lastBoot?.outcome).toBe("crashed");
    expect(g.lastBoot?.detail).toMatch(/SIGKILL/);
  });

  it("resets to pristine by dropping its layer", async () => {
    const guest = await create("ctx-reset");
    const tap = await boot(guest);
    await sh(tap, "echo x > /keep-me");
    await daemon.api("POST", `/api/guests/${guest.id}/stop`);
    await daemon.waitForState(guest.id, "stopped");
    const upper = contextPaths(daemon.dataDir, guest.id).upper;
    expect(fs.existsSync(`${upper}/keep-me`)).toBe(true);
    expect((await daemon.api("POST", `/api/guests/${guest.id}/reset`, {})).status).toBeLessThan(300);
    expect(fs.existsSync(`${upper}/keep-me`)).toBe(false);
  });

  it("keeps a snapshot of its layer and reverts to it", async () => {
    const guest = await create("ctx-snap");
    let tap = await boot(guest);
    await sh(tap, "echo original > /root/f");
    await daemon.api("POST", `/api/guests/${guest.id}/stop`);
    await daemon.waitForState(guest.id, "stopped");
    const snap = await daemon.api<{ id: string; sizeBytes: number }>("POST", `/api/guests/${guest.id}/snapshots`, {
      name: "before",
    });
    expect(snap.status).toBe(201);
    tap = await boot(guest);
    expect(await sh(tap, "cat /root/f; echo changed > /root/f")).toMatch(/^original\r/m);
    await daemon.api("POST", `/api/guests/${guest.id}/stop`);
    await daemon.waitForState(guest.id, "stopped");
    const revert = await daemon.api("POST", `/api/guests/${guest.id}/snapshots/${snap.body.id}/revert`, {});
    expect(revert.status).toBe(200);
    tap = await boot(guest);
    expect(await sh(tap, "cat /root/f")).toMatch(/^original\r/m);
    // Reverted files still belong to the guest's range, not to host root.
    expect(fs.statSync(`${contextPaths(daemon.dataDir, guest.id).upper}/root/f`).uid).toBeGreaterThanOrEqual(100000);
    await daemon.api("POST", `/api/guests/${guest.id}/stop`);
    await daemon.waitForState(guest.id, "stopped");
    // Deleting it removes its layers and its LXC folder.
    const paths = contextPaths(daemon.dataDir, guest.id);
    expect(fs.existsSync(paths.lxcDir)).toBe(true);
    expect((await daemon.api("DELETE", `/api/guests/${guest.id}`)).status).toBeLessThan(300);
    expect(fs.existsSync(paths.lxcDir)).toBe(false);
    expect(fs.existsSync(paths.upper)).toBe(false);
  });

  it("outlives a daemon killed with -9: adopted, its console answers, and it stops gracefully", async () => {
    const guest = await create("ctx-adopt");
    const tap = await boot(guest);
    expect(await sh(tap, "echo BEFORE-$((1+1))")).toMatch(/^BEFORE-2\r/m);
    const pid = initPid(guest.id);
    await daemon.stop("SIGKILL");
    await daemon.start();
    expect(initPid(guest.id)).toBe(pid);
    expect((await daemon.guest(guest.id)).state).toBe("running");
    const again = await daemon.attachConsole(await daemon.socket(), guest.id);
    expect(again.snapshot).toContain("BEFORE-2");
    if (again.role !== "writer") expect((await again.takeControl()).ok).toBe(true);
    expect(await sh(again, "echo AFTER-$((40+2))")).toMatch(/^AFTER-42\r/m);
    await daemon.api("POST", `/api/guests/${guest.id}/stop`);
    expect((await daemon.waitForState(guest.id, "stopped")).lastBoot?.outcome).toBe("powered-off");
  });
});

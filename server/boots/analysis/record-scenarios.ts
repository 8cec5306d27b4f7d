// What each boot fixture is: a real guest driven through a real daemon into the state
// the fixture shows. See fixtures/README.md for the list and why each exists.
import type { GuestView } from "../../../lib/protocol";
import type { TestDaemon } from "../../test-support/daemon-harness";
import { waitFor } from "../../test-support/wait";
import { RecorderConsole } from "./record-console";

export interface RecorderContext {
  daemon: TestDaemon;
  /** The Debian bookworm image's id (null when only busybox scenarios run). */
  debianImageId: string | null;
  /** Fetches boot `n` of a guest through the API and keeps it as fixtures/<name>.cast. */
  save(name: string, guest: GuestView, boot: number): Promise<void>;
  say(line: string): void;
}

export const ROOT_PASSWORD = "corral-fixture-pw";
const BUSYBOX_PROMPT = /[#$] (?:\x1b\[[0-9;?]*[A-Za-z])*$/;

async function waitForBoot(daemon: TestDaemon, id: string, n: number, timeoutMs = 240_000): Promise<GuestView> {
  return waitFor(`boot ${n} of ${id}`, async () => {
    const g = await daemon.guest(id);
    return g.lastBoot && g.lastBoot.number >= n ? g : null;
  }, timeoutMs);
}

async function stopGuest(daemon: TestDaemon, guest: GuestView, how: "stop" | "force-off" = "stop"): Promise<void> {
  const g = await daemon.guest(guest.id);
  if (!["booting", "running"].includes(g.state)) return;
  await daemon.api("POST", `/api/guests/${guest.id}/${how}`);
  await waitFor(`${guest.name} to end`, async () => {
    const s = (await daemon.guest(guest.id)).state;
    return s === "stopped" || s === "crashed";
  }, 180_000);
}

/** The built-in busybox guest: boot to its shell, power off. */
async function recordBusybox(ctx: RecorderContext): Promise<void> {
  const guest = await ctx.daemon.createGuest("bb");
  await ctx.daemon.startGuest(guest.id);
  const con = await RecorderConsole.attach(ctx.daemon, guest.id);
  await con.run("uname -r", BUSYBOX_PROMPT);
  await stopGuest(ctx.daemon, guest);
  await ctx.save("busybox", guest, 1);
}

/**
 * A 48 MiB busybox guest where a growing awk array meets the OOM killer (small allocations:
 * one big one would just be refused by the overcommit heuristic).
 */
async function recordOom(ctx: RecorderContext): Promise<void> {
  const guest = await ctx.daemon.createGuest("bb-oom", { memoryMiB: 48 });
  await ctx.daemon.startGuest(guest.id);
  const con = await RecorderConsole.attach(ctx.daemon, guest.id);
  await con.run(`awk 'BEGIN { while (1) a[i++] = sprintf("%1000d", i) }'`, /Killed process[\s\S]*[#$] /);
  await stopGuest(ctx.daemon, guest);
  await ctx.save("busybox-oom", guest, 1);
}

/** Busybox without any init the kernel looks for: the next boot panics. */
async function recordPanic(ctx: RecorderContext): Promise<void> {
  const guest = await ctx.daemon.createGuest("bb-panic");
  await ctx.daemon.startGuest(guest.id);
  const con = await RecorderConsole.attach(ctx.daemon, guest.id);
  await con.run("rm /sbin/init /bin/init /bin/sh; sync; /bin/busybox reboot -f", /Kernel panic - not syncing[^\n]*\n/);
  await waitFor("the panicked boot to end", async () => (await ctx.daemon.guest(guest.id)).state === "crashed");
  await ctx.save("busybox-panic", guest, 2);
}

const BROKEN_UNIT = [
  "[Unit]",
  "Description=Nightly report upload",
  "[Service]",
  "Type=oneshot",
  "ExecStart=/bin/false",
  "[Install]",
  "WantedBy=multi-user.target",
].join("\\n");

/**
 * One Debian guest through five boots: first boot (seed applied), a normal boot, a boot with
 * a failing unit, a boot after power loss (journal replay, orphan cleanup), a boot whose
 * e2fsck repairs a wrong link count (and reboots, as systemd-fsck does after fixing root).
 */
async function recordDebian(ctx: RecorderContext): Promise<void> {
  if (!ctx.debianImageId) throw new Error("the Debian scenarios need --debian-image or a build");
  const { daemon } = ctx;
  const guest = await daemon.createGuest("deb", {
    imageId: ctx.debianImageId,
    memoryMiB: 256,
    rootPassword: ROOT_PASSWORD,
  });
  const login = /deb login: /;
  expectStatus(await daemon.api("POST", `/api/guests/${guest.id}/start`), 202);
  let con = await RecorderConsole.attach(daemon, guest.id);
  await con.expect(login);
  await con.login("deb", ROOT_PASSWORD);
  ctx.say("deb: boot 1 up; rebooting for a normal boot");
  await con.run("reboot", login);
  await con.login("deb", ROOT_PASSWORD);
  ctx.say("deb: boot 2 up; injecting a failing unit");
  await con.run(`printf '${BROKEN_UNIT}\\n' > /etc/systemd/system/report-upload.service`, /# $/);
  await con.run("systemctl enable report-upload.service && reboot", login);
  await con.login("deb", ROOT_PASSWORD);
  ctx.say("deb: boot 3 up; writing, then cutting the power");
  await con.run("systemctl disable report-upload.service", /# $/);
  await con.run(
    "exec 3>/root/orphan; head -c 4194304 /dev/urandom >&3; rm /root/orphan; " +
      "head -c 8388608 /dev/urandom >/root/data; sync; echo WROTE-$((6*7))",
    /WROTE-42/,
  );
  con = await restart(daemon, guest, 4);
  await con.expect(login);
  await con.login("deb", ROOT_PASSWORD);
  ctx.say("deb: boot 4 up; breaking a link count, then cutting the power");
  // e2fsck's own words reach the journal only, unless the service also prints to the
  // console (as fsck in an initramfs does): a guest admin's drop-in.
  await con.run(
    "mkdir -p /etc/systemd/system/systemd-fsck-root.service.d && " +
      "printf '[Service]\\nStandardOutput=journal+console\\n' >/etc/systemd/system/systemd-fsck-root.service.d/console.conf",
    /# $/,
  );
  // Frozen, the filesystem's journal is flushed and the superblock clean: what debugfs and
  // tune2fs write to the device stays as written when the power goes.
  await con.run(
    "echo victim >/root/victim; sync; fsfreeze -f / && " +
      "debugfs -w -R 'sif /root/victim links_count 3' /dev/ubda && tune2fs -E force_fsck /dev/ubda && echo FROZEN-$((6*7))",
    /FROZEN-42/,
  );
  con = await restart(daemon, guest, 5);
  await con.expect(login);
  const repaired = (await daemon.guest(guest.id)).lastBoot!.number;
  await stopGuest(daemon, guest);
  await ctx.save("debian-first", guest, 1);
  await ctx.save("debian", guest, 2);
  await ctx.save("debian-failed-unit", guest, 3);
  await ctx.save("debian-power-loss", guest, 4);
  await ctx.save("debian-fsck", guest, 5);
  if (repaired > 5) ctx.say(`deb: e2fsck's repair rebooted boot 5; boot ${repaired} reached the login`);
}

/** A Debian guest booted with printk.time=1: kernel lines carry their own timestamps. */
async function recordPrintkTime(ctx: RecorderContext): Promise<void> {
  if (!ctx.debianImageId) throw new Error("the Debian scenarios need --debian-image or a build");
  const guest = await ctx.daemon.createGuest("deb-printk", {
    imageId: ctx.debianImageId,
    memoryMiB: 256,
    rootPassword: ROOT_PASSWORD,
    kernelArgs: ["printk.time=1"],
  });
  expectStatus(await ctx.daemon.api("POST", `/api/guests/${guest.id}/start`), 202);
  const con = await RecorderConsole.attach(ctx.daemon, guest.id);
  await con.expect(/deb-printk login: /);
  await stopGuest(ctx.daemon, guest);
  await ctx.save("debian-printk", guest, 1);
}

/** Cuts the power, starts boot `n`, and attaches a fresh console to it. */
async function restart(daemon: TestDaemon, guest: GuestView, n: number): Promise<RecorderConsole> {
  await stopGuest(daemon, guest, "force-off");
  expectStatus(await daemon.api("POST", `/api/guests/${guest.id}/start`), 202);
  await waitForBoot(daemon, guest.id, n);
  return RecorderConsole.attach(daemon, guest.id);
}

function expectStatus(res: { status: number; body: unknown }, status: number): void {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
}

export const SCENARIOS: Record<string, (ctx: RecorderContext) => Promise<void>> = {
  busybox: recordBusybox,
  oom: recordOom,
  panic: recordPanic,
  debian: recordDebian,
  printk: recordPrintkTime,
};

// What each busybox fixture is: the built-in guest driven through a real daemon into the
// state the fixture shows. See fixtures/README.md for the list and why each exists.
import type { GuestView } from "../../../lib/shared/protocol";
import type { TestDaemon } from "../../test-support/daemon-harness";
import { waitFor } from "../../test-support/wait";
import { recordDebian, recordFsck, recordPrintkTime } from "./record-debian";
import { RecorderConsole, stopGuest } from "./record-console";

export interface RecorderContext {
  daemon: TestDaemon;
  /** The Debian bookworm image's id (null when only busybox scenarios run). */
  debianImageId: string | null;
  /** Fetches boot `n` of a guest through the API and keeps it as fixtures/<name>.cast. */
  save(name: string, guest: GuestView, boot: number): Promise<void>;
  say(line: string): void;
}

const BUSYBOX_PROMPT = /[#$] (?:\x1b\[[0-9;?]*[A-Za-z])*$/;

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

export const SCENARIOS: Record<string, (ctx: RecorderContext) => Promise<void>> = {
  busybox: recordBusybox,
  oom: recordOom,
  panic: recordPanic,
  debian: recordDebian,
  fsck: recordFsck,
  printk: recordPrintkTime,
};

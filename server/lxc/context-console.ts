// Test helpers for context guests on a real daemon: boot to a shell that answers, run a
// command on the console, find the container's init and its lxc-start on the host.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { expect } from "vitest";
import type { GuestView } from "../../lib/shared/protocol";
import { waitFor, type ConsoleTap, type TestDaemon } from "../test-support/daemon-harness";
import { contextPaths } from "./lxc-paths";

export class ContextConsole {
  private boots = 0;
  private commands = 0;

  constructor(private readonly daemon: TestDaemon) {}

  /**
   * Starts the guest and waits until its shell runs commands. The console may still show the
   * last boot's prompt, and busybox ash takes the first bytes after its prompt as the answer
   * to its cursor-position query (ESC[6n): so a marker command is typed until its output shows.
   */
  async boot(guest: GuestView): Promise<ConsoleTap> {
    const { daemon } = this;
    const tap = await daemon.attachConsole(await daemon.socket(), guest.id, { cols: 100, rows: 30 });
    // An earlier boot's viewer may still hold the keyboard.
    if (tap.role !== "writer") expect((await tap.takeControl()).ok).toBe(true);
    await daemon.startGuest(guest.id);
    await this.awaitShell(tap, guest.name);
    return tap;
  }

  /** Waits until the guest's shell runs commands again (after a start or a reboot). */
  async awaitShell(tap: ConsoleTap, name: string): Promise<void> {
    const mark = `UP-${++this.boots}-MARK`;
    const seen = new RegExp(`\\n${mark}\\r`);
    await waitFor(
      `${name}'s shell to answer`,
      async () => {
        await tap.type(`echo ${mark}\r`);
        return tap.expect(seen, 1000).catch(() => null);
      },
      60_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; the console showed: ${JSON.stringify(tap.output.slice(-600))}`);
    });
  }

  /** The guest's boot `n`, once it runs. */
  waitForBoot(guestId: string, n: number): Promise<GuestView> {
    return waitFor(`boot ${n} of ${guestId} to run`, async () => {
      const g = await this.daemon.guest(guestId);
      return g.lastBoot?.number === n && g.state === "running" ? g : null;
    });
  }

  /** The lxc-start holding the guest (it stays the same through a reboot in place). */
  lxcStartPid(guestId: string): number | null {
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      let argv: string[];
      try {
        argv = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      } catch {
        continue; // ended while the list was read
      }
      if (argv[0]?.endsWith("lxc-start") && argv.includes(guestId)) return Number(entry);
    }
    return null;
  }

  /**
   * Runs a shell command on the console and resolves with what it printed: the lines after the
   * echoed command line, up to an end mark printed after it (the echo of what was typed
   * contains the mark too, but never at the start of a line).
   */
  async sh(tap: ConsoleTap, command: string): Promise<string> {
    const end = `END-${++this.commands}-MARK`;
    const from = tap.output.length;
    await tap.type(`${command}; echo ${end}\r`);
    await tap.expect(new RegExp(`\\n${end}\\r`));
    const out = tap.output.slice(from);
    return out.slice(out.indexOf("\n") + 1, out.lastIndexOf(`\n${end}\r`));
  }

  /** The host pid of the guest's init: the only child of lxc-start's monitor in a new pid namespace. */
  initPid(guestId: string): number {
    const out = execFileSync(
      "lxc-info",
      ["-P", contextPaths(this.daemon.dataDir, guestId).lxcPath, "-n", guestId, "-pH"],
      { encoding: "utf8" },
    );
    return Number(out.trim());
  }
}

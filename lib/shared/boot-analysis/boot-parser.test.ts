import { describe, expect, it } from "vitest";
import type { CastEvent } from "./cast-events";
import { BootParser, parseBoot } from "./boot-parser";
import { CastFormatError } from "./cast-events";

const HEADER = JSON.stringify({ version: 2, width: 80, height: 24, timestamp: 0 }) + "\n";
const castText = (events: CastEvent[]) => HEADER + events.map((e) => JSON.stringify(e) + "\n").join("");
const brief = (e: { kind: string; at: number; label: string }) => [e.kind, e.at, e.label];

describe("parseBoot on made-up consoles", () => {
  it("reads a colourful systemd console split mid-line, mid-escape and between CR and LF", () => {
    const a = parseBoot([
      [0.5, "o", "Linux version 6.1.0 (x) #1\r\n"],
      [1.0, "o", "VFS: Mounted root (ext4 filesystem) readonly on device 98:0.\r\nRun /sbin/init as init process\r\n"],
      [2.0, "o", "\r\nWelcome to \x1b[1mDebian GNU/Linux 12 (bookworm)\x1b[0m!\r\n\r\n"],
      [3.0, "o", "         Starting \x1b[0;1;39mssh.service\x1b[0m - OpenBSD Secure Shell server...\r"],
      [3.1, "o", "\r\n[\x1b[0;3"],
      [3.2, "o", "1mFAILED\x1b[0m] Failed to start \x1b[0;1;39mbad.service\x1b[0m - Bad.\r\r"],
      [3.3, "o", "\n"],
      [4.0, "o", "[  ***] A start job is running for ssh.service (1s / 1min 30s)\r"],
      [
        4.5,
        "o",
        "\r\x1b[K[\x1b[0;32m  OK  \x1b[0m] Started \x1b[0;1;39mssh.service\x1b[0m - OpenBSD Secure Shell server.\r\r\n",
      ],
      [5.0, "o", "\r\nDebian GNU/Linux 12 deb console\r\n\r\ndeb login: "],
    ]);
    expect(a.entries.map(brief)).toEqual([
      ["kernel-start", 0.5, "First output"],
      ["root-mounted", 1, "VFS: Mounted root (ext4 filesystem) readonly on device 98:0."],
      ["init-started", 1, "Run /sbin/init as init process"],
      ["unit-failed", 3.2, "Failed to start bad.service - Bad."],
      ["unit-started", 4.5, "Started ssh.service - OpenBSD Secure Shell server."],
      ["prompt", 5, "deb login:"],
    ]);
    expect(a).toMatchObject({ kernelVersion: "6.1.0", os: "Debian GNU/Linux 12 (bookworm)", readySeconds: 5 });
    expect(a.units.find((u) => u.unit === "ssh.service")).toEqual({
      unit: "ssh.service",
      description: "OpenBSD Secure Shell server",
      startingAt: 3,
      endedAt: 4.5,
      durationSeconds: 1.5,
      result: "started",
    });
    expect(a.failedUnits).toEqual(["bad.service"]);
    expect(a.problems.map((p) => p.unit)).toEqual(["bad.service"]);
  });

  it("gives each entry the event that completed its line and where the line starts in the output", () => {
    const events: CastEvent[] = [
      [0.1, "o", "hello\r\n"],
      [0.2, "r", "100x30"],
      [0.3, "o", "Kernel panic - not sync"],
      [0.4, "o", "ing: Attempted to kill init!\r\n"],
    ];
    const panic = parseBoot(events).problems[0];
    expect(panic).toMatchObject({ kind: "kernel-panic", at: 0.4, event: 3, offset: 7 });
    const output = events
      .filter((e) => e[1] === "o")
      .map((e) => e[2])
      .join("");
    expect(output.slice(panic.offset).startsWith("Kernel panic")).toBe(true);
  });

  it("reads printk timestamps as the kernel's time and times entries by the recording", () => {
    const a = parseBoot([
      [0.2, "o", "[    0.000000] Linux version 7.2.7 (x) #1\r\n"],
      [1.7, "o", "[    1.393201] VFS: Mounted root (ext4 filesystem) readonly on device 98:0.\r\n"],
      [1.8, "o", "[    1.398011] Run /sbin/init as init process\r\n"],
    ]);
    expect(a.printkTime).toBe(true);
    expect(a.kernelVersion).toBe("7.2.7");
    expect(a.entries[1]).toMatchObject({ kind: "root-mounted", at: 1.7, kernelTime: 1.393201 });
    expect(a.entries[1].label).toBe("VFS: Mounted root (ext4 filesystem) readonly on device 98:0.");
  });

  it("takes the last program the kernel tried as init, and none when no init could run", () => {
    const tried = parseBoot([
      [1, "o", "Run /sbin/init as init process\r\n"],
      [1.1, "o", "Run /bin/sh as init process\r\n"],
    ]);
    expect(tried.entries.filter((e) => e.kind === "init-started").map(brief)).toEqual([
      ["init-started", 1.1, "Run /bin/sh as init process"],
    ]);
    const none = parseBoot([
      [1, "o", "Run /sbin/init as init process\r\nKernel panic - not syncing: No working init found.\r\n"],
    ]);
    expect(none.initSeconds).toBeNull();
    expect(none.problems.map((p) => p.kind)).toEqual(["kernel-panic"]);
  });

  it("folds consecutive repair lines of one device into one entry", () => {
    const a = parseBoot([
      [1, "o", "/dev/sda1: recovering journal\r\n/dev/sda1: Clearing orphaned inode 5 (uid=0)\r\n"],
      [1.1, "o", "/dev/sda1: Clearing orphaned inode 6 (uid=0)\r\n/dev/sda2: recovering journal\r\n"],
    ]);
    expect(a.problems.map((p) => [p.label, p.device, p.count])).toEqual([
      ["/dev/sda1: recovering journal", "/dev/sda1", 3],
      ["/dev/sda2: recovering journal", "/dev/sda2", 1],
    ]);
  });

  it("counts systemd stop jobs as the shutdown only after the guest was ready", () => {
    const a = parseBoot([
      [1, "o", "[  OK  ] Stopped foo.service - Early helper.\r\n"],
      [2, "o", "host login: "],
      [9, "o", "\r\n         Stopping ssh.service - OpenBSD Secure Shell server...\r\n"],
      [10, "o", "reboot: Power down\r\n"],
    ]);
    expect(a.shutdownSeconds).toBe(9);
    expect(a.entries.map((e) => e.kind)).toEqual(["kernel-start", "prompt", "shutdown"]);
  });

  it("takes Corral's ready marker or the prompt, whichever came first", () => {
    const a = parseBoot([
      [1, "o", "Run /sbin/init as init process\r\n"],
      [2, "m", "ready"],
      [3, "o", "\r\nbb:/# \x1b[6n"],
    ]);
    expect(a.readySeconds).toBe(2);
    expect(a.entries.map((e) => e.kind)).toEqual(["kernel-start", "init-started", "ready", "prompt"]);
  });

  it("keeps a unit that never finished starting as pending", () => {
    const a = parseBoot([[1, "o", "         Starting slow.service - Slow...\r\n"]]);
    expect(a.units).toEqual([
      {
        unit: "slow.service",
        description: "Slow",
        startingAt: 1,
        endedAt: null,
        durationSeconds: null,
        result: "pending",
      },
    ]);
  });

  it("streams: pushing events one by one gives what parseBoot gives", () => {
    const events: CastEvent[] = [
      [0.1, "o", "Run /sbin/init"],
      [0.2, "o", " as init process\r\nOut of memory: Killed process 7 (x) total-vm:1kB\r\n"],
    ];
    const p = new BootParser();
    for (const e of events) p.push(e);
    expect(p.finish()).toEqual(parseBoot(events));
  });
});

describe("parseBoot on recordings", () => {
  it("skips lines cut short, counts them, and reads the rest", () => {
    const text =
      castText([[1, "o", "Run /sbin/init as init process\r\n"]]) + '[1.5, "o", "garb\n' + '[2, "o", "Kernel pa';
    const a = parseBoot(text);
    expect(a.skippedEvents).toBe(2);
    expect(a.initSeconds).toBe(1);
  });

  it("refuses a file that is not an asciicast v2 recording", () => {
    expect(() => parseBoot("hello\n")).toThrow(CastFormatError);
    expect(() => parseBoot('{"version":1}\n')).toThrow(/not asciicast v2/);
  });

  it("caps what a pathological log can make it keep", () => {
    const failures = Array.from({ length: 3000 }, (_, i) => `[FAILED] Failed to start u${i}.service.\r\n`).join("");
    const starts = Array.from({ length: 3000 }, (_, i) => `[  OK  ] Started s${i}.service.\r\n`).join("");
    const a = parseBoot([[1, "o", failures + starts]], { maxEntries: 100 });
    expect(a.problems).toHaveLength(1000);
    // 100 entries besides problems: the first output and 99 units.
    expect(a.entries).toHaveLength(1100);
    expect(a.entries.filter((e) => e.kind === "unit-started")).toHaveLength(99);
    expect(a.units).toHaveLength(100);
    expect(a.failedUnits).toHaveLength(100);
    expect(a.droppedEntries).toBe(2000 + 2901);
  });
});

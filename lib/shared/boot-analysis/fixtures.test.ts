// The parser on real boots recorded through a real daemon (fixtures/README.md says how).
import { describe, expect, it } from "vitest";
import { parseBoot } from "./boot-parser";
import { FIXTURES, loadFixture, outputOf, rechunk } from "./fixtures.test-support";
import type { BootAnalysis, BootEntry } from "./types";

const kinds = (a: BootAnalysis) => a.entries.map((e) => e.kind);
const only = (a: BootAnalysis, kind: BootEntry["kind"]) => a.entries.filter((e) => e.kind === kind);
const one = (a: BootAnalysis, kind: BootEntry["kind"]) => {
  const found = only(a, kind);
  expect(found, kind).toHaveLength(1);
  return found[0];
};

describe("the built-in busybox guest", () => {
  it("boots: first output, root, init, ready, prompt, shutdown, in that order, with no problems", async () => {
    const a = parseBoot((await loadFixture("busybox")).text);
    expect(kinds(a)).toEqual(["kernel-start", "root-mounted", "init-started", "ready", "prompt", "shutdown"]);
    expect(a.kernelVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(one(a, "init-started").label).toBe("Run /sbin/init as init process");
    expect(one(a, "root-mounted").label).toMatch(/^VFS: Mounted root \(ext4 filesystem\)/);
    expect(one(a, "prompt").label).toBe("bb:/#");
    expect(a.firstOutputSeconds!).toBeLessThan(a.rootMountedSeconds!);
    expect(a.rootMountedSeconds!).toBeLessThanOrEqual(a.initSeconds!);
    expect(a.initSeconds!).toBeLessThan(a.readySeconds!);
    expect(a.readySeconds!).toBeLessThan(a.shutdownSeconds!);
    expect(a).toMatchObject({ problems: [], failedUnits: [], units: [], printkTime: false, skippedEvents: 0 });
  });

  it("reports the OOM killer's victim, between readiness and the shutdown", async () => {
    const a = parseBoot((await loadFixture("busybox-oom")).text);
    expect(a.problems.map((p) => [p.kind, p.label])).toEqual([
      ["oom-kill", expect.stringMatching(/^Out of memory: killed awk \(pid \d+\)$/)],
    ]);
    const oom = a.problems[0];
    expect(oom.at).toBeGreaterThan(a.readySeconds!);
    expect(oom.at).toBeLessThan(a.shutdownSeconds!);
  });

  it("reports a panic where no init could run, with where a replay finds it", async () => {
    const { text, events } = await loadFixture("busybox-panic");
    const a = parseBoot(text);
    const panic = a.problems[0];
    expect(panic).toMatchObject({
      kind: "kernel-panic",
      label: expect.stringMatching(/^Kernel panic - not syncing: No working init found\./),
    });
    expect(a).toMatchObject({ initSeconds: null, readySeconds: null, shutdownSeconds: null });
    expect(events[panic.event][2]).toContain("Kernel panic - not syncing");
    expect(panic.at).toBe(events[panic.event][0]);
    expect(outputOf(events).slice(panic.offset).startsWith("Kernel panic - not syncing")).toBe(true);
    // The boot before ended with `reboot -f`: the kernel replayed the root filesystem's journal.
    expect(a.problems.slice(1).map((p) => [p.kind, p.label])).toEqual([
      ["fsck-repair", "EXT4-fs (ubda): recovery complete"],
    ]);
  });
});

describe("a Debian bookworm guest (systemd)", () => {
  it("boots: root, init, the units each with its start-up time, getty, then the login prompt", async () => {
    const a = parseBoot((await loadFixture("debian")).text);
    expect(a.os).toBe("Debian GNU/Linux 12 (bookworm)");
    expect(a.rootMountedSeconds!).toBeLessThanOrEqual(a.initSeconds!);
    expect(a.problems).toEqual([]);
    const started = only(a, "unit-started");
    expect(started.length).toBeGreaterThan(30);
    for (const name of [
      "systemd-journald.service",
      "systemd-udevd.service",
      "systemd-networkd.service",
      "corral-seed.service",
      "console-getty.service",
    ]) {
      expect(started.map((e) => e.unit)).toContain(name);
    }
    const timed = a.units.filter((u) => u.durationSeconds !== null);
    expect(timed.length).toBeGreaterThan(15);
    for (const u of timed) expect(u.durationSeconds).toBeCloseTo(u.endedAt! - u.startingAt!, 5);
    expect(a.units.find((u) => u.unit === "systemd-networkd.service")).toMatchObject({ result: "started" });
    const getty = started.find((e) => e.unit === "console-getty.service")!;
    const prompt = one(a, "prompt");
    expect(prompt.label).toBe("deb login:");
    expect(prompt.at).toBeGreaterThan(getty.at);
    expect(only(a, "target-reached").find((e) => e.unit === "getty.target")!.at).toBeLessThan(prompt.at);
    expect(a.readySeconds).toBe(Math.min(prompt.at, one(a, "ready").at));
    // It was rebooted from its shell: the stop jobs after readiness are the shutdown.
    expect(a.shutdownSeconds!).toBeGreaterThan(prompt.at);
  });

  it("names the unit that failed to start, before the login prompt that still came", async () => {
    const a = parseBoot((await loadFixture("debian-failed-unit")).text);
    expect(a.failedUnits).toEqual(["report-upload.service"]);
    expect(a.problems).toHaveLength(1);
    expect(a.problems[0]).toMatchObject({
      kind: "unit-failed",
      unit: "report-upload.service",
      cause: "failed",
      label: "Failed to start report-upload.service - Nightly report upload.",
    });
    expect(a.problems[0].durationSeconds).toBeGreaterThanOrEqual(0);
    expect(a.units.find((u) => u.unit === "report-upload.service")).toMatchObject({
      result: "failed",
      cause: "failed",
    });
    expect(one(a, "prompt").at).toBeGreaterThan(a.problems[0].at);
  });

  it("reports the kernel's repairs after a power loss, before root is mounted", async () => {
    const a = parseBoot((await loadFixture("debian-power-loss")).text);
    expect(a.problems.map((p) => [p.kind, p.label, p.count])).toEqual([
      ["fsck-repair", "EXT4-fs (ubda): 1 orphan inode deleted", 2], // and "recovery complete"
    ]);
    expect(a.problems[0].at).toBeLessThanOrEqual(a.rootMountedSeconds!);
    expect(a.readySeconds).not.toBeNull();
  });
});

describe("a Debian guest whose root filesystem needed repairs", () => {
  it("reports e2fsck's repair through systemd-fsck, the errors that forced it, and the reboot it asked for", async () => {
    const a = parseBoot((await loadFixture("debian-fsck")).text);
    expect(a.problems.map((p) => p.kind)).toEqual(["fs-error", "fsck-repair"]);
    expect(a.problems[0].label).toMatch(
      /^systemd-fsck\[\d+\]: debian-bookworm contains a file system with errors, check forced\.$/,
    );
    const repair = a.problems[1];
    expect(repair).toMatchObject({ device: "debian-bookworm", count: 2 }); // FIXED, then REBOOT SYSTEM
    expect(repair.label).toMatch(/Inode \d+ ref count is 3, should be 1\. {2}FIXED\.$/);
    const check = a.units.find((u) => u.unit === "systemd-fsck-root.service")!;
    expect(check.startingAt!).toBeLessThan(repair.at);
    expect(check.result).toBe("pending"); // stopped for the reboot, never finished
    expect(a.readySeconds).toBeNull();
    expect(a.shutdownSeconds!).toBeGreaterThan(repair.at);
    expect(a.problems[0].at).toBeLessThan(repair.at);
  });
});

describe("a Debian guest booted with printk.time=1", () => {
  it("strips the kernel's timestamps, keeps them apart, and times entries by the recording", async () => {
    const a = parseBoot((await loadFixture("debian-printk")).text);
    expect(a.printkTime).toBe(true);
    expect(a.kernelVersion).toMatch(/^\d+\.\d+/);
    const root = one(a, "root-mounted");
    expect(root.label).toMatch(/^VFS: Mounted root/);
    expect(root.kernelTime).toBeGreaterThan(0);
    // The kernel's clock starts after the process does, and its lines reach the console late.
    expect(root.kernelTime!).toBeLessThan(root.at);
    expect(one(a, "init-started").kernelTime).toBeGreaterThanOrEqual(root.kernelTime!);
    expect(only(a, "unit-started").length).toBeGreaterThan(30);
    for (const e of a.entries) expect(e.label).not.toMatch(/^\[\s*\d+\.\d+\]/);
    expect(one(a, "prompt").label).toBe("deb-printk login:");
    expect(a.problems).toEqual([]);
  });
});

describe("every fixture", () => {
  it.each(FIXTURES)("%s: the same analysis however the output was cut into events", async (name) => {
    const { events } = await loadFixture(name);
    const whole = parseBoot(events);
    const pieces = parseBoot(rechunk(events));
    const strip = (a: BootAnalysis) => ({
      ...a,
      entries: a.entries.map(({ event: _, ...e }) => e),
      problems: a.problems.map(({ event: _, ...e }) => e),
    });
    expect(strip(pieces)).toEqual(strip(whole));
  });

  it.each(FIXTURES)("%s: entries in time order, each event and offset inside the recording", async (name) => {
    const { events } = await loadFixture(name);
    const a = parseBoot(events);
    const output = outputOf(events);
    a.entries.forEach((e, i) => {
      if (i > 0) expect(e.at).toBeGreaterThanOrEqual(a.entries[i - 1].at);
      expect(e.event).toBeLessThan(events.length);
      expect(e.offset).toBeLessThanOrEqual(output.length);
    });
  });
});

import { describe, expect, it } from "vitest";
import { classifyLine, stripPrintkTime } from "./classify-line";

const kind = (line: string) => classifyLine(line)?.kind ?? null;

describe("stripPrintkTime", () => {
  it("strips printk.time prefixes, with a caller id too, and keeps the kernel's time", () => {
    expect(stripPrintkTime("[    1.234567] VFS: Mounted root (ext4 filesystem)")).toEqual({
      text: "VFS: Mounted root (ext4 filesystem)",
      kernelTime: 1.234567,
    });
    expect(stripPrintkTime("[12345.000001][    T1] Run /sbin/init as init process")).toEqual({
      text: "Run /sbin/init as init process",
      kernelTime: 12345.000001,
    });
  });

  it("leaves systemd's status and other bracketed lines alone", () => {
    for (const line of ["[  OK  ] Started x.service.", "[    **] A start job", "[<6003209e>] ? _printk+0x0/0x45"]) {
      expect(stripPrintkTime(line)).toEqual({ text: line, kernelTime: null });
    }
  });
});

describe("classifyLine: systemd", () => {
  it("reads start jobs with unit names (StatusUnitFormat=combined)", () => {
    expect(classifyLine("         Starting ssh.service - OpenBSD Secure Shell server...")).toEqual({
      kind: "unit-starting",
      unit: "ssh.service",
      description: "OpenBSD Secure Shell server",
    });
    expect(classifyLine("[  OK  ] Started ssh.service - OpenBSD Secure Shell server.")).toMatchObject({
      kind: "unit-done",
      unit: "ssh.service",
      verb: "Started",
      label: "Started ssh.service - OpenBSD Secure Shell server.",
    });
    expect(classifyLine("[  OK  ] Finished systemd-sysctl.service.")).toMatchObject({
      kind: "unit-done",
      unit: "systemd-sysctl.service",
      description: null,
    });
    expect(classifyLine("[  OK  ] Reached target network.target - Network.")).toMatchObject({
      kind: "target-reached",
      unit: "network.target",
    });
  });

  it("reads descriptions alone (older systemd) and lines shortened to the console's width", () => {
    expect(classifyLine("         Starting OpenBSD Secure Shell server...")).toMatchObject({
      unit: "OpenBSD Secure Shell server",
    });
    expect(classifyLine("[  OK  ] Started OpenBSD Secure Shell server.")).toMatchObject({
      unit: "OpenBSD Secure Shell server",
    });
    expect(
      classifyLine("[  OK  ] Started systemd-ask-password-console.path …Requests to Console Directory Watch."),
    ).toMatchObject({
      unit: "systemd-ask-password-console.path",
      description: "…Requests to Console Directory Watch",
    });
  });

  it("reads failures, failed dependencies and time-outs", () => {
    expect(classifyLine("[FAILED] Failed to start report-upload.service - Nightly report upload.")).toMatchObject({
      kind: "unit-failed",
      unit: "report-upload.service",
      cause: "failed",
    });
    expect(classifyLine("[DEPEND] Dependency failed for ssh.service - OpenBSD Secure Shell server.")).toMatchObject({
      kind: "unit-failed",
      unit: "ssh.service",
      cause: "dependency",
    });
    expect(classifyLine("[ TIME ] Timed out waiting for device dev-ttyS0.device - /dev/ttyS0.")).toMatchObject({
      kind: "unit-failed",
      unit: "dev-ttyS0.device",
      cause: "timeout",
    });
  });

  it("tells stop jobs (the shutdown) from start jobs, and ignores the ephemeral status", () => {
    expect(kind("[  OK  ] Stopped ssh.service - OpenBSD Secure Shell server.")).toBe("unit-stopping");
    expect(kind("[  OK  ] Removed slice system-modprobe.slice - Slice /system/modprobe.")).toBe("unit-stopping");
    expect(kind("         Stopping ssh.service - OpenBSD Secure Shell server...")).toBe("unit-stopping");
    expect(kind("[  *** ] A start job is running for /dev/ttyS0 (5s / 1min 30s)")).toBeNull();
    expect(kind("         Starting but no ellipsis")).toBeNull();
  });

  it("knows systemd as init", () => {
    expect(classifyLine("Welcome to Debian GNU/Linux 12 (bookworm)!")).toMatchObject({
      kind: "init-started",
      os: "Debian GNU/Linux 12 (bookworm)",
    });
    expect(kind("systemd[1]: systemd 252.38-1~deb12u1 running in system mode (+PAM +AUDIT)")).toBe("init-started");
  });
});

describe("classifyLine: kernel", () => {
  it("reads the milestones", () => {
    expect(classifyLine("Linux version 7.2.7 (sbuild@sbuild) (gcc 16.2.0) #1")).toEqual({
      kind: "kernel-version",
      version: "7.2.7",
    });
    expect(classifyLine("VFS: Mounted root (ext4 filesystem) readonly on device 98:0.")).toMatchObject({
      kind: "root-mounted",
      definite: true,
    });
    expect(classifyLine("EXT4-fs (ubda): mounted filesystem 7a18 ro with ordered data mode.")).toMatchObject({
      kind: "root-mounted",
      definite: false,
    });
    expect(classifyLine("Run /sbin/init as init process")).toMatchObject({
      kind: "init-started",
      program: "/sbin/init",
    });
  });

  it("reads the troubles", () => {
    expect(classifyLine("Out of memory: Killed process 766 (awk) total-vm:23680kB, anon-rss:21608kB")).toMatchObject({
      kind: "oom-kill",
      process: "awk",
      label: "Out of memory: killed awk (pid 766)",
    });
    expect(kind("Memory cgroup out of memory: Killed process 12 (java) total-vm:1kB")).toBe("oom-kill");
    expect(kind("WARNING: CPU: 0 PID: 1 at kernel/fork.c:123 copy_process+0x1/0x2")).toBe("kernel-warning");
    expect(kind("INFO: task kworker/0:1 blocked for more than 120 seconds.")).toBe("kernel-warning");
    expect(kind("Oops: 0000 [#1] PREEMPT SMP")).toBe("kernel-oops");
    expect(kind("BUG: kernel NULL pointer dereference, address: 0000000000000000")).toBe("kernel-oops");
    expect(kind("watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [sh:1]")).toBe("kernel-oops");
    expect(kind("Kernel panic - not syncing: No working init found.")).toBe("kernel-panic");
    expect(kind("---[ end Kernel panic - not syncing: No working init found. ]---")).toBeNull();
    expect(kind("EXT4-fs error (device ubda): ext4_lookup:1855: inode #2: comm ls: deleted inode referenced")).toBe(
      "fs-error",
    );
    expect(kind("EXT4-fs (ubda): warning: mounting fs with errors, running e2fsck is recommended")).toBe("fs-error");
    expect(kind("I/O error, dev ubda, sector 1234 op 0x1:(WRITE)")).toBe("fs-error");
  });

  it("reads the end of a boot", () => {
    expect(kind("reboot: Power down")).toBe("shutdown");
    expect(kind("reboot: Restarting system")).toBe("shutdown");
    expect(kind("The system is going down NOW!")).toBe("shutdown");
  });
});

describe("classifyLine: filesystem repairs", () => {
  it("reads the kernel's journal replay and orphan clean-up", () => {
    expect(classifyLine("EXT4-fs (ubda): 1 orphan inode deleted")).toMatchObject({
      kind: "fsck-repair",
      device: "EXT4-fs (ubda)",
    });
    expect(kind("EXT4-fs (ubda): recovery complete")).toBe("fsck-repair");
    expect(kind("EXT4-fs (ubda): INFO: recovery required on readonly filesystem")).toBeNull();
  });

  it("reads e2fsck's repairs, alone or through systemd-fsck", () => {
    expect(classifyLine("/dev/ubda: recovering journal")).toMatchObject({ kind: "fsck-repair", device: "/dev/ubda" });
    expect(classifyLine("systemd-fsck[97]: /dev/sda1: Clearing orphaned inode 1234 (uid=0, gid=0)")).toMatchObject({
      kind: "fsck-repair",
      device: "/dev/sda1",
    });
    expect(kind("/dev/ubda: Inode 130 ref count is 3, should be 1.  FIXED.")).toBe("fsck-repair");
    // Through systemd-fsck, e2fsck names the device by its filesystem label.
    expect(
      classifyLine("systemd-fsck[775]: debian-bookworm: Inode 8263 ref count is 3, should be 1.  FIXED."),
    ).toMatchObject({
      kind: "fsck-repair",
      device: "debian-bookworm",
    });
    expect(kind("systemd-fsck[775]: debian-bookworm contains a file system with errors, check forced.")).toBe(
      "fs-error",
    );
    expect(
      kind("systemd-fsck[775]: debian-bookworm: 8263/65536 files (0.1% non-contiguous), 61761/262144 blocks"),
    ).toBeNull();
    expect(kind("Free blocks count wrong (1234, counted=1200).\nFix? yes")).toBe("fsck-repair");
    expect(kind("/dev/ubda: ***** FILE SYSTEM WAS MODIFIED *****")).toBe("fsck-repair");
    expect(kind("/dev/ubda: UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY.")).toBe("fs-error");
    expect(kind("/dev/ubda: clean, 26113/65536 files, 70105/262144 blocks")).toBeNull();
  });
});

describe("classifyLine: busybox and init scripts", () => {
  it("reads busybox init's complaints and the built-in image's rcS", () => {
    expect(classifyLine("can't run '/bin/sh': No such file or directory")).toMatchObject({
      kind: "unit-failed",
      unit: "/bin/sh",
    });
    expect(classifyLine("mount: mounting proc on /proc failed: Device or resource busy")).toMatchObject({
      kind: "unit-failed",
      unit: "mount /proc",
    });
    expect(classifyLine("corral: no DHCP answer on vec0")).toMatchObject({ kind: "unit-failed", unit: "udhcpc" });
  });

  it("reads buildroot-style init scripts", () => {
    expect(classifyLine("Starting syslogd: OK")).toMatchObject({ kind: "unit-done", unit: "syslogd" });
    expect(classifyLine("Starting network: FAIL")).toMatchObject({ kind: "unit-failed", unit: "network" });
  });

  it("reads a login prompt that was answered in the same line", () => {
    expect(kind("deb login: root")).toBe("prompt");
    expect(kind("Last login: Mon Nov 30 12:00:00 UTC 2026 on console")).toBeNull();
  });
});

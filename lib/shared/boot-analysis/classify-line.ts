// What one console line says about the boot: kernel milestones and troubles, systemd's
// status lines, busybox init's complaints, e2fsck's repairs. Input is one clean line (no
// control sequences, at most MAX_LINE_CHARS); patterns are anchored, bounded or behind a
// substring test, so no line can make matching slow.
import { classifyStatusLine } from "./systemd-status";
import type { LineSign } from "./line-sign";

/** `[    1.234567] ` (printk.time=1), optionally followed by a caller id `[    T1] `. */
const PRINTK_TIME = /^\[ *(\d{1,7}\.\d{1,9})\](?:\[ *[TC]\d{1,7}\])? ?/;

/** Strips a printk timestamp; returns the rest and the kernel's time (seconds), if any. */
export function stripPrintkTime(line: string): { text: string; kernelTime: number | null } {
  if (line.charCodeAt(0) !== 0x5b /* [ */) return { text: line, kernelTime: null };
  const m = PRINTK_TIME.exec(line);
  if (!m) return { text: line, kernelTime: null };
  return { text: line.slice(m[0].length), kernelTime: Number(m[1]) };
}

const E2FSCK_REPAIRS = [
  "recovering journal",
  "Clearing orphaned inode",
  "Truncating orphaned inode",
  "FILE SYSTEM WAS MODIFIED",
  "REBOOT SYSTEM",
  "FIXED.",
  "Fix? yes",
  "Clear? yes",
  "Salvage? yes",
  "Relocate? yes",
  "Recreate? yes",
];
const SYSTEMD_FSCK = /^systemd-fsck\[\d+\]: /;
const FSCK_DEVICE = /^([^\s:]{1,64}): /;
const FSCK_ERRORS = ["UNEXPECTED INCONSISTENCY", "contains a file system with errors"];
const KERNEL_FS_REPAIR =
  /^(EXT[234]-fs \([^)]{1,40}\)): (recovery complete|\d+ orphan inodes? deleted|\d+ truncates? cleaned up)/;
const KERNEL_FS_TROUBLE =
  /^(?:EXT[234]-fs (?:error|warning) \(|EXT[234]-fs \([^)]{1,40}\): warning: mounting fs with errors|Buffer I\/O error on dev|I\/O error, dev |blk_update_request: I\/O error)/;
const ROOT_EXT_MOUNT = /^EXT[234]-fs \([^)]{1,40}\): mounted filesystem/;
const RUN_INIT = /^Run (\S+) as init process$/;
const OOM_KILL = /(?:^|: )Out of memory(?: \(oom_kill_allocating_task\))?: Killed process (\d+) \(([^)]{0,64})\)/;
const OOM_CGROUP = /^Memory cgroup out of memory: Killed process (\d+) \(([^)]{0,64})\)/;
const KERNEL_WARNING =
  /^(?:WARNING: CPU: \d+ PID: \d+ at |WARNING: at |INFO: task \S+ blocked for more than |rcu: INFO: rcu_\w+ (?:self-)?detected stall|INFO: rcu_\w+ (?:self-)?detected stall)/;
const KERNEL_OOPS =
  /^(?:Oops(?:: |\[)|Internal error: Oops|general protection fault|Unable to handle kernel |(?:\S{1,64}: )?BUG: )/;
const BUSYBOX_CANT_RUN = /^can't run '([^']{1,200})': (.{0,200})$/;
const BUSYBOX_MOUNT = /^mount: mounting \S+ on (\S+) failed: /;
const SCRIPT_STATUS = /^Starting ([^:]{1,80}): (OK|FAIL|FAILED)$/;
const LOGIN = /^(?!Last )[\w.-]{1,64} login: /;

/** Classifies one line (printk timestamp already stripped). Null: nothing the analysis keeps. */
export function classifyLine(text: string): LineSign | null {
  const c = text.charCodeAt(0);
  // systemd's status lines: `[  OK  ] …`, `         Starting …`.
  if (c === 0x5b /* [ */ || c === 0x20 /* space */) {
    const status = classifyStatusLine(text);
    if (status) return status;
  }
  if (text.startsWith("Kernel panic - not syncing: ")) return { kind: "kernel-panic", label: text };
  if (text.startsWith("Linux version ")) return { kind: "kernel-version", version: text.split(" ", 3)[2] ?? "" };
  if (text.startsWith("VFS: Mounted root ")) return { kind: "root-mounted", label: text, definite: true };
  if (ROOT_EXT_MOUNT.test(text)) return { kind: "root-mounted", label: text, definite: false };
  const init = RUN_INIT.exec(text);
  if (init) return { kind: "init-started", label: text, program: init[1] };
  if (text.startsWith("Welcome to ") && text.endsWith("!")) {
    return { kind: "init-started", label: text, os: text.slice("Welcome to ".length, -1) };
  }
  if (text.startsWith("systemd[1]: ") && text.includes(" running in system mode")) {
    return { kind: "init-started", label: text, program: "systemd" };
  }
  if (text.startsWith("init started: ")) return { kind: "init-started", label: text, program: "init" };
  const oom = text.includes("Killed process ") ? (OOM_KILL.exec(text) ?? OOM_CGROUP.exec(text)) : null;
  if (oom) return { kind: "oom-kill", label: `Out of memory: killed ${oom[2]} (pid ${oom[1]})`, process: oom[2] };
  if (KERNEL_WARNING.test(text)) return { kind: "kernel-warning", label: text };
  if (KERNEL_OOPS.test(text)) return { kind: "kernel-oops", label: text };
  if (
    text.startsWith("reboot: ") ||
    text === "The system is going down NOW!" ||
    text.startsWith("systemd-shutdown[1]: ")
  ) {
    return { kind: "shutdown", label: text };
  }
  const repair = KERNEL_FS_REPAIR.exec(text);
  if (repair) return { kind: "fsck-repair", label: text, device: repair[1] };
  if (KERNEL_FS_TROUBLE.test(text)) return { kind: "fs-error", label: text };
  const fsck = classifyFsck(text);
  if (fsck) return fsck;
  return classifyInitScript(text);
}

/**
 * e2fsck's words, as printed by itself (`/dev/sda1: …`) or through systemd-fsck
 * (`systemd-fsck[775]: debian-bookworm: …`, where e2fsck names the device by its label).
 */
function classifyFsck(text: string): LineSign | null {
  let body = text;
  const prefix = SYSTEMD_FSCK.exec(body);
  if (prefix) body = body.slice(prefix[0].length);
  let device: string | null = null;
  const named = FSCK_DEVICE.exec(body);
  if (named && (prefix || named[1].startsWith("/dev/"))) {
    device = named[1];
    body = body.slice(named[0].length);
  }
  if (FSCK_ERRORS.some((e) => body.includes(e))) return { kind: "fs-error", label: text };
  if (!prefix && !device && !body.includes("FIXED") && !body.includes("? yes")) return null;
  for (const needle of E2FSCK_REPAIRS) {
    if (body.includes(needle)) return { kind: "fsck-repair", label: text, device };
  }
  return null;
}

/** busybox init and init scripts (buildroot-style `Starting x: OK`) and Corral's own rcS. */
function classifyInitScript(text: string): LineSign | null {
  const cant = BUSYBOX_CANT_RUN.exec(text);
  if (cant) return { kind: "unit-failed", label: text, unit: cant[1], description: null, cause: "failed" };
  const mount = BUSYBOX_MOUNT.exec(text);
  if (mount) return { kind: "unit-failed", label: text, unit: `mount ${mount[1]}`, description: null, cause: "failed" };
  if (text.startsWith("corral: no DHCP answer on ")) {
    return { kind: "unit-failed", label: text, unit: "udhcpc", description: null, cause: "failed" };
  }
  const script = SCRIPT_STATUS.exec(text);
  if (script) {
    const unit = script[1];
    return script[2] === "OK"
      ? { kind: "unit-done", label: text, unit, description: null, verb: "Started" }
      : { kind: "unit-failed", label: text, unit, description: null, cause: "failed" };
  }
  if (LOGIN.test(text)) return { kind: "prompt", label: text };
  return null;
}

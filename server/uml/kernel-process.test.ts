import { spawn } from "node:child_process";
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import pty from "node-pty";
import { findKernels, killChildAndGroup, killGroup, lowerAutogroup } from "./kernel-process";

/** Running: not gone and not a zombie (an orphan's reaper may be slow, or none in a container). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

const exitOf = (child: ReturnType<typeof spawn>) =>
  new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));

// A kernel's forked child makes its own session (and group) first thing; one killed before
// that — a force off right after the admission, amid a storm that starves it of CPU — must
// die all the same. A child that is not detached here stands for it: it leads no group.
describe("killing a kernel's process", () => {
  it("kills a child that leads no group yet, which a group kill alone misses", async () => {
    const child = spawn("sleep", ["100"], { stdio: "ignore" });
    const exited = exitOf(child);
    expect(killGroup(child.pid!, "SIGKILL")).toBe(false);
    expect(running(child.pid!)).toBe(true);
    expect(killChildAndGroup(child.pid!, "SIGKILL")).toBe(true);
    expect(await exited).toBe("SIGKILL");
  });

  it("kills the whole group of a child that leads one (the kernel's helpers with it)", async () => {
    // The leader's own child (the helper) stays in its group; the leader waits for it.
    const leader = spawn("sh", ["-c", "sleep 100 & echo $!; wait"], {
      detached: true,
      stdio: ["ignore", "pipe", "ignore"],
    });
    const helper = Number(
      await new Promise<string>((resolve) => leader.stdout!.once("data", (d) => resolve(String(d)))),
    );
    const exited = exitOf(leader);
    expect(killChildAndGroup(leader.pid!, "SIGKILL")).toBe(true);
    expect(await exited).toBe("SIGKILL");
    await expect.poll(() => running(helper)).toBe(false);
  });
});

// A kernel's fork for a new guest address space carries the kernel's command line until it
// renames itself; a subshell is such a fork that stays (`sh -c` puts its extra words in argv).
describe("finding a run directory's kernels", () => {
  it("finds the kernel and not its forks that still carry its command line", async () => {
    const runDir = `/tmp/corral-find-${process.pid}`;
    const kernel = spawn("sh", ["-c", "(sleep 30; :) & echo $!; wait", "sh", "umid=g1", `uml_dir=${runDir}`], {
      detached: true,
      stdio: ["ignore", "pipe", "ignore"],
    });
    const exited = exitOf(kernel);
    try {
      const fork = Number(
        await new Promise<string>((resolve) => kernel.stdout!.once("data", (d) => resolve(String(d)))),
      );
      expect(fs.readFileSync(`/proc/${fork}/cmdline`, "utf8")).toContain(`uml_dir=${runDir}`);
      expect(findKernels(runDir)).toEqual([{ pid: kernel.pid, umid: "g1" }]);
    } finally {
      killGroup(kernel.pid!, "SIGKILL");
      await exited;
    }
  });
});

// Without autogroups (/proc/self/autogroup absent) there is nothing to lower.
describe.runIf(fs.existsSync("/proc/self/autogroup"))("lowering a kernel's autogroup", () => {
  // The file is empty for a process in no autogroup: one whose session dates from before any
  // setsid (a container's first session) — as this test's own may be. Each child on a pty
  // makes a session, and so an autogroup, of its own.
  const groupOf = (pid: number | "self") => fs.readFileSync(`/proc/${pid}/autogroup`, "utf8").trim();
  const niceOf = (pid: number) => /nice (-?\d+)$/.exec(groupOf(pid))?.[1];

  // Some of these children have no session of their own yet when the spawn returns.
  it("lowers each child's own group, never its parent's", async () => {
    const own = groupOf("self");
    const children = Array.from({ length: 20 }, () => pty.spawn("/bin/sleep", ["2"], {}));
    for (const t of children) lowerAutogroup(t.pid, 7, () => true);
    for (const t of children) await expect.poll(() => niceOf(t.pid), { timeout: 5000 }).toBe("7");
    expect(groupOf("self")).toBe(own);
    for (const t of children) t.kill("SIGKILL");
  });
});

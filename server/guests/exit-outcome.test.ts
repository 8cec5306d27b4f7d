import { describe, expect, it } from "vitest";
import { classifyExit, type ExitFacts } from "./exit-outcome";

const clean: ExitFacts = {
  exitCode: 0,
  signal: 0,
  killReason: null,
  rebootRequested: false,
  panic: null,
  consoleSaid: null,
  bootTimeoutS: 60,
  bootLimitS: 900,
  stopTimeoutS: 30,
};

describe("classifyExit", () => {
  it("reads a clean exit as powered off, or halted when the console said so", () => {
    expect(classifyExit(clean).outcome).toBe("powered-off");
    expect(classifyExit({ ...clean, consoleSaid: "halted" }).outcome).toBe("halted");
  });

  it("reads a clean exit after a reboot request as rebooted", () => {
    expect(classifyExit({ ...clean, rebootRequested: true }).outcome).toBe("rebooted");
  });

  it("puts a panic first, with the kernel's words", () => {
    const r = classifyExit({ ...clean, signal: 6, panic: "Attempted to kill init!" });
    expect(r).toEqual({ outcome: "panicked", detail: "Kernel panic: Attempted to kill init!" });
  });

  it("tells the kills Corral made apart", () => {
    expect(classifyExit({ ...clean, signal: 9, killReason: "force-off" }).outcome).toBe("killed");
    expect(classifyExit({ ...clean, signal: 9, killReason: "boot-silent" })).toEqual({
      outcome: "boot-timeout",
      detail: "Not ready, and its console silent for 60 s; the kernel was killed. The boot log shows where it stopped.",
    });
    expect(classifyExit({ ...clean, signal: 9, killReason: "boot-timeout" })).toEqual({
      outcome: "boot-timeout",
      detail:
        "Not ready within 900 s although still printing; the kernel was killed. The boot log shows what it was doing.",
    });
    expect(classifyExit({ ...clean, signal: 9, killReason: "stop-timeout" }).detail).toMatch(/within 30 s/);
  });

  it("calls an exit nobody asked for a crash, naming the signal", () => {
    expect(classifyExit({ ...clean, signal: 9 })).toEqual({
      outcome: "crashed",
      detail: "The kernel process was killed by SIGKILL.",
    });
    expect(classifyExit({ ...clean, exitCode: 1 }).detail).toBe("The kernel process exited with code 1.");
  });
});

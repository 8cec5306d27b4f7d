import { describe, expect, it } from "vitest";
import { ConsoleWatcher, type ConsoleSign } from "./console-watcher";

function feed(chunks: string[]): ConsoleSign[][] {
  const w = new ConsoleWatcher();
  return chunks.map((c) => w.scan(c));
}

describe("ConsoleWatcher", () => {
  it("finds the restart line and where in the chunk its line ends", () => {
    const [signs] = feed(["bye\r\nreboot: Restarting system\r\nCore dump limits"]);
    expect(signs).toEqual([{ kind: "restarting", end: "bye\r\nreboot: Restarting system\r\n".length }]);
  });

  it("finds a container's restart line (its post-stop hook's) the same way", () => {
    const [signs] = feed(["Requesting system reboot\r\n\r\ncorral: restarting the container\r\nsystemd 252"]);
    const end = "Requesting system reboot\r\n\r\ncorral: restarting the container\r\n".length;
    expect(signs).toEqual([{ kind: "restarting", end }]);
  });

  it("finds a marker split across chunks exactly once", () => {
    const results = feed(["...reboot: Resta", "rting sys", "tem\r\nnext", " more output"]);
    expect(results.flat().filter((s) => s.kind === "restarting")).toHaveLength(1);
    expect(results[2]).toEqual([{ kind: "restarting", end: "tem\r\n".length }]);
  });

  it("recognises power-off and halt", () => {
    expect(feed(["reboot: Power down\r\n"])[0]).toEqual([{ kind: "powered-off" }]);
    expect(feed(["reboot: Sys", "tem halted\r\n"])[1]).toEqual([{ kind: "halted" }]);
  });

  it("reports a panic with its message once, even split", () => {
    const results = feed(["Kernel panic - not syn", "cing: Attempted to kill init!\r", "\nCPU: 0\r\n", "more\r\n"]);
    expect(results.flat()).toEqual([{ kind: "panic", message: "Attempted to kill init!" }]);
  });

  it("sees a prompt only at the very end of the output", () => {
    expect(feed(["corral:/# \u001b[6n"])[0]).toEqual([{ kind: "prompt" }]);
    expect(feed(["debian login: "])[0]).toEqual([{ kind: "prompt" }]);
    expect(feed(["corral:/# ", "ls\r\n"])[1]).toEqual([]);
    expect(feed(["Checking that ptrace works...OK\r\n"])[0]).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { parseContainerExit } from "./exit-report";

const line = (what: string) =>
  `lxc-start g1 20261130193216.871 INFO     error - ../src/lxc/error.c:lxc_error_set_and_log:34 - Child <8414> ended on ${what}\n`;

describe("parseContainerExit", () => {
  it("reads a power-off, a kill, a reboot and an exit from LXC's log", () => {
    expect(parseContainerExit(line("signal Interrupt(2)"), "")).toMatchObject({ signal: 2, poweredOff: true });
    expect(parseContainerExit(line("signal Killed(9)"), "")).toMatchObject({ signal: 9, poweredOff: false });
    expect(parseContainerExit(line("signal Hangup(1)"), "")).toMatchObject({ signal: 1, rebooted: true });
    expect(parseContainerExit(line("error (3)"), "")).toMatchObject({ signal: 0, exitCode: 3 });
  });

  it("takes the last end in the log and the OOM counter from the stop hook", () => {
    const log = line("signal Hangup(1)") + "noise\n" + line("signal Killed(9)");
    expect(parseContainerExit(log, "oom_kill 2\n")).toEqual({
      signal: 9,
      exitCode: 0,
      oomKills: 2,
      poweredOff: false,
      rebooted: false,
    });
  });

  it("says nothing when init never ran", () => {
    expect(parseContainerExit("lxc-start g1 ERROR start - Failed to spawn container\n", "")).toBeNull();
  });
});

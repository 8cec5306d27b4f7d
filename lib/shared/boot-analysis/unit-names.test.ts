import { describe, expect, it } from "vitest";
import { parseBoot } from "./boot-parser";
import { compareBoots } from "./compare-boots";

// What systemd 252 printed on an 80-column console (the unit's name shortened in the middle),
// and on a wide one, for the same failing unit.
const narrow = (starting: string) =>
  parseBoot([
    [0.5, "o", "Linux version 6.1.0 (x) #1\r\nRun /sbin/init as init process\r\n"],
    [2.0, "o", `         Starting ${starting} - Injected failure...\r\n`],
    [
      2.5,
      "o",
      "[\x1b[0;1;31mFAILED\x1b[0m] Failed to start \x1b[0;1;39mcorral-inj…ed.service\x1b[0m - Injected failure.\r\n",
    ],
    [2.6, "o", "See 'systemctl status corral-injected.service' for details.\r\n"],
    [3.0, "o", "\r\ndeb login: "],
  ]);

describe("unit names systemd shortened to the console's width", () => {
  it("are written whole from the name the same boot printed after the failure", () => {
    const a = narrow("corral-inj…ed.service");
    expect(a.failedUnits).toEqual(["corral-injected.service"]);
    expect(a.problems).toEqual([
      expect.objectContaining({
        kind: "unit-failed",
        unit: "corral-injected.service",
        label: "Failed to start corral-injected.service - Injected failure.",
      }),
    ]);
    expect(a.units).toEqual([
      expect.objectContaining({
        unit: "corral-injected.service",
        result: "failed",
        startingAt: 2,
        durationSeconds: 0.5,
      }),
    ]);
  });

  it("are written whole from an earlier line that showed the name, and then time the unit", () => {
    const a = narrow("corral-injected.service");
    expect(a.units).toEqual([
      expect.objectContaining({
        unit: "corral-injected.service",
        result: "failed",
        startingAt: 2,
        durationSeconds: 0.5,
      }),
    ]);
  });

  it("stay as printed when no whole name fits, or more than one does", () => {
    const a = parseBoot([
      [1, "o", "[FAILED] Failed to start a-very-lo…ng.service - X.\r\n"],
      [1.1, "o", "See 'systemctl status a-very-lo-one-ng.service' for details.\r\n"],
      [1.2, "o", "See 'systemctl status a-very-lo-two-ng.service' for details.\r\n"],
    ]);
    expect(a.failedUnits).toEqual(["a-very-lo…ng.service"]);
  });

  it("let a narrow boot compare with a wide one: the failure is not new", () => {
    const wide = parseBoot([
      [0.5, "o", "Linux version 6.1.0 (x) #1\r\nRun /sbin/init as init process\r\n"],
      [2.5, "o", "[FAILED] Failed to start corral-injected.service - Injected failure.\r\n"],
      [3.0, "o", "\r\ndeb login: "],
    ]);
    expect(compareBoots(narrow("corral-inj…ed.service"), [wide]).newFailures).toEqual([]);
  });
});

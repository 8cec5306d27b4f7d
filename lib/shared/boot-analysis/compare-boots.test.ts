// compareBoots over series built from real recordings: the same Debian boot with its times
// moved (as if the host or a unit were slower), and the boot with the injected failure.
import { beforeAll, describe, expect, it } from "vitest";
import type { CastEvent } from "./cast-events";
import { parseBoot } from "./boot-parser";
import { median } from "../consolidation";
import { compareBoots } from "./compare-boots";
import { delayFrom, loadFixture } from "./fixtures.test-support";
import type { BootAnalysis } from "./types";

let normal: CastEvent[];
let failed: BootAnalysis;
let panicked: BootAnalysis;
/** Ten ordinary boots, most recent first, a little apart in time as real boots are. */
let baseline: BootAnalysis[];
const NETWORKD_STARTED = "Started \x1b[0;1;39msystemd-networkd.service";

beforeAll(async () => {
  normal = (await loadFixture("debian")).events;
  failed = parseBoot((await loadFixture("debian-failed-unit")).events);
  panicked = parseBoot((await loadFixture("busybox-panic")).events);
  baseline = [0.3, 0.1, 0.7, 0.0, 0.5, 0.9, 0.2, 0.6, 0.4, 0.8].map((j) =>
    parseBoot(delayFrom(normal, "Welcome to", j)),
  );
});

describe("compareBoots", () => {
  it("finds an ordinary boot ordinary", () => {
    const current = parseBoot(delayFrom(normal, "Welcome to", 0.5));
    const c = compareBoots(current, baseline);
    expect(c).toMatchObject({
      baselineBoots: 10,
      slower: false,
      regressed: false,
      hasFailures: false,
      newFailures: [],
      slowerUnits: [],
    });
    expect(c.deltaSeconds).toBeCloseTo(0.05, 3); // the median of 0.0–0.9 is 0.45
    expect(c.summary).toBe("took about as long as the median of the last 10 (+0.1 s)");
  });

  it("finds the boot where networkd took 30 s longer, and names networkd", () => {
    const current = parseBoot(delayFrom(normal, NETWORKD_STARTED, 30));
    const c = compareBoots(current, baseline);
    expect(c.slower).toBe(true);
    expect(c.regressed).toBe(true);
    expect(c.deltaSeconds).toBeCloseTo(30 - 0.45, 3);
    const networkd = c.slowerUnits.find((u) => u.unit === "systemd-networkd.service")!;
    expect(networkd.deltaSeconds).toBeCloseTo(30, 1);
    // Only units in flight when the delay came got slower, each by the delay.
    const at = normal.find((e) => e[2].includes(NETWORKD_STARTED))![0];
    for (const u of c.slowerUnits) {
      const before = baseline[3].units.find((b) => b.unit === u.unit)!;
      expect(before.startingAt!).toBeLessThan(at);
      expect(u.deltaSeconds).toBeCloseTo(30, 0);
    }
    expect(c.summary).toMatch(
      /^took 29\.6 s longer than the median of the last 10; slower: .*systemd-networkd\.service \(\+30\.\d s\)/,
    );
  });

  it("finds a failure that is new, and says so", () => {
    const c = compareBoots(failed, baseline);
    expect(c).toMatchObject({ newFailures: ["report-upload.service"], hasFailures: true, regressed: true });
    expect(c.summary).toMatch(/; new failure: report-upload\.service$/);
  });

  it("does not call a failure new when most earlier boots had it too, but still flags it", () => {
    const mostlyFailing = [failed, failed, failed, failed, failed, failed, ...baseline.slice(0, 4)];
    expect(compareBoots(failed, mostlyFailing)).toMatchObject({ newFailures: [], hasFailures: true });
    const halfFailing = [failed, failed, failed, failed, failed, ...baseline.slice(0, 5)];
    expect(compareBoots(failed, halfFailing).newFailures).toEqual(["report-upload.service"]);
    // The failure fixed: nothing failed, nothing new.
    const fixed = compareBoots(parseBoot(normal), Array(10).fill(failed));
    expect(fixed).toMatchObject({ newFailures: [], hasFailures: false });
  });

  it("compares with the last 10 boots that reached readiness only", () => {
    const ancient = [0, 0].map(() => parseBoot(delayFrom(normal, "Welcome to", 500)));
    const c = compareBoots(parseBoot(normal), [panicked, ...baseline, ...ancient]);
    expect(c.baselineBoots).toBe(10);
    expect(c.medianReadySeconds).toBe(median(baseline.map((b) => b.readySeconds!)));
  });

  it("does not judge time against fewer than 3 boots, but tells the difference", () => {
    const current = parseBoot(delayFrom(normal, NETWORKD_STARTED, 30));
    const c = compareBoots(current, baseline.slice(0, 1));
    expect(c).toMatchObject({ baselineBoots: 1, slower: false, regressed: false, slowerUnits: [] });
    expect(c.summary).toBe("took 29.7 s longer than the last boot");
  });

  it("flags a boot that panicked where earlier ones were ready", () => {
    const c = compareBoots(panicked, baseline);
    expect(c).toMatchObject({ readySeconds: null, deltaSeconds: null, regressed: true, hasFailures: true });
    expect(c.summary).toBe("panicked before a prompt");
  });

  it("does not hold a boot still in progress to a prompt it may yet reach", () => {
    const events = normal.filter((e) => !e[2].includes("login: "));
    const unfinished = parseBoot(events.slice(0, Math.floor(events.length / 2)));
    expect(unfinished.readySeconds).toBeNull();
    const c = compareBoots(unfinished, baseline, { inProgress: true });
    expect(c).toMatchObject({ readySeconds: null, regressed: false, hasFailures: false });
    expect(c.summary).toBe("still booting: no prompt yet");
    expect(compareBoots(unfinished, baseline)).toMatchObject({ regressed: true, summary: "never reached a prompt" });
  });

  it("has nothing to compare on a first boot", () => {
    const c = compareBoots(parseBoot(normal), []);
    expect(c).toMatchObject({ baselineBoots: 0, regressed: false, newFailures: [] });
    expect(c.summary).toMatch(/^ready in \d+\.\d s; no earlier boot to compare with$/);
  });

  it("is pure: the same answer twice, its inputs untouched", () => {
    const current = parseBoot(delayFrom(normal, NETWORKD_STARTED, 30));
    const before = structuredClone([current, baseline]);
    expect(compareBoots(current, baseline)).toEqual(compareBoots(current, baseline));
    expect([current, baseline]).toEqual(before);
  });
});

import { describe, expect, it } from "vitest";
import { averageCpu, consolidationReport, median, rankByIdleness, tableCells, type ReportGuest } from "./consolidation";
import type { HostSampleView, TickSample } from "./protocol";

const AT = "2026-11-29T10:00:00.000Z";

const host: HostSampleView = {
  hostId: "h1",
  at: AT,
  period: 0,
  cpuCores: 2,
  cpuPct: 110,
  cpuPctMax: 110,
  memTotalKiB: 4096 * 1024, // 4 GiB
  memAvailableKiB: 3072 * 1024,
  diskFreeMiB: 50_000,
  ramBackingFreeMiB: 2048,
  load1: 1.2,
  guestsRunning: 2,
  guestAllocatedMiB: 384,
  guestCpuPct: 100.5,
  guestHostMemKiB: 150 * 1024,
};

const guests: ReportGuest[] = [
  { id: "a", name: "app", kind: "uml", state: "running", memoryMiB: 256 },
  { id: "b", name: "batch", kind: "uml", state: "running", memoryMiB: 128 },
  { id: "c", name: "cold", kind: "uml", state: "stopped", memoryMiB: 64 },
];

function sample(guestId: string, cpuPct: number, hostMiB: number, usedMiB: number | null): TickSample {
  return {
    guestId,
    cpuPct,
    hostMemKiB: hostMiB * 1024,
    guestMemTotalKiB: usedMiB === null ? null : 200 * 1024,
    guestMemUsedKiB: usedMiB === null ? null : usedMiB * 1024,
    guestLoad1: usedMiB === null ? null : 0.5,
  };
}

describe("consolidation report", () => {
  const latest = [sample("a", 0.5, 100, 40), sample("b", 100, 50, null)];
  const cpuAvg = new Map([
    ["a", 1.25],
    ["b", 97.5],
  ]);
  const report = consolidationReport(guests, latest, cpuAvg, host);

  it("sums what the host carries", () => {
    const h = report.headline;
    expect(h).toMatchObject({
      guestsDefined: 3,
      guestsRunning: 2,
      hostMemMiB: 4096,
      allocatedMiB: 384,
      allocatedDefinedMiB: 448,
      hostUsedMiB: 150,
      guestUsedMiB: 40,
      cpuCores: 2,
      hostCpuCores: 1.1,
      typicalGuestMiB: 128,
      typicalUsedMiB: 75,
    });
    expect(h.overcommit).toBeCloseTo(384 / 4096, 9);
    expect(h.guestCpuCores).toBeCloseTo(1.005, 9);
  });

  it("counts headroom after what running guests may still touch and a reserve for the host", () => {
    // Promised but untouched: (256-100) + (128-50) = 234 MiB. Spare memory: 3072 - 409.6.
    // By memory: (2662.4 - 234) / 128 = 18.97 → 18; by RAM backing: (2048 - 234) / 128 = 14.17 → 14.
    expect(report.headline.headroom).toBe(14);
    // At today's typical use (75 MiB): by memory 2662.4 / 75 = 35.5; by backing 2048 / 75 = 27.3.
    expect(report.headline.headroomAtTypicalUse).toBe(27);
  });

  it("gives each guest its figures, blanks for one that is not running", () => {
    expect(report.rows.map(tableCells)).toEqual([
      ["app", "running", "256", "100.0", "40.0", "216.0", "0.5", "1.3", "0.50", "uml"],
      ["batch", "running", "128", "50.0", null, "78.0", "100.0", "97.5", null, "uml"],
      ["cold", "stopped", "64", null, null, null, null, null, null, "uml"],
    ]);
  });

  it("ranks running guests idlest first", () => {
    expect(rankByIdleness(report.rows).map((r) => r.name)).toEqual(["app", "batch"]);
    const tie = consolidationReport(
      guests,
      latest,
      new Map([
        ["a", 5],
        ["b", 5],
      ]),
      host,
    );
    // Equal CPU: the one with more memory to give back comes first.
    expect(rankByIdleness(tie.rows).map((r) => r.name)).toEqual(["app", "batch"]);
  });

  it("reports nothing before the first sample", () => {
    const none = consolidationReport(guests, [], new Map(), null);
    expect(none.at).toBeNull();
    expect(none.headline).toMatchObject({ guestsDefined: 3, guestsRunning: 2, headroom: null, overcommit: null });
  });
});

describe("helpers", () => {
  it("averages CPU per guest", () => {
    const samples = [0, 5, 10].map((cpuPct) => ({ guestId: "a", cpuPct })).concat({ guestId: "b", cpuPct: 7 });
    expect(averageCpu(samples)).toEqual(
      new Map([
        ["a", 5],
        ["b", 7],
      ]),
    );
  });

  it("takes medians", () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([64, 128])).toBe(96);
  });
});

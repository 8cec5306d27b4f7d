import { describe, expect, it } from "vitest";
import { consolidationReport, type ReportGuest } from "./consolidation";
import { kindCosts } from "./consolidation-kinds";
import type { GuestSampleView, HostSampleView } from "./protocol";

const AT = "2026-11-30T23:00:00.000Z";

// A host of 4 cores and 4 GiB: 3 GiB available, 410 MiB of it kept for the host (10 %).
const host: HostSampleView = {
  hostId: "h1",
  at: AT,
  period: 0,
  cpuCores: 4,
  cpuPct: 100,
  cpuPctMax: 100,
  memTotalKiB: 4096 * 1024,
  memAvailableKiB: 3072 * 1024,
  diskFreeMiB: 50_000,
  ramBackingFreeMiB: 1024,
  load1: 1,
  guestsRunning: 4,
  guestAllocatedMiB: 256,
  guestCpuPct: 6,
  guestHostMemKiB: 0,
};

const guest = (id: string, kind: ReportGuest["kind"], state: ReportGuest["state"] = "running"): ReportGuest => ({
  id,
  name: id,
  kind,
  state,
  memoryMiB: 64,
});

const sample = (guestId: string, cpuPct: number, hostMiB: number): GuestSampleView => ({
  guestId,
  at: AT,
  period: 0,
  cpuPct,
  cpuPctMax: cpuPct,
  hostMemKiB: hostMiB * 1024,
  guestMemTotalKiB: null,
  guestMemUsedKiB: null,
  guestLoad1: null,
});

describe("host cost per guest, by kind", () => {
  const guests = [
    guest("u1", "uml"),
    guest("u2", "uml"),
    guest("c1", "context"),
    guest("c2", "context"),
    guest("c3", "context", "stopped"),
  ];
  const latest = [sample("u1", 2, 40), sample("u2", 4, 24), sample("c1", 0.5, 3), sample("c2", 1.5, 5)];
  // The 10-minute averages are what count, not the last tick.
  const cpuAvg = new Map([
    ["u1", 1],
    ["u2", 3],
    ["c1", 0.25],
    ["c2", 0.75],
  ]);
  const report = consolidationReport(guests, latest, cpuAvg, host);
  const [uml, ctx] = kindCosts(report.rows, host);

  it("averages each kind's running guests", () => {
    expect(uml).toMatchObject({
      kind: "uml",
      defined: 2,
      running: 2,
      hostUsedMiB: 64,
      memPerGuestMiB: 32,
      cpuPctPerGuest: 2,
    });
    expect(ctx).toMatchObject({
      kind: "context",
      defined: 3,
      running: 2,
      hostUsedMiB: 8,
      memPerGuestMiB: 4,
      cpuPctPerGuest: 0.5,
    });
    expect(uml.cpuCores).toBeCloseTo(0.04, 10);
    expect(ctx.cpuCores).toBeCloseTo(0.01, 10);
  });

  it("counts the guests that fit at each kind's cost, the tighter of memory and CPU", () => {
    // Spare memory: 3072 - 409.6 = 2662.4 MiB; spare CPU: 400 - 100 = 300 % of a core.
    // UML: memory 2662.4 / 32 = 83, but its RAM files fit 1024 / 32 = 32; CPU 300 / 2 = 150.
    expect(uml).toMatchObject({ headroom: 32, boundBy: "memory" });
    // Context: memory 2662.4 / 4 = 665; CPU 300 / 0.5 = 600: CPU runs out first.
    expect(ctx).toMatchObject({ headroom: 600, boundBy: "cpu" });
  });

  it("answers how many more guests there would be if every running guest were of one kind", () => {
    // Guests' own 72 MiB and 5 % CPU count as free again; 4 run today.
    // UML: min(floor(2734.4 / 32) = 85, floor((1024 + 64) / 32) = 34, floor(305 / 2) = 152) - 4 = 30.
    expect(uml.moreIfAllWere).toBe(30);
    // Context: min(floor(2734.4 / 4) = 683, floor(305 / 0.5) = 610) - 4 = 606.
    expect(ctx.moreIfAllWere).toBe(606);
  });

  it("has no cost for a kind with no running guest, and no headroom without a host sample", () => {
    const onlyUml = consolidationReport(guests.slice(0, 2), latest.slice(0, 2), cpuAvg, host);
    const [, none] = kindCosts(onlyUml.rows, host);
    expect(none).toMatchObject({
      running: 0,
      memPerGuestMiB: null,
      cpuPctPerGuest: null,
      headroom: null,
      moreIfAllWere: null,
    });
    const unsampled = kindCosts(consolidationReport(guests, [], cpuAvg, null).rows, null);
    expect(unsampled.map((c) => [c.running, c.headroom])).toEqual([
      [0, null],
      [0, null],
    ]);
  });

  it("does not let an idle kind's near-zero CPU make CPU the bound", () => {
    const idle = consolidationReport([guest("c1", "context")], [sample("c1", 0, 4)], new Map([["c1", 0]]), host);
    const [, c] = kindCosts(idle.rows, host);
    // No CPU at all: memory alone bounds it (2662.4 / 4).
    expect(c).toMatchObject({ headroom: 665, boundBy: "memory" });
  });
});

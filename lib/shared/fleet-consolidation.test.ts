import { describe, expect, it } from "vitest";
import {
  fleetHostRow,
  fleetHostState,
  fleetTotals,
  HOST_COLUMNS,
  hostCells,
  type FleetHostInput,
} from "./fleet-consolidation";
import type { HostSampleView } from "./protocol";

const GiB = 1024 * 1024; // KiB

function tick(hostId: string, over: Partial<HostSampleView> = {}): HostSampleView {
  return {
    hostId,
    at: "2026-12-01T10:00:00.000Z",
    period: 0,
    cpuCores: 4,
    cpuPct: 150,
    cpuPctMax: 150,
    memTotalKiB: 8 * GiB,
    memAvailableKiB: 6 * GiB,
    diskFreeMiB: 50_000,
    ramBackingFreeMiB: 4096,
    load1: 1,
    guestsRunning: 2,
    guestAllocatedMiB: 256,
    guestCpuPct: 100,
    guestHostMemKiB: 100 * 1024,
    ...over,
  };
}

function host(id: string, over: Partial<FleetHostInput> = {}): FleetHostInput {
  return {
    id,
    name: `host-${id}`,
    status: "up",
    maintenance: false,
    memoryMiB: 8192,
    cores: 4,
    guestMemoryMiB: 6144,
    guestsTotal: 3,
    guestsRunning: 2,
    allocatedMiB: 256,
    tick: tick(id),
    promisedMiB: 156,
    ...over,
  };
}

describe("a fleet's host rows", () => {
  it("says whether a host is reachable, unreachable (whatever its maintenance) or in maintenance", () => {
    expect(fleetHostState({ status: "up", maintenance: false })).toBe("reachable");
    expect(fleetHostState({ status: "up", maintenance: true })).toBe("maintenance");
    expect(fleetHostState({ status: "unreachable", maintenance: true })).toBe("unreachable");
  });

  it("takes memory, CPU and capacity from the host's own tick", () => {
    const r = fleetHostRow(host("a"));
    expect([r.usedMiB, r.capacityMiB, r.cpuPct, r.cpuCores, r.guestsRunning, r.guestsTotal]).toEqual([
      100, 8192, 150, 4, 2, 3,
    ]);
  });

  it("counts headroom in guests of the default size, less what running guests may still take", () => {
    // spare = 6144 − 819.2 (reserve) − 156 promised = 5168.8 → 80 × 64; RAM backing 4096 − 156 → 61.
    expect(fleetHostRow(host("a")).headroom).toBe(61);
    expect(fleetHostRow(host("a"), 128).headroom).toBe(30);
  });

  it("never counts more headroom than the host offers its guests (placement's bound)", () => {
    // offers 512 MiB, 256 given: 4 more guests of 64 MiB, though memory for 61 is free.
    expect(fleetHostRow(host("a", { guestMemoryMiB: 512 })).headroom).toBe(4);
    expect(fleetHostRow(host("a", { guestMemoryMiB: 200 })).headroom).toBe(0);
  });

  it("has no headroom or usage for a host never sampled, and no headroom for an unreachable one", () => {
    const never = fleetHostRow(host("a", { tick: null }));
    expect([never.headroom, never.usedMiB, never.cpuPct, never.capacityMiB, never.sampledAt]).toEqual([
      null,
      null,
      null,
      8192,
      null,
    ]);
    expect(fleetHostRow(host("a", { status: "unreachable" })).headroom).toBeNull();
  });
});

describe("a fleet's totals", () => {
  const rows = [
    fleetHostRow(host("a")),
    fleetHostRow(host("b", { guestsRunning: 5, guestsTotal: 7, allocatedMiB: 640, tick: tick("b", { cpuPct: 50 }) })),
    fleetHostRow(host("c", { maintenance: true })),
    fleetHostRow(host("d", { status: "unreachable", guestsRunning: 4, guestsTotal: 4 })),
  ];

  it("add up the hosts' figures: every host's guests and memory, running and use of reachable hosts", () => {
    const t = fleetTotals(rows);
    expect(t.hosts).toBe(4);
    expect(t.hostsReachable).toBe(3);
    expect(t.guestsTotal).toBe(3 + 7 + 3 + 4);
    expect(t.guestsRunning).toBe(2 + 5 + 2);
    expect(t.guestsUnknown).toBe(4);
    expect(t.allocatedMiB).toBe(256 + 640 + 256 + 256);
    expect(t.usedMiB).toBe(300);
    expect(t.capacityMiB).toBe(4 * 8192);
    expect(t.cpuPct).toBe(150 + 50 + 150);
    expect(t.cpuCores).toBe(12); // the unreachable host's are not counted
  });

  it("count headroom only on hosts that take new guests", () => {
    const t = fleetTotals(rows);
    expect(t.headroom).toBe(rows[0].headroom! + rows[1].headroom!);
    expect(rows[2].headroom).toBeGreaterThan(0); // in maintenance: room, but no placements
  });

  it("of one host are that host's figures", () => {
    const t = fleetTotals([rows[0]]);
    expect([t.guestsRunning, t.allocatedMiB, t.usedMiB, t.headroom]).toEqual([2, 256, 100, 61]);
  });
});

describe("the per-host CSV", () => {
  it("prints one cell per column, empty where there is no figure", () => {
    const cells = hostCells(fleetHostRow(host("a", { tick: null })));
    expect(cells).toHaveLength(HOST_COLUMNS.length);
    expect(cells).toEqual(["host-a", "reachable", "2", "3", "256", null, "8192", null, "4", null, null]);
  });
});

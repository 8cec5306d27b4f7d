// The consolidation report of a fleet: one row per host and the fleet's totals. Pure, so the
// page, the per-host CSV and the tests compute the same figures from the same reads
// (lib/server/reads/fleet-consolidation.ts).
import { guestsThatFit } from "./consolidation";
import type { FleetHostStatus, HostSampleView } from "./protocol";

/** The size headroom is counted in: the new-guest form's default memory. */
export const DEFAULT_GUEST_MEMORY_MIB = 64;

export type FleetHostState = "reachable" | "unreachable" | "maintenance";

/** What the read gives for one host. */
export interface FleetHostInput {
  id: string;
  name: string;
  status: FleetHostStatus;
  maintenance: boolean;
  /** Host memory from its registration: capacity until it has sampled. */
  memoryMiB: number;
  cores: number;
  /** What placement may give its guests in all (Host.guestMemoryMiB; 0: not recorded). */
  guestMemoryMiB: number;
  guestsTotal: number;
  guestsRunning: number;
  /** Memory of its guests that hold memory now (booting, running, stopping). */
  allocatedMiB: number;
  /** Its newest tick (null: never sampled). */
  tick: HostSampleView | null;
  /** At that tick: memory running guests were given but have not touched (they may still grow into it). */
  promisedMiB: number;
}

export interface FleetHostRow {
  hostId: string;
  name: string;
  state: FleetHostState;
  guestsRunning: number;
  guestsTotal: number;
  allocatedMiB: number;
  /** Host memory its guests use, at its newest tick (null: never sampled). */
  usedMiB: number | null;
  capacityMiB: number;
  /** Whole-host CPU busy, % of one core; and its cores. */
  cpuPct: number | null;
  cpuCores: number;
  /** More guests of the default size it can take (null: unreachable, or never sampled). */
  headroom: number | null;
  sampledAt: string | null;
}

export interface FleetTotals {
  hosts: number;
  hostsReachable: number;
  guestsTotal: number;
  /** On reachable hosts: an unreachable host's guests are unknown, not running. */
  guestsRunning: number;
  guestsUnknown: number;
  allocatedMiB: number;
  usedMiB: number;
  capacityMiB: number;
  /** CPU busy and cores of reachable hosts. */
  cpuPct: number;
  cpuCores: number;
  /** Only hosts that take new guests count: reachable, not in maintenance. */
  headroom: number;
}

export function fleetHostState(h: Pick<FleetHostInput, "status" | "maintenance">): FleetHostState {
  if (h.status === "unreachable") return "unreachable";
  return h.maintenance ? "maintenance" : "reachable";
}

export function fleetHostRow(h: FleetHostInput, sizeMiB = DEFAULT_GUEST_MEMORY_MIB): FleetHostRow {
  const state = fleetHostState(h);
  let headroom: number | null = null;
  if (state !== "unreachable" && h.tick) {
    headroom = guestsThatFit(h.tick, h.promisedMiB, sizeMiB);
    // Placement gives a host's guests no more than it offers them, whatever memory is free.
    if (h.guestMemoryMiB > 0)
      headroom = Math.min(headroom, Math.max(0, Math.floor((h.guestMemoryMiB - h.allocatedMiB) / sizeMiB)));
  }
  return {
    hostId: h.id,
    name: h.name,
    state,
    guestsRunning: h.guestsRunning,
    guestsTotal: h.guestsTotal,
    allocatedMiB: h.allocatedMiB,
    usedMiB: h.tick ? h.tick.guestHostMemKiB / 1024 : null,
    capacityMiB: h.tick ? h.tick.memTotalKiB / 1024 : h.memoryMiB,
    cpuPct: h.tick ? h.tick.cpuPct : null,
    cpuCores: h.tick ? h.tick.cpuCores : h.cores,
    headroom,
    sampledAt: h.tick?.at ?? null,
  };
}

export function fleetTotals(rows: FleetHostRow[]): FleetTotals {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const up = rows.filter((r) => r.state !== "unreachable");
  return {
    hosts: rows.length,
    hostsReachable: up.length,
    guestsTotal: sum(rows.map((r) => r.guestsTotal)),
    guestsRunning: sum(up.map((r) => r.guestsRunning)),
    guestsUnknown: sum(rows.filter((r) => r.state === "unreachable").map((r) => r.guestsRunning)),
    allocatedMiB: sum(rows.map((r) => r.allocatedMiB)),
    usedMiB: sum(up.map((r) => r.usedMiB ?? 0)),
    capacityMiB: sum(rows.map((r) => r.capacityMiB)),
    cpuPct: sum(up.map((r) => r.cpuPct ?? 0)),
    cpuCores: sum(up.map((r) => r.cpuCores)),
    headroom: sum(rows.filter((r) => r.state === "reachable").map((r) => r.headroom ?? 0)),
  };
}

/** The per-host CSV's columns, and one row's cells in their order (null: no figure). */
export const HOST_COLUMNS = [
  { key: "host", label: "Host" },
  { key: "state", label: "State" },
  { key: "guests_running", label: "Guests running" },
  { key: "guests_total", label: "Guests" },
  { key: "allocated_mib", label: "Allocated (MiB)" },
  { key: "used_mib", label: "Used by guests (MiB)" },
  { key: "capacity_mib", label: "Host memory (MiB)" },
  { key: "cpu_pct", label: "CPU (% of a core)" },
  { key: "cpu_cores", label: "Cores" },
  { key: "headroom_guests", label: `Headroom (guests of ${DEFAULT_GUEST_MEMORY_MIB} MiB)` },
  { key: "sampled_at", label: "Sampled at" },
] as const;

const fixed = (v: number | null, digits: number) => (v === null ? null : v.toFixed(digits));

export function hostCells(r: FleetHostRow): Array<string | null> {
  return [
    r.name,
    r.state,
    String(r.guestsRunning),
    String(r.guestsTotal),
    String(r.allocatedMiB),
    fixed(r.usedMiB, 1),
    fixed(r.capacityMiB, 0),
    fixed(r.cpuPct, 1),
    String(r.cpuCores),
    r.headroom === null ? null : String(r.headroom),
    r.sampledAt,
  ];
}

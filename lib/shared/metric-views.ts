// Metric rows as the API, the live events and the pages show them: one shape for the
// daemon (which writes and pushes them) and the web (which reads them back).
import type { GuestSample, HostSample } from "../../generated/prisma/client";
import type { GuestSampleView, HostSampleView } from "./protocol";

type GuestRow = Omit<GuestSample, "id">;
type HostRow = Omit<HostSample, "id">;

export function toGuestSampleView(r: GuestRow): GuestSampleView {
  return {
    guestId: r.guestId,
    at: r.at.toISOString(),
    period: r.period,
    cpuPct: r.cpuPct,
    cpuPctMax: r.cpuPctMax,
    hostMemKiB: r.hostMemKiB,
    guestMemTotalKiB: r.guestMemTotalKiB,
    guestMemUsedKiB: r.guestMemUsedKiB,
    guestLoad1: r.guestLoad1,
  };
}

export function toHostSampleView(r: HostRow): HostSampleView {
  return {
    hostId: r.hostId,
    at: r.at.toISOString(),
    period: r.period,
    cpuCores: r.cpuCores,
    cpuPct: r.cpuPct,
    cpuPctMax: r.cpuPctMax,
    memTotalKiB: r.memTotalKiB,
    memAvailableKiB: r.memAvailableKiB,
    diskFreeMiB: r.diskFreeMiB,
    ramBackingFreeMiB: r.ramBackingFreeMiB,
    load1: r.load1,
    guestsRunning: r.guestsRunning,
    guestAllocatedMiB: r.guestAllocatedMiB,
    guestCpuPct: r.guestCpuPct,
    guestHostMemKiB: r.guestHostMemKiB,
  };
}

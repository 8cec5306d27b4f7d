// Metrics: chart ranges, host and guest samples, and the live sampling event.
import { z } from "zod";

/** Chart ranges, each read at its own resolution: raw samples, minute rollups, hour rollups. */
export const METRIC_RANGES = ["hour", "day", "month"] as const;
export type MetricRange = (typeof METRIC_RANGES)[number];
export const metricRangeSchema = z.enum(METRIC_RANGES);

/** A time in a URL (the CSV export's `at`): an ISO timestamp the daemon wrote. */
export const sampleTimeSchema = z.iso.datetime({ offset: true });

/**
 * One guest's figures over `period` seconds from `at` (0: a single sample). CPU is in % of
 * one host core; memory in KiB. `guest*` is what the guest reports (null: it did not answer).
 */
export interface GuestSampleView {
  guestId: string;
  at: string;
  period: number;
  cpuPct: number;
  cpuPctMax: number;
  hostMemKiB: number;
  guestMemTotalKiB: number | null;
  guestMemUsedKiB: number | null;
  guestLoad1: number | null;
}

/**
 * A guest's figures at the tick a consolidation report is of (`HostSampleView.at`): the
 * sample without what the report does not read. At 500 guests the page carries 500 of them.
 */
export type TickSample = Pick<
  GuestSampleView,
  "guestId" | "cpuPct" | "hostMemKiB" | "guestMemTotalKiB" | "guestMemUsedKiB" | "guestLoad1"
>;

export interface HostSampleView {
  /** The host sampled (Host.id); null for samples from before hosts existed. */
  hostId: string | null;
  at: string;
  period: number;
  cpuCores: number;
  /** Whole-host CPU busy, % of one core: capacity is cpuCores × 100. */
  cpuPct: number;
  cpuPctMax: number;
  memTotalKiB: number;
  memAvailableKiB: number;
  diskFreeMiB: number;
  ramBackingFreeMiB: number;
  load1: number;
  guestsRunning: number;
  guestAllocatedMiB: number;
  guestCpuPct: number;
  guestHostMemKiB: number;
}

/** One sampling tick, pushed live once it is stored. */
export interface MetricsSampleEvent {
  at: string;
  /** The tick recorded before this one (null: none yet): a watcher that did not see it missed one. */
  previousAt: string | null;
  host: HostSampleView;
  guests: GuestSampleView[];
}

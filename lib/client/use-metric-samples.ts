"use client";

import type { MetricsSampleEvent } from "../shared/protocol";
import { useRoom } from "./use-room";

export interface MetricSampleHandlers {
  onSample: (event: MetricsSampleEvent) => void;
  /**
   * Called each time the watch is (re)joined. Ticks sent before — between the page's render
   * and the first join, or while disconnected — were missed: re-read here.
   */
  onWatching?: () => void;
}

/**
 * Every sampling tick while mounted. Joins `metrics:watch` on every (re)connect; the room is
 * left when the last component watching it unmounts.
 */
export function useMetricSamples(handlers: MetricSampleHandlers): void {
  useRoom({
    join: "metrics:watch",
    leave: "metrics:unwatch",
    on: { "metrics:sample": (e) => handlers.onSample(e) },
    onJoined: () => handlers.onWatching?.(),
  });
}

"use client";

import { useEffect, useRef } from "react";
import type { MetricsSampleEvent } from "../shared/protocol";
import { useRoom } from "./use-room";

export interface MetricSampleHandlers {
  /**
   * The tick the page was rendered at (null: none then). Undefined when the page does not
   * know: then only ticks missed while watching are noticed, not one before the first join.
   */
  renderedAt?: string | null;
  onSample: (event: MetricsSampleEvent) => void;
  /**
   * A tick was missed — between the page's render and the first join, or while
   * disconnected — so what the page holds is no longer the daemon's figures: re-read.
   */
  onMissed: () => void;
}

/**
 * Every sampling tick while mounted. Joins `metrics:watch` on every (re)connect; the room is
 * left when the last component watching it unmounts. Each tick names the one before it, so
 * a gap is noticed exactly, not guessed from reconnects.
 */
export function useMetricSamples({ renderedAt, onSample, onMissed }: MetricSampleHandlers): void {
  const lastSeen = useRef(renderedAt);
  // New props from the server start the count again: ticks that came while they were on
  // their way were overwritten by them, and the next tick will say so.
  useEffect(() => {
    lastSeen.current = renderedAt;
  }, [renderedAt]);
  useRoom({
    join: "metrics:watch",
    leave: "metrics:unwatch",
    on: {
      "metrics:sample": (e) => {
        const missed = lastSeen.current !== undefined && e.previousAt !== lastSeen.current;
        lastSeen.current = e.at;
        if (missed) onMissed();
        else onSample(e);
      },
    },
  });
}

"use client";

import { useEffect, useRef } from "react";
import type { MetricsSampleEvent } from "../shared/protocol";
import { useRoom } from "./use-room";

export interface MetricSampleHandlers {
  /**
   * Only this host's ticks (undefined: every tick heard). The daemon a browser is connected
   * to pushes its own host's ticks; a page showing another host of a fleet hears none.
   */
  hostId?: string | null;
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
export function useMetricSamples({ hostId, renderedAt, onSample, onMissed }: MetricSampleHandlers): void {
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
        if (hostId !== undefined && e.host.hostId !== hostId) return;
        const missed = lastSeen.current !== undefined && e.previousAt !== lastSeen.current;
        lastSeen.current = e.at;
        if (missed) onMissed();
        else onSample(e);
      },
    },
  });
}

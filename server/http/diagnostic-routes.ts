import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import type { EventLoopDelayView } from "../../lib/shared/protocol";
import type { RouteTable } from "./route-table";

// The daemon's event-loop delay, sampled inside it (perf_hooks) from the first time an admin
// asks: how long anything waiting — a health check, a keystroke — could have been held up.
// bench/daemon-bounds.ts reads it around a fuzz run.
// The histogram holds the time between its timer's ticks, so an idle loop reads as the
// resolution itself: what is reported is the delay beyond it.
const RESOLUTION_MS = 10;
let histogram: IntervalHistogram | null = null;
let since = Date.now();

function startedHistogram(): IntervalHistogram {
  if (!histogram) {
    histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    histogram.enable();
    since = Date.now();
  }
  return histogram;
}

const delayMs = (ns: number) => Math.max(0, Math.round(ns / 1e4) / 100 - RESOLUTION_MS);

export function addDiagnosticRoutes(routes: RouteTable): void {
  routes.add("GET", "/api/host/event-loop", "host.diagnose", (c) => {
    const h = startedHistogram();
    const view: EventLoopDelayView = {
      sinceMs: Date.now() - since,
      samples: h.count,
      meanMs: delayMs(h.count ? h.mean : 0),
      p50Ms: delayMs(h.count ? h.percentile(50) : 0),
      p99Ms: delayMs(h.count ? h.percentile(99) : 0),
      maxMs: delayMs(h.count ? h.max : 0),
    };
    return c.json(view);
  });
  routes.add("POST", "/api/host/event-loop/reset", "host.diagnose", (c) => {
    startedHistogram().reset();
    since = Date.now();
    return c.body(null, 204);
  });
}

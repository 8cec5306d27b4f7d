"use client";

import { useEffect, useRef } from "react";
import { useSocket } from "./socket-context";
import type { MetricsSampleEvent } from "../shared/protocol";

export interface MetricSampleHandlers {
  onSample: (event: MetricsSampleEvent) => void;
  /**
   * Called each time the watch is (re)joined. Ticks sent before — between the page's render
   * and the first join, or while disconnected — were missed: re-read here.
   */
  onWatching?: () => void;
}

/** Components watching per socket: the room is left only when the last one unmounts. */
const watchers = new WeakMap<object, number>();

/** Every sampling tick while mounted. Joins `metrics:watch` on every (re)connect. */
export function useMetricSamples(handlers: MetricSampleHandlers): void {
  const socket = useSocket();
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });

  useEffect(() => {
    if (!socket) return;
    let active = true;
    const watch = () =>
      socket.emit("metrics:watch", (reply) => {
        if (active && reply.ok) latest.current.onWatching?.();
      });
    const onSample = (e: MetricsSampleEvent) => latest.current.onSample(e);
    watchers.set(socket, (watchers.get(socket) ?? 0) + 1);
    socket.on("connect", watch);
    socket.on("metrics:sample", onSample);
    if (socket.connected) watch();
    return () => {
      active = false;
      socket.off("connect", watch);
      socket.off("metrics:sample", onSample);
      const left = (watchers.get(socket) ?? 1) - 1;
      watchers.set(socket, left);
      if (left === 0) socket.emit("metrics:unwatch");
    };
  }, [socket]);
}

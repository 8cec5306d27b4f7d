"use client";

import { useEffect, useRef } from "react";
import { useSocket } from "./socket-context";
import type { GuestStateEvent } from "../shared/protocol";

export interface GuestEventHandlers {
  onState?: (event: GuestStateEvent) => void;
  onCreated?: (event: { id: string }) => void;
  onDeleted?: (event: { id: string }) => void;
  /**
   * Called each time the watch is (re)joined. Events sent before it — between the page's
   * render and the first join, or while disconnected — were missed: re-read state here.
   */
  onWatching?: () => void;
}

/** Live guest events. Joins `guests:watch` on every (re)connect of the shared socket. */
export function useGuestEvents(handlers: GuestEventHandlers): void {
  const socket = useSocket();
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });

  useEffect(() => {
    if (!socket) return;
    let active = true;
    const watch = () =>
      socket.emit("guests:watch", (reply) => {
        if (active && reply.ok) latest.current.onWatching?.();
      });
    const onState = (e: GuestStateEvent) => latest.current.onState?.(e);
    const onCreated = (e: { id: string }) => latest.current.onCreated?.(e);
    const onDeleted = (e: { id: string }) => latest.current.onDeleted?.(e);
    socket.on("connect", watch);
    socket.on("guest:state", onState);
    socket.on("guest:created", onCreated);
    socket.on("guest:deleted", onDeleted);
    if (socket.connected) watch();
    return () => {
      active = false;
      socket.off("connect", watch);
      socket.off("guest:state", onState);
      socket.off("guest:created", onCreated);
      socket.off("guest:deleted", onDeleted);
    };
  }, [socket]);
}

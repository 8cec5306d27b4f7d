"use client";

import { useEffect, useRef } from "react";
import type { ServerToClientEvents } from "../shared/protocol";
import { useSocket, type CorralSocket } from "./socket-context";

/** The socket events that join one of the daemon's rooms (each answers with an ack). */
export type RoomJoin = "guests:watch" | "metrics:watch" | "images:watch";

export type RoomListeners = { [E in keyof ServerToClientEvents]?: ServerToClientEvents[E] };

export interface RoomOptions {
  join: RoomJoin;
  /**
   * Sent when the last component in this tab watching the room unmounts. Without it the
   * socket stays in the room until it disconnects (rooms the daemon has no leave event for).
   */
  leave?: "metrics:unwatch";
  /** The room's events, handled while mounted. */
  on: RoomListeners;
  /**
   * Called each time the room is (re)joined. Events sent before — between the page's render
   * and the first join, or while disconnected — were missed: re-read state here.
   */
  onJoined?: () => void;
  /** The daemon refused the join (e.g. the person may no longer watch this room). */
  onRefused?: (error: string) => void;
}

/** Components watching a room with a leave event, per socket: left when the last unmounts. */
const watchers = new WeakMap<CorralSocket, Map<RoomJoin, number>>();

/**
 * Joins a daemon room on the shared socket on every (re)connect — the daemon forgets a
 * socket's rooms when it drops — and handles the room's events while mounted. Handlers
 * may change on every render; the latest are called.
 */
export function useRoom(options: RoomOptions): void {
  const socket = useSocket();
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });
  const { join, leave } = options;
  // The set of events is fixed per call site; their handlers are read from `latest`.
  const events = Object.keys(options.on).sort().join(",");

  useEffect(() => {
    if (!socket) return;
    let active = true;
    const joinRoom = () =>
      socket.emit(join, (reply) => {
        if (!active) return;
        if (reply.ok) latest.current.onJoined?.();
        else latest.current.onRefused?.(reply.error);
      });
    // socket.io's typed on/off take one literal event name; these come from a list.
    const untyped = socket as unknown as {
      on(event: string, listener: (...args: unknown[]) => void): void;
      off(event: string, listener: (...args: unknown[]) => void): void;
    };
    const listeners = events
      .split(",")
      .filter(Boolean)
      .map((event) => {
        const listener = (...args: unknown[]) => {
          const handler = latest.current.on[event as keyof RoomListeners] as ((...a: unknown[]) => void) | undefined;
          handler?.(...args);
        };
        untyped.on(event, listener);
        return [event, listener] as const;
      });
    const counts = watchers.get(socket) ?? new Map<RoomJoin, number>();
    watchers.set(socket, counts);
    counts.set(join, (counts.get(join) ?? 0) + 1);
    socket.on("connect", joinRoom);
    if (socket.connected) joinRoom();
    return () => {
      active = false;
      socket.off("connect", joinRoom);
      for (const [event, listener] of listeners) untyped.off(event, listener);
      const left = (counts.get(join) ?? 1) - 1;
      counts.set(join, left);
      if (left === 0 && leave) socket.emit(leave);
    };
  }, [socket, join, leave, events]);
}

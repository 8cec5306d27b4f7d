"use client";

import { useEffect, useState } from "react";
import { useSocket } from "./socket-context";

export interface SocketStatus {
  state: "connecting" | "connected" | "reconnecting";
  /** Why the last connection attempt failed or the connection dropped. */
  reason: string | null;
}

const DISCONNECT_REASONS: Record<string, string> = {
  "transport close": "the connection to the host daemon closed",
  "transport error": "the connection to the host daemon failed",
  "ping timeout": "the host daemon stopped answering",
  "io server disconnect": "the host daemon closed the connection",
};

function describeConnectError(message: string): string {
  if (message === "websocket error" || message === "xhr poll error" || message === "timeout") {
    return `the host daemon is not answering (${message})`;
  }
  return message;
}

/** The shared socket's connection state, for status lines. */
export function useSocketStatus(): SocketStatus {
  const socket = useSocket();
  const [status, setStatus] = useState<SocketStatus>({ state: "connecting", reason: null });
  useEffect(() => {
    if (!socket) return;
    const onConnect = () => setStatus({ state: "connected", reason: null });
    const onDisconnect = (reason: string) =>
      setStatus({ state: "reconnecting", reason: DISCONNECT_REASONS[reason] ?? reason });
    const onConnectError = (err: Error) =>
      setStatus({ state: "reconnecting", reason: describeConnectError(err.message) });
    socket.on("connect", onConnect);
    socket.on("disconnect", onDisconnect);
    socket.on("connect_error", onConnectError);
    if (socket.connected) onConnect();
    return () => {
      socket.off("connect", onConnect);
      socket.off("disconnect", onDisconnect);
      socket.off("connect_error", onConnectError);
    };
  }, [socket]);
  return status;
}

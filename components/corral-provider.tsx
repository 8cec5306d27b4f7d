"use client";

import { createContext, useContext, useEffect, useState } from "react";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/protocol";

export type CorralSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const SocketContext = createContext<CorralSocket | null>(null);

/** One socket.io connection to the host daemon per tab, shared by every component. */
export function CorralProvider({ socketUrl, children }: { socketUrl: string; children: React.ReactNode }) {
  const [socket, setSocket] = useState<CorralSocket | null>(null);
  useEffect(() => {
    const s: CorralSocket = io(socketUrl, { transports: ["websocket"], withCredentials: true });
    setSocket(s);
    return () => {
      s.close();
    };
  }, [socketUrl]);
  return <SocketContext.Provider value={socket}>{children}</SocketContext.Provider>;
}

export function useSocket(): CorralSocket | null {
  return useContext(SocketContext);
}

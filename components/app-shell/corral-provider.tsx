"use client";

import { useEffect, useState } from "react";
import { io } from "socket.io-client";
import { SocketContext, type CorralSocket } from "@/lib/client/socket-context";

/** One socket.io connection to the host daemon per tab, shared by every component. */
export function CorralProvider({ socketUrl, children }: { socketUrl: string; children: React.ReactNode }) {
  const [socket, setSocket] = useState<CorralSocket | null>(null);
  useEffect(() => {
    const s: CorralSocket = io(socketUrl, { transports: ["websocket"], withCredentials: true });
    // The socket is a connection opened on mount (never during a server render) and closed
    // on unmount; the components below receive it once it exists.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setSocket(s);
    return () => {
      s.close();
    };
  }, [socketUrl]);
  return <SocketContext.Provider value={socket}>{children}</SocketContext.Provider>;
}

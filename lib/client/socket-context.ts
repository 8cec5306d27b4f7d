"use client";

import { createContext, useContext } from "react";
import type { Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../shared/protocol";

export type CorralSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The tab's one socket.io connection to the host daemon (null until it is opened). */
export const SocketContext = createContext<CorralSocket | null>(null);

export function useSocket(): CorralSocket | null {
  return useContext(SocketContext);
}

import dgram from "node:dgram";
import net from "node:net";
import type { Db } from "../db";
import { conflict } from "../errors";

export interface Forward {
  protocol: "tcp" | "udp";
  hostPort: number;
  guestPort: number;
}

/** Refuses host ports another guest already forwards (the database's unique index is the backstop). */
export async function checkForwardsFree(db: Db, forwards: Forward[], exceptGuestId?: string): Promise<void> {
  for (const f of forwards) {
    const taken = await db.portForward.findUnique({
      where: { protocol_hostPort: { protocol: f.protocol, hostPort: f.hostPort } },
      include: { guest: { select: { name: true } } },
    });
    if (taken && taken.guestId !== exceptGuestId) {
      throw conflict(
        `Host port ${f.hostPort}/${f.protocol} is already forwarded to the guest "${taken.guest.name}". Choose another.`,
      );
    }
  }
}

/** Whether a host port can be bound right now (another program may hold it). */
function portFree(protocol: "tcp" | "udp", address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (protocol === "tcp") {
      const srv = net.createServer();
      srv.once("error", () => resolve(false));
      srv.listen({ host: address, port, exclusive: true }, () => srv.close(() => resolve(true)));
    } else {
      const sock = dgram.createSocket("udp4");
      sock.once("error", () => resolve(false));
      sock.bind({ address, port, exclusive: true }, () => sock.close(() => resolve(true)));
    }
  });
}

/** Before a start: every forwarded host port must be bindable, or the start is refused. */
export async function checkForwardsBindable(address: string, forwards: Forward[]): Promise<void> {
  for (const f of forwards) {
    if (!(await portFree(f.protocol, address, f.hostPort))) {
      throw conflict(
        `Host port ${f.hostPort}/${f.protocol} on ${address} is in use by another program. Free it or change the forward.`,
      );
    }
  }
}

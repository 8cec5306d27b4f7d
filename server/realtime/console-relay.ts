// Consoles of guests another host runs, for one person's socket here: one socket.io link per
// host to that host's daemon, signed in with a fleet pass that names the person and this
// socket (hosts/fleet-pass.ts). The owning daemon's console does everything a console does —
// one writer, many viewers, numbering, resume, flow control, who may type — and sees this
// link as one more viewer of the person; this daemon only passes events both ways, so
// nothing about a console is decided twice. The viewer id is this socket's on both sides,
// and stays so across the link's reconnects: after one, each console is attached again
// from the last numbered output passed on, exactly as a browser resumes after its own.
import { io as connect, type Socket as ClientSocket } from "socket.io-client";
import type { z } from "zod";
import type {
  ClientToServerEvents,
  consoleAttachSchema,
  ConsoleDataEvent,
  ConsoleSnapshotEvent,
  ServerToClientEvents,
} from "../../lib/shared/protocol";
import type { Db } from "../db";
import { fleetActorOf } from "../hosts/fleet-actor";
import type { FleetPasses } from "../hosts/fleet-pass";
import type { GuestPlace, ThisHost } from "../hosts/guest-host";
import { logger } from "../log";
import type { Reply } from "./socket-events";
import type { SocketData } from "./socket-auth";

const log = logger("realtime");
type Attach = z.infer<typeof consoleAttachSchema>;
type LinkSocket = ClientSocket<ServerToClientEvents, ClientToServerEvents>;
type Answer = Parameters<Reply>[0];
/** How long the other daemon has to take a link or answer an event. */
const ANSWER_MS = 10_000;
/** The events a console sends its viewers, passed on to the person's socket as they come. */
const OUTBOUND = ["console:data", "console:snapshot", "console:viewers"] as const;

export type RelayedEvent =
  "console:input" | "console:resize" | "console:ack" | "console:take-control" | "console:detach";

export interface PersonSocket {
  id: string;
  data: SocketData;
  emit(event: (typeof OUTBOUND)[number], payload: unknown): unknown;
}

/** One link to one host, and the consoles attached through it (to attach again after a reconnect). */
interface Link {
  socket: LinkSocket;
  hostName: string;
  consoles: Map<string, Attach>;
}

export class ConsoleRelay {
  private readonly links = new Map<string, Link>();

  constructor(
    private readonly person: PersonSocket,
    private readonly deps: { db: Db; fleet: FleetPasses | null; here: ThisHost },
  ) {}

  /** Attaches the person to the console of `guest`, which another host runs; its daemon's answer. */
  async attach(guest: GuestPlace, payload: Attach): Promise<Answer> {
    const name = guest.host?.name ?? "another host";
    if (!this.deps.fleet)
      return refusal(
        `This guest runs on host ${name}. To open its console from host ${this.deps.here.name}, give every host the same CORRAL_FLEET_SECRET and restart their daemons.`,
      );
    const link = await this.linkTo(guest.hostId!, name);
    if (typeof link === "string") return refusal(link);
    const reply = await this.ask(link, "console:attach", payload);
    if (reply.ok) link.consoles.set(payload.guestId, payload);
    else if (link.consoles.size === 0) this.drop(guest.hostId!);
    return reply;
  }

  /** Passes an event of an attached console on; its answer, or why it could not go. */
  async forward(hostId: string, event: RelayedEvent, payload: { guestId: string }): Promise<Answer> {
    const link = this.links.get(hostId);
    if (!link?.socket.connected)
      return refusal(
        `The console's host ${link?.hostName ?? ""} is not reachable right now; Corral is reconnecting to it.`,
      );
    const attached = link.consoles.get(payload.guestId);
    if (event === "console:resize" && attached) Object.assign(attached, payload);
    if (event === "console:ack" || event === "console:resize") {
      // Flow control and sizes need no answer: passed on at once, never waited for.
      link.socket.emit(event, payload as never);
      return { ok: true };
    }
    if (event === "console:detach") {
      link.consoles.delete(payload.guestId);
      const reply = await this.ask(link, event, payload);
      if (link.consoles.size === 0) this.drop(hostId);
      return reply;
    }
    return this.ask(link, event, payload);
  }

  /** The person's socket is gone: every link closes, and the other daemons detach its viewers. */
  close(): void {
    for (const hostId of [...this.links.keys()]) this.drop(hostId);
  }

  private async linkTo(hostId: string, name: string): Promise<Link | string> {
    const open = this.links.get(hostId);
    if (open?.socket.connected) return open;
    if (open) this.drop(hostId);
    const host = await this.deps.db.host.findUnique({ where: { id: hostId }, select: { address: true } });
    if (!host) return "This guest's host is no longer registered in the fleet; an admin must look at it.";
    const actor = fleetActorOf(this.person.data.user, this.person.data.ip);
    const fleet = this.deps.fleet!;
    const socket: LinkSocket = connect(host.address, {
      transports: ["websocket"],
      forceNew: true,
      reconnectionDelay: 250,
      reconnectionDelayMax: 2000,
      // A fresh pass for every (re)connection: each is good once, for a short while.
      auth: (cb) => cb({ fleet: fleet.issue(hostId, actor, { socket: { viewer: this.person.id } }) }),
    });
    const link: Link = { socket, hostName: name, consoles: new Map() };
    this.links.set(hostId, link);
    for (const event of OUTBOUND)
      socket.on(event as "console:data", (e: ConsoleDataEvent) => {
        if (event !== "console:viewers") this.remember(link, e);
        this.person.emit(event, e);
      });
    let connected = false;
    socket.on("connect", () => {
      if (connected) this.reattach(link);
      connected = true;
    });
    // The first connection answers at once, either way: the person may try again.
    let timer: NodeJS.Timeout | undefined;
    const why = await new Promise<string | null>((resolve) => {
      timer = setTimeout(() => resolve(`no answer within ${ANSWER_MS / 1000} s`), ANSWER_MS);
      socket.once("connect", () => resolve(null));
      socket.once("connect_error", (err) => resolve(err.message));
    }).finally(() => {
      clearTimeout(timer);
      socket.off("connect_error");
    });
    if (why === null) return link;
    this.drop(hostId);
    return `This guest runs on host ${name}, whose daemon did not open its console (${why}). Check that its daemon runs (the Hosts page shows when it last reported), then try again.`;
  }

  /** The last output passed on of each console: where it resumes after the link reconnects. */
  private remember(link: Link, e: ConsoleDataEvent | ConsoleSnapshotEvent): void {
    const attached = link.consoles.get(e.guestId);
    if (attached) attached.resume = { epoch: e.epoch, seq: e.seq };
  }

  private reattach(link: Link): void {
    for (const payload of link.consoles.values()) {
      void this.ask(link, "console:attach", payload).then((reply) => {
        if (!reply.ok)
          log.warn("a relayed console did not attach again", { guestId: payload.guestId, error: reply.error });
      });
    }
  }

  private async ask(link: Link, event: "console:attach" | RelayedEvent, payload: object): Promise<Answer> {
    try {
      return (await link.socket.timeout(ANSWER_MS).emitWithAck(event as "console:attach", payload as Attach)) as Answer;
    } catch {
      return refusal(`The console's host ${link.hostName} did not answer within ${ANSWER_MS / 1000} s; try again.`);
    }
  }

  private drop(hostId: string): void {
    this.links.get(hostId)?.socket.disconnect();
    this.links.delete(hostId);
  }
}

const refusal = (error: string): Answer => ({ ok: false, error });

// Consoles of guests another host runs, for one person's socket here: one socket.io link per
// host to that host's daemon, signed in with a fleet pass that names the person and this
// socket (hosts/fleet-pass.ts). The owning daemon's console does everything a console does —
// one writer, many viewers, numbering, resume, flow control, who may type — and sees this
// link as one more viewer of the person; this daemon only passes events both ways, so
// nothing about a console is decided twice. The viewer id there is made of this host's and
// this socket's, so it stays the same across the link's reconnects: after one, each console
// is attached again from the last numbered output passed on, as a browser resumes after its own.
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
  hostId: string;
  hostName: string;
  /** Null while (re)connecting. */
  socket: LinkSocket | null;
  consoles: Map<string, Attach>;
  closed: boolean;
  /** The first connection, while it is being made: why it failed, or null. */
  opening: Promise<string | null> | null;
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
    let link = this.links.get(guest.hostId!);
    if (!link) {
      link = { hostId: guest.hostId!, hostName: name, socket: null, consoles: new Map(), closed: false, opening: null };
      this.links.set(link.hostId, link);
      const opened = link;
      link.opening = this.connect(link).then((why) => {
        opened.opening = null;
        if (why !== null) this.drop(opened);
        return why;
      });
    }
    // Consoles attached while the link opens wait for it (the first one's answer is theirs).
    const why = link.opening ? await link.opening : null;
    if (why !== null)
      return refusal(
        `This guest runs on host ${name}, whose daemon did not open its console (${why}). Check that its daemon runs (the Hosts page shows when it last reported), then try again.`,
      );
    if (!link.socket) return unreachable(link);
    const reply = await this.ask(link.socket, link, "console:attach", payload);
    if (reply.ok) link.consoles.set(payload.guestId, payload);
    else if (link.consoles.size === 0) this.drop(link);
    return reply;
  }

  /** Passes an event of an attached console on; its answer, or why it could not go. */
  async forward(hostId: string, event: RelayedEvent, payload: { guestId: string }): Promise<Answer> {
    const link = this.links.get(hostId);
    if (!link) return refusal("Attach to the console first.");
    if (event === "console:detach") link.consoles.delete(payload.guestId);
    const attached = link.consoles.get(payload.guestId);
    if (event === "console:resize" && attached) Object.assign(attached, payload);
    const socket = link.socket;
    if (!socket) {
      if (event !== "console:detach") return unreachable(link);
      if (link.consoles.size === 0) this.drop(link);
      return { ok: true };
    }
    if (event === "console:ack" || event === "console:resize") {
      // Flow control and sizes need no answer: passed on at once, never waited for.
      socket.emit(event, payload as never);
      return { ok: true };
    }
    const reply = await this.ask(socket, link, event, payload);
    if (link.consoles.size === 0) this.drop(link);
    return reply;
  }

  /** The person's socket is gone: every link closes, and the other daemons detach its viewers. */
  close(): void {
    for (const link of [...this.links.values()]) this.drop(link);
  }

  /**
   * Opens the link's socket to its host's daemon, at the address the host registered now (a
   * daemon may come back elsewhere); null once connected, else why not. The first attempt
   * answers at once either way; later ones are the link's own (reconnect).
   */
  private async connect(link: Link): Promise<string | null> {
    const host = await this.deps.db.host.findUnique({ where: { id: link.hostId }, select: { address: true } });
    if (!host) return "its host is no longer registered in the fleet";
    const actor = fleetActorOf(this.person.data.user, this.person.data.ip);
    const fleet = this.deps.fleet!;
    const socket: LinkSocket = connect(host.address, {
      transports: ["websocket"],
      forceNew: true,
      reconnection: false,
      // Good once, for a short while: each connection gets its own.
      auth: (cb) => cb({ fleet: fleet.issue(link.hostId, actor, { socket: { viewer: this.person.id } }) }),
    });
    for (const event of OUTBOUND)
      socket.on(event as "console:data", (e: ConsoleDataEvent) => {
        if (link.socket !== socket) return;
        if (event !== "console:viewers") this.remember(link, e);
        this.person.emit(event, e);
      });
    let timer: NodeJS.Timeout | undefined;
    const why = await new Promise<string | null>((resolve) => {
      timer = setTimeout(() => resolve(`no answer within ${ANSWER_MS / 1000} s`), ANSWER_MS);
      socket.once("connect", () => resolve(null));
      socket.once("connect_error", (err) => resolve(err.message));
    }).finally(() => clearTimeout(timer));
    if (why !== null || link.closed) {
      socket.disconnect();
      return why ?? "closed";
    }
    link.socket = socket;
    socket.on("disconnect", (reason) => {
      if (link.socket !== socket) return;
      link.socket = null;
      // Its daemon ended the link on purpose (the person signed out, was disabled…): not again.
      if (reason === "io server disconnect") return this.drop(link);
      if (!link.closed) this.reconnect(link, 250);
    });
    return null;
  }

  /** Until the person's socket closes: connect again, then attach each console from where it was. */
  private reconnect(link: Link, delayMs: number): void {
    setTimeout(() => {
      if (link.closed) return;
      void this.connect(link).then((why) => {
        if (link.closed) return;
        if (why !== null) return this.reconnect(link, Math.min(2 * delayMs, 2000));
        for (const payload of link.consoles.values())
          void this.ask(link.socket!, link, "console:attach", payload).then((reply) => {
            if (!reply.ok)
              log.warn("a relayed console did not attach again", { guestId: payload.guestId, error: reply.error });
          });
      });
    }, delayMs).unref();
  }

  /** The last output passed on of each console: where it resumes after the link reconnects. */
  private remember(link: Link, e: ConsoleDataEvent | ConsoleSnapshotEvent): void {
    const attached = link.consoles.get(e.guestId);
    if (attached) attached.resume = { epoch: e.epoch, seq: e.seq };
  }

  private async ask(
    socket: LinkSocket,
    link: Link,
    event: "console:attach" | RelayedEvent,
    payload: object,
  ): Promise<Answer> {
    try {
      return (await socket.timeout(ANSWER_MS).emitWithAck(event as "console:attach", payload as Attach)) as Answer;
    } catch {
      return refusal(`The console's host ${link.hostName} did not answer within ${ANSWER_MS / 1000} s; try again.`);
    }
  }

  private drop(link: Link): void {
    link.closed = true;
    link.socket?.disconnect();
    link.socket = null;
    if (this.links.get(link.hostId) === link) this.links.delete(link.hostId);
  }
}

const refusal = (error: string): Answer => ({ ok: false, error });
const unreachable = (link: Link) =>
  refusal(`The console's host ${link.hostName} is not reachable right now; Corral is reconnecting to it.`);

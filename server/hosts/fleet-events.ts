// What one daemon announces that browsers on every host must hear — guests changing state,
// created or deleted; sessions, people and tokens ended — carried between the daemons of a
// fleet by PostgreSQL's LISTEN/NOTIFY on one channel. Each daemon publishes its own bus's
// events and re-emits the others' to its own sockets (realtime/socket-server.ts), never onto
// its bus: nothing received is published again. On SQLite (one host) there is none of this.
//
// Chosen over @socket.io/postgres-adapter (in the package lists): an adapter carries every
// broadcast, so each console batch would have to be marked local or go through the database,
// and payloads past NOTIFY's 8000 bytes need a table of its own; here only these few small
// events travel, and consoles cross hosts on their own links (realtime/console-relay.ts).
import { EventEmitter } from "node:events";
import pg from "pg";
import type { DaemonEvents, EventBus } from "../events";
import { logger } from "../log";
import type { ThisHost } from "./guest-host";

const log = logger("hosts");
const CHANNEL = "corral_fleet";
/** NOTIFY takes at most 8000 bytes; these events are far smaller. */
const MAX_PAYLOAD = 7900;
const RETRY_MS = 1000;

export const FLEET_EVENTS = [
  "guest:state",
  "guest:created",
  "guest:deleted",
  "guest:migration",
  "user:signed-out",
  "session:ended",
  "token:revoked",
  "image:copy",
] as const satisfies ReadonlyArray<keyof DaemonEvents>;
type FleetEventName = (typeof FLEET_EVENTS)[number];

export class FleetEvents extends EventEmitter<DaemonEvents> {
  private client: pg.Client | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;
  /** Publishes one at a time, so the others hear this host's events in the order they happened. */
  private sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly url: string,
    private readonly here: ThisHost,
    private readonly bus: EventBus,
  ) {
    super();
  }

  async start(): Promise<void> {
    for (const name of FLEET_EVENTS) this.bus.on(name, (data: unknown) => this.publish(name, data));
    await this.listen();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.sending;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    const lost = (why: string) => {
      if (this.client !== client && this.client !== null) return;
      this.client = null;
      void client.end().catch(() => {});
      if (this.stopped) return;
      // Until it is back, this host's browsers miss the other hosts' changes (and they ours).
      log.warn("fleet events: connection to the database lost; reconnecting", { why });
      this.retry ??= setTimeout(() => {
        this.retry = null;
        this.listen().catch((err) => lost(String(err)));
      }, RETRY_MS);
    };
    client.on("error", (err) => lost(err.message));
    client.on("end", () => lost("ended"));
    client.on("notification", (m) => this.receive(m.payload));
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.client = client;
  }

  private publish(name: FleetEventName, data: unknown): void {
    const client = this.client;
    if (!client) return;
    const payload = JSON.stringify({ from: this.here.id, name, data });
    if (payload.length > MAX_PAYLOAD) return log.warn("fleet events: an event too large to send", { name });
    this.sending = this.sending
      .then(() => client.query("SELECT pg_notify($1, $2)", [CHANNEL, payload]))
      .then(
        () => {},
        (err) => log.warn("fleet events: could not send", { name, err: String(err) }),
      );
  }

  private receive(text: string | undefined): void {
    let m: { from?: unknown; name?: unknown; data?: unknown };
    try {
      m = JSON.parse(text ?? "");
    } catch {
      return;
    }
    if (m.from === this.here.id || typeof m.data !== "object" || m.data === null) return;
    const name = FLEET_EVENTS.find((n) => n === m.name);
    if (name) (this.emit as (n: string, d: unknown) => boolean)(name, m.data);
  }
}

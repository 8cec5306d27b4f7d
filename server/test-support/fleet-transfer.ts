// What tests of files moving between the hosts of a fleet (images copied, guests migrated) check
// with: each file's checksum, what a data directory holds, live events a socket saw, and images
// imported on one host and copied to another. Used with FleetRig (fleet-rig.ts).
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { ImageCopyEvent, ImageView, ServerToClientEvents } from "../../lib/shared/protocol";
import type { TestDaemon, TestSocket } from "./daemon-harness";
import type { ApiResult } from "./daemon-session";
import { buildTestImage } from "./test-image";
import { waitFor } from "./wait";

/** A refused request's JSON body. */
export type Refusal = { error: { code: string; message: string; fields?: Record<string, string> } };

/** sha256 of every regular file under `dir`, by path relative to it. */
export function fileSums(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    out[path.relative(dir, file)] = createHash("sha256").update(fs.readFileSync(file)).digest("hex");
  }
  return out;
}

/** Whether two files hold the same bytes. */
export function sameBytes(a: string, b: string): boolean {
  return fs.readFileSync(a).equals(fs.readFileSync(b));
}

/** The names in folder `sub` of daemon `d`'s data directory, sorted ([] when it is absent). */
export function filesIn(d: TestDaemon, sub: string): string[] {
  const dir = path.join(d.dataDir, sub);
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

type EventOf<K extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[K]>[0];

/**
 * Every `event` a daemon's socket received since `attach`, in order, kept across sockets (attach
 * again after the daemon restarted). `join` is the room that carries it, if one must be joined.
 */
export class EventLog<K extends keyof ServerToClientEvents> {
  readonly events: EventOf<K>[] = [];

  constructor(
    readonly event: K,
    readonly join?: "guests:watch" | "images:watch",
  ) {}

  async attach(d: TestDaemon, as?: string): Promise<TestSocket> {
    const socket = await d.socket(as);
    // socket.io's typings cannot see that the listener matches `event` for a generic K.
    (socket.on as (e: string, l: (e: EventOf<K>) => void) => void)(this.event, (e) => this.events.push(e));
    if (this.join) {
      const ack = await socket.emitWithAck(this.join);
      if (!ack.ok) throw new Error(`${this.join}: ${JSON.stringify(ack)}`);
    }
    return socket;
  }

  /** The first event seen that `match`es, waiting for it up to `timeoutMs`. */
  first(what: string, match: (e: EventOf<K>) => boolean, timeoutMs = 120_000): Promise<EventOf<K>> {
    return waitFor(what, () => this.events.find(match), timeoutMs);
  }
}

/** Copies of images as a's admins see them live. */
export class ImageCopyLog extends EventLog<"image:copy"> {
  constructor() {
    super("image:copy", "images:watch");
  }

  /** The event that ended the copy of `imageId` to `hostName` (ready or failed). */
  finished(imageId: string, hostName: string): Promise<ImageCopyEvent> {
    return this.first(
      `the copy to ${hostName} to end`,
      (e) => e.imageId === imageId && e.hostName === hostName && e.state !== "copying",
    );
  }
}

/** An image imported on `d`'s host only: a test image whose init runs `init`. */
export async function importImage(d: TestDaemon, name: string, init = "exec sleep 1000"): Promise<ImageView> {
  fs.mkdirSync(path.join(d.dataDir, "import"), { recursive: true });
  buildTestImage(path.join(d.dataDir, "import", `${name}.img`), init);
  const res = await d.api<ImageView>("POST", "/api/images/import", { name, path: `${name}.img` });
  if (res.status !== 201) throw new Error(`import ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Asks daemon `d` to copy an image to host `hostId` (as the admin, or `as`). */
export function copyImage(
  d: TestDaemon,
  imageId: string,
  hostId: unknown,
  as?: string,
): Promise<ApiResult<ImageCopyEvent & Refusal>> {
  return d.api<ImageCopyEvent & Refusal>("POST", `/api/images/${imageId}/copies`, { hostId }, { as });
}

/** The hosts image `name` is on, as [host name, copy state], as `d` lists them. */
export async function imageHosts(d: TestDaemon, name: string): Promise<Array<[string, string]>> {
  const image = (await d.api<ImageView[]>("GET", "/api/images")).body.find((i) => i.name === name);
  if (!image) throw new Error(`no image named ${name}`);
  return image.copies.map((c) => [c.hostName, c.state]);
}

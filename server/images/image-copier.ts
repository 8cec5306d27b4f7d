// Copies an image to this host from a host of the fleet that has it: this daemon asks the
// holder's daemon for the file (GET /api/fleet/images/:id/file, with a daemon's fleet pass:
// fleet-image-routes.ts), writes it under a temporary name in its images directory, hashing
// as it writes, and keeps it only when its bytes have the image's sha256 — then renames it
// and records this host's copy. Whatever fails leaves no file and no row. One copy of an
// image at a time per host: its "copying" row is the lock (unique per image and host).
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { hostReachable } from "../../lib/shared/host-reach";
import type { ImageCopyEvent } from "../../lib/shared/protocol";
import type { Config } from "../config";
import type { Db } from "../db";
import { conflict, CorralError, notFound, unavailable } from "../errors";
import { bodyDigest, DAEMON_ACTOR, FLEET_HEADER, type FleetPasses } from "../hosts/fleet-pass";
import type { ThisHost } from "../hosts/guest-host";
import { logger } from "../log";
import { COPY_COPYING, COPY_READY, copyFileName, recordCopy } from "./image-copies";
import { imagesDir } from "./image-library";
import { isPrismaError, UNIQUE_VIOLATION } from "../../lib/server/prisma-errors";

const log = logger("images");
export const COPY_PARTIAL = /^\.copy-[0-9a-f]+\.partial$/;
/** How long a holder has to start answering; the bytes then take as long as they take. */
const ANSWER_MS = 15_000;
const EVENT_MS = 250;
const ROW_MS = 1000;

export const imageFilePath = (id: string) => `/api/fleet/images/${encodeURIComponent(id)}/file`;

interface Holder {
  id: string;
  name: string;
  address: string;
}

export class ImageCopier {
  private readonly aborts = new Set<AbortController>();

  constructor(
    private readonly config: Config,
    private readonly db: Db,
    private readonly here: ThisHost,
    private readonly fleet: FleetPasses | null,
    private readonly emit: (e: ImageCopyEvent) => void,
  ) {}

  /** Forgets copies to this host a previous daemon left unfinished, and their partial files. */
  async recover(): Promise<void> {
    await this.db.imageCopy.deleteMany({ where: { hostId: this.here.id, state: COPY_COPYING } });
    const dir = imagesDir(this.config.dataDir);
    for (const f of await fs.promises.readdir(dir).catch(() => [] as string[]))
      if (COPY_PARTIAL.test(f)) await fs.promises.rm(path.join(dir, f), { force: true });
  }

  /** Stops copies under way (each removes what it wrote). */
  stop(): void {
    for (const a of this.aborts) a.abort(new Error("the daemon is stopping"));
  }

  /**
   * Starts copying image `imageId` here: refused at once (nothing written) when it is here
   * already, on its way, on no reachable host, or the fleet has no secret. `done` settles when
   * the copy is whole (or failed, with why).
   */
  async start(imageId: string): Promise<{ event: ImageCopyEvent; done: Promise<ImageCopyEvent> }> {
    const image = await this.db.image.findUnique({
      where: { id: imageId },
      include: { copies: { include: { host: true } } },
    });
    if (!image) throw notFound("No such image.");
    const mine = image.copies.find((c) => c.hostId === this.here.id);
    if (mine?.state === COPY_READY) throw conflict(`The image "${image.name}" is on host ${this.here.name} already.`);
    if (mine) throw conflict(`The image "${image.name}" is being copied to host ${this.here.name} already.`);
    if (!this.fleet)
      throw unavailable(
        `Host ${this.here.name} has no CORRAL_FLEET_SECRET, so it cannot fetch images from other hosts. ` +
          `Give every host the same secret and restart their daemons.`,
      );
    const now = new Date();
    const ready = image.copies.filter((c) => c.state === COPY_READY);
    const holders: Holder[] = ready
      .filter((c) => hostReachable(c.host, now))
      .map((c) => ({ id: c.host.id, name: c.host.name, address: c.host.address }));
    if (!holders.length) {
      const down = ready.map((c) => c.host.name);
      throw down.length
        ? unavailable(
            `The image "${image.name}" is only on ${down.join(", ")}, which cannot be reached now. ` +
              `Start that host's daemon, then copy again.`,
          )
        : conflict(`No host of the fleet has the image "${image.name}", so it cannot be copied. Import it again.`);
    }
    const dir = imagesDir(this.config.dataDir);
    await fs.promises.mkdir(dir, { recursive: true });
    const dest = copyFileName(dir, image.name, image.sha256);
    try {
      await this.db.imageCopy.create({
        data: { imageId, hostId: this.here.id, path: dest, sizeBytes: image.sizeBytes, state: COPY_COPYING },
      });
    } catch (err) {
      if (isPrismaError(err, UNIQUE_VIOLATION))
        throw conflict(`The image "${image.name}" is being copied to host ${this.here.name} already.`);
      throw err;
    }
    const event = (
      state: ImageCopyEvent["state"],
      copiedBytes: number,
      error: string | null = null,
    ): ImageCopyEvent => ({
      imageId,
      imageName: image.name,
      hostId: this.here.id,
      hostName: this.here.name,
      state,
      copiedBytes,
      sizeBytes: Number(image.sizeBytes),
      error,
    });
    const first = event("copying", 0);
    this.emit(first);
    log.info("copying an image to this host", { image: image.name, from: holders.map((h) => h.name) });
    const done = this.copyFrom(holders, { id: imageId, name: image.name, sha256: image.sha256, dest }, event);
    return { event: first, done };
  }

  private async copyFrom(
    holders: Holder[],
    image: { id: string; name: string; sha256: string; dest: string },
    event: (state: ImageCopyEvent["state"], bytes: number, error?: string | null) => ImageCopyEvent,
  ): Promise<ImageCopyEvent> {
    const reasons: string[] = [];
    for (const holder of holders) {
      try {
        const bytes = await this.fetchInto(holder, image, (n) => this.emit(event("copying", n)));
        try {
          await recordCopy(this.db, image.id, this.here.name, image.dest);
        } catch (err) {
          await fs.promises.rm(image.dest, { force: true });
          throw err;
        }
        log.info("image copied to this host", { image: image.name, from: holder.name, bytes });
        const ready = event("ready", bytes);
        this.emit(ready);
        return ready;
      } catch (err) {
        reasons.push(`from ${holder.name}: ${(err as Error).message}`);
      }
    }
    const error = `Copying the image "${image.name}" to host ${this.here.name} failed (${reasons.join("; ")}); nothing was kept.`;
    log.warn("image copy failed", { image: image.name, error });
    await this.db.imageCopy
      .deleteMany({ where: { imageId: image.id, hostId: this.here.id, state: COPY_COPYING } })
      .catch((err) => log.warn("could not forget a failed copy", { err: String(err) }));
    const failed = event("failed", 0, error);
    this.emit(failed);
    return failed;
  }

  /** Writes the holder's file to `image.dest` when its bytes are the image's; the bytes copied. */
  private async fetchInto(
    holder: Holder,
    image: { id: string; sha256: string; dest: string },
    progress: (bytes: number) => void,
  ): Promise<number> {
    const route = imageFilePath(image.id);
    const pass = this.fleet!.issue(holder.id, DAEMON_ACTOR, {
      http: { method: "GET", path: route, body: bodyDigest() },
    });
    const abort = new AbortController();
    this.aborts.add(abort);
    const answer = setTimeout(() => abort.abort(new Error("its daemon did not answer in time")), ANSWER_MS);
    const partial = path.join(path.dirname(image.dest), `.copy-${randomBytes(6).toString("hex")}.partial`);
    try {
      const res = await fetch(new URL(route, holder.address), {
        headers: { [FLEET_HEADER]: pass },
        redirect: "error",
        signal: abort.signal,
      }).catch((err: Error & { cause?: { code?: string } }) => {
        throw new CorralError("unavailable", `its daemon did not answer (${err.cause?.code ?? err.message})`);
      });
      clearTimeout(answer);
      if (!res.ok || !res.body) {
        const said = await res.json().then(
          (b: { error?: { message?: string } }) => b.error?.message,
          () => undefined,
        );
        throw new Error(`it answered ${res.status}${said ? `: ${said}` : ""}`);
      }
      const hash = createHash("sha256");
      let bytes = 0;
      let told = 0;
      let stored = 0;
      const meter = new Transform({
        transform: (chunk: Buffer, _enc, next) => {
          hash.update(chunk);
          bytes += chunk.length;
          const now = Date.now();
          if (now - told >= EVENT_MS) {
            told = now;
            progress(bytes);
          }
          if (now - stored >= ROW_MS) {
            stored = now;
            void this.db.imageCopy
              .updateMany({
                where: { imageId: image.id, hostId: this.here.id, state: COPY_COPYING },
                data: { copiedBytes: BigInt(bytes) },
              })
              .catch(() => {});
          }
          next(null, chunk);
        },
      });
      await pipeline(
        Readable.fromWeb(res.body as never),
        meter,
        fs.createWriteStream(partial, { flags: "wx", mode: 0o600 }),
        {
          signal: abort.signal,
        },
      );
      const sha256 = hash.digest("hex");
      if (sha256 !== image.sha256)
        throw new Error(
          `its file's checksum (${sha256.slice(0, 12)}…) is not the image's (${image.sha256.slice(0, 12)}…)`,
        );
      await fs.promises.chmod(partial, 0o444);
      await fs.promises.link(partial, image.dest).catch(() => {
        throw new Error(`a file is already at ${image.dest}`);
      }); // never replaces: a file already there wins
      progress(bytes);
      return bytes;
    } finally {
      clearTimeout(answer);
      this.aborts.delete(abort);
      await fs.promises.rm(partial, { force: true });
    }
  }
}

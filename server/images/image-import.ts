import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { importImageSchema, uploadImageQuerySchema, type ImageView } from "../../lib/shared/protocol";
import type { Config } from "../config";
import type { Db } from "../db";
import { conflict, CorralError, invalid, notFound, parseInput, tooLarge } from "../errors";
import { logger } from "../log";
import { checkExtFilesystem, type ExtCheck } from "./ext-superblock";
import { toImageView } from "../../lib/shared/row-views";
import { imagesDir, registerImage } from "./image-library";
import { isPrismaError, UNIQUE_VIOLATION } from "../../lib/server/prisma-errors";

const log = logger("images");
const PARTIAL_SUFFIX = ".partial";

/** Makes the import directory and removes partial files an interrupted import left behind. */
export function prepareImageDirs(config: Config): void {
  fs.mkdirSync(config.importDir, { recursive: true });
  const dir = imagesDir(config.dataDir);
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(dir)) {
    if (f.startsWith(".import-") && f.endsWith(PARTIAL_SUFFIX)) fs.rmSync(path.join(dir, f), { force: true });
  }
}

// A refusal sent while the client is still sending makes the server close the connection,
// and most clients (browsers included) then report a reset instead of the answer. Reading
// a refused body to its end lets the answer arrive; past this much, the connection is cut.
const DISCARD_MAX_BYTES = 64 * 1024 * 1024;

async function discardBody(body: ReadableStream<Uint8Array> | null): Promise<void> {
  if (!body) return;
  const reader = body.getReader();
  let seen = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      seen += value.length;
      if (seen > DISCARD_MAX_BYTES) return void (await reader.cancel());
    }
  } catch {
    // the client went away: nothing to answer
  }
}

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

/**
 * Adds existing root filesystems to the image library: a file from the import directory,
 * or a browser upload streamed to disk. Either way the bytes land in a partial file in the
 * images directory, hashed as they are written, and become an image only once they are a
 * whole ext2/3/4 filesystem under a free name. Whatever fails removes the partial file:
 * a refused import leaves nothing on disk and nothing in the database.
 */
export class ImageImporter {
  constructor(
    private readonly config: Config,
    private readonly db: Db,
  ) {}

  async importFromPath(input: unknown): Promise<ImageView> {
    const { name, path: rel } = parseInput(importImageSchema, input);
    await this.ensureNameFree(name);
    const source = await this.resolveInImportDir(rel);
    // The type is read from the path, never by opening it: opening a FIFO for reading waits
    // for a writer, and a device or socket is no image either.
    const seen = await fs.promises.lstat(source).catch(() => {
      throw notFound(`There is no file "${rel}" in the import directory (${this.config.importDir}).`);
    });
    if (!seen.isFile()) {
      throw invalid(`"${rel}" is ${describeFileType(seen)}, not a regular file.`, {
        path: "Only regular files can be imported.",
      });
    }
    // O_NONBLOCK: were the path swapped for a FIFO since the check, opening still returns
    // at once, and the inode comparison below refuses what was opened.
    const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = fs.constants;
    const handle = await fs.promises.open(source, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    let stream: fs.ReadStream | null = null; // owns `handle` once made
    try {
      // Everything below reads this handle, so the file checked is the file copied.
      const st = await handle.stat();
      if (!st.isFile() || st.ino !== seen.ino || st.dev !== seen.dev) {
        throw invalid(`"${rel}" changed while it was being imported; nothing was kept. Try again.`, {
          path: "Only regular files can be imported.",
        });
      }
      const check = await checkExtFilesystem(handle, st.size);
      if (!check.ok) throw invalid(`"${rel}" was refused. ${check.reason}`, { path: check.reason });
      stream = handle.createReadStream({ start: 0 });
      const image = await this.land(name, stream, { declared: st.size, limit: Infinity });
      log.info("image imported", { image: name, from: source, bytes: st.size });
      return image;
    } finally {
      if (!stream) await handle.close();
    }
  }

  /**
   * Streams an upload to disk, never holding more than a chunk in memory. `declared` is the
   * size the client announced (query `size=` or Content-Length): refused at once when over
   * the limit; otherwise the limit is enforced on the bytes as they arrive.
   */
  async importUpload(query: unknown, body: ReadableStream<Uint8Array> | null, contentLength: number | null) {
    let declared: number | null;
    let name: string;
    try {
      const q = parseInput(uploadImageQuerySchema, query);
      name = q.name;
      declared = q.size ?? contentLength;
      const limit = this.config.uploadMaxBytes;
      if (declared !== null && declared > limit) {
        throw tooLarge(`The file is ${mib(declared)}; uploads are limited to ${mib(limit)} (CORRAL_UPLOAD_MAX_MIB).`);
      }
      if (!body) throw invalid("The upload has no body: send the image file as the request body.");
      await this.ensureNameFree(name);
    } catch (err) {
      await discardBody(body);
      throw err;
    }
    const image = await this.land(name, Readable.fromWeb(body as never), {
      declared,
      limit: this.config.uploadMaxBytes,
    });
    log.info("image uploaded", { image: name, bytes: image.sizeBytes });
    return image;
  }

  private async ensureNameFree(name: string): Promise<void> {
    if (await this.db.image.findUnique({ where: { name }, select: { id: true } })) {
      throw conflict(`An image named "${name}" already exists.`);
    }
  }

  /** The real path of `rel` inside the import directory; refused if it resolves outside. */
  private async resolveInImportDir(rel: string): Promise<string> {
    const root = await fs.promises.realpath(this.config.importDir);
    let real: string;
    try {
      real = await fs.promises.realpath(path.resolve(root, rel));
    } catch {
      throw notFound(`There is no file "${rel}" in the import directory (${this.config.importDir}).`);
    }
    if (!real.startsWith(root + path.sep)) {
      throw invalid(`"${rel}" resolves outside the import directory; only files inside ${root} can be imported.`, {
        path: "Outside the import directory.",
      });
    }
    return real;
  }

  /** Writes `source` to a partial file, checks it, and registers it; removes it on any failure. */
  private async land(
    name: string,
    source: Readable,
    { declared, limit }: { declared: number | null; limit: number },
  ): Promise<ImageView> {
    const dir = imagesDir(this.config.dataDir);
    const partial = path.join(dir, `.import-${randomBytes(6).toString("hex")}${PARTIAL_SUFFIX}`);
    const dest = path.join(dir, `${name}.img`);
    const hash = createHash("sha256");
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        if (bytes > limit) return done(tooLarge(`The upload passed the ${mib(limit)} limit (CORRAL_UPLOAD_MAX_MIB).`));
        if (declared !== null && bytes > declared) return done(invalid("The upload is longer than its stated size."));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    let linked = false;
    try {
      try {
        await pipeline(source, meter, fs.createWriteStream(partial, { flags: "wx", mode: 0o600 }));
      } catch (err) {
        if (err instanceof CorralError) throw err;
        throw invalid(`The upload did not complete (${(err as Error).message}); nothing was kept.`);
      }
      if (declared !== null && bytes !== declared) {
        throw invalid(`The upload ended after ${bytes} of ${declared} bytes; nothing was kept.`);
      }
      const written = await fs.promises.open(partial, "r");
      let check: ExtCheck;
      try {
        check = await checkExtFilesystem(written, bytes);
      } finally {
        await written.close();
      }
      if (!check.ok) throw invalid(`The file was refused. ${check.reason}`, { file: check.reason });
      await fs.promises.chmod(partial, 0o444);
      try {
        await fs.promises.link(partial, dest); // never replaces: a file already there wins
      } catch {
        throw conflict(`A file named ${name}.img is already in the images directory; choose another name.`);
      }
      linked = true;
      const image = await registerImage(this.db, {
        name,
        path: dest,
        sha256: hash.digest("hex"),
        hostName: this.config.fleetHost.name,
      });
      return toImageView(image, 0);
    } catch (err) {
      if (linked) await fs.promises.rm(dest, { force: true });
      if (err instanceof CorralError) throw err;
      if (isPrismaError(err, UNIQUE_VIOLATION)) throw conflict(`An image named "${name}" already exists.`);
      throw err;
    } finally {
      source.destroy();
      await fs.promises.rm(partial, { force: true });
    }
  }
}

/** What a host path is, in words, for a refusal: "a FIFO (named pipe)", "a directory", … */
function describeFileType(st: fs.Stats): string {
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isDirectory()) return "a directory";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSymbolicLink()) return "a symbolic link";
  return "of another kind";
}

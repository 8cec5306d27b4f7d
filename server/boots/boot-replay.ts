import fs from "node:fs";
import type { Db } from "../db";
import { bootLogPath, guestPaths } from "../uml/paths";
import { castOutput, parseCast } from "./asciicast";

// A screen needs only the last few screenfuls; the tail keeps a huge log from being read whole.
const TAIL_BYTES = 256 * 1024;

/** The end of the last boot's console output, to redraw a console's screen. */
export async function lastBootOutput(db: Db, dataDir: string, runDir: string, guestId: string): Promise<string | null> {
  const boot = await db.boot.findFirst({ where: { guestId }, orderBy: { number: "desc" }, select: { number: true } });
  if (!boot) return null;
  const file = bootLogPath(guestPaths(dataDir, runDir, guestId), boot.number);
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch {
    return null; // no log: never written, or pruned
  }
  try {
    const size = (await handle.stat()).size;
    const head = Buffer.alloc(Math.min(size, 4096));
    await handle.read(head, 0, head.length, 0);
    const header = head.toString("utf8").split("\n", 1)[0];
    const start = Math.max(0, size - TAIL_BYTES);
    const buf = Buffer.alloc(size - start);
    await handle.read(buf, 0, buf.length, start);
    let body = buf.toString("utf8");
    // Drop the partial first line of a tail (or the header of a whole file).
    body = body.slice(body.indexOf("\n") + 1);
    return castOutput(parseCast(`${header}\n${body}`).events);
  } finally {
    await handle.close();
  }
}

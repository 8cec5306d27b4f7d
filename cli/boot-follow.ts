// `corral boots log GUEST --follow`: the live boot's log as it grows, exactly once. The log
// route streams the file as it is when asked; each poll skips the bytes already printed
// and prints only whole lines (the daemon may be mid-way through writing the last one), so
// nothing is lost or repeated. Stops after the read that follows the boot's end.
import { guestApiPath } from "../lib/shared/api-client";
import type { BootView, GuestView } from "../lib/shared/protocol";
import type { Api } from "./api";
import { notice } from "./output";
import { writeOut } from "./streams";

const POLL_MS = 500;

export async function followBootLog(
  api: Api,
  guest: GuestView,
  number: number,
  opts: { cast: boolean },
): Promise<void> {
  const logPath = `${guestApiPath(guest.id, "boots", number, "log")}?format=cast`;
  let offset = 0;
  for (;;) {
    // Read before the log: once the boot has ended, the log read after it is complete.
    const boot = (await api.get<BootView[]>(guestApiPath(guest.id, "boots"))).find((b) => b.number === number);
    const fresh = await readFrom(await api.raw(logPath), offset);
    const end = fresh.lastIndexOf(0x0a);
    if (end >= 0) {
      const lines = fresh
        .subarray(0, end + 1)
        .toString("utf8")
        .split("\n")
        .slice(0, -1);
      for (const [i, line] of lines.entries()) {
        const out = opts.cast ? line + "\n" : outputOf(line, offset === 0 && i === 0);
        if (out && !(await writeOut(out))) return;
      }
      offset += end + 1;
    }
    if (!boot || boot.endedAt) {
      if (!opts.cast) notice(`\n[boot ${number} of ${guest.name} ended: ${boot?.outcome ?? "gone"}]`);
      return;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** What an asciicast line printed: the data of an output event ("o"); nothing for the rest. */
function outputOf(line: string, isHeader: boolean): string {
  if (isHeader || !line) return "";
  try {
    const event = JSON.parse(line) as unknown;
    return Array.isArray(event) && event[1] === "o" && typeof event[2] === "string" ? event[2] : "";
  } catch {
    return "";
  }
}

/** The body from byte `offset` on (the bytes before it are read and dropped, not kept). */
async function readFrom(res: Response, offset: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let skip = offset;
  for await (const chunk of (res.body ?? []) as unknown as AsyncIterable<Uint8Array>) {
    const buf = Buffer.from(chunk);
    if (skip >= buf.length) {
      skip -= buf.length;
      continue;
    }
    parts.push(buf.subarray(skip));
    skip = 0;
  }
  return Buffer.concat(parts);
}

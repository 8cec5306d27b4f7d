// A boot log grown as a guest printing for minutes would grow it (the real console prints
// about 2 MB/s, too slow to wait for): complete asciicast lines appended, never read back.
import fs from "node:fs/promises";
import { encodeCastEvent } from "../boots/asciicast";
import type { TestDaemon } from "./daemon-harness";
import { bootLogPath, guestPaths } from "../uml/paths";

/** Appends `lines` console lines ("printed line <n> ====…", ~100 bytes of cast each); returns the file. */
export async function growBootLog(daemon: TestDaemon, guestId: string, boot: number, lines: number): Promise<string> {
  const file = bootLogPath(guestPaths(daemon.dataDir, daemon.runDir, guestId), boot);
  const handle = await fs.open(file, "a");
  try {
    for (let i = 0; i < lines; i += 10_000) {
      let chunk = "";
      for (let j = i; j < Math.min(lines, i + 10_000); j++)
        chunk += encodeCastEvent(10 + j / 1000, "o", `printed line ${j} ${"=".repeat(60)}\r\n`);
      await handle.write(chunk);
    }
  } finally {
    await handle.close();
  }
  return file;
}

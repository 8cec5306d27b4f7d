import type { GuestSelfReport } from "../drivers/guest-driver";
import type { MconsoleSession } from "../uml/mconsole-session";
import { memoryUse, parseLoad1, parseMeminfo } from "./proc-text";

export type GuestReport = GuestSelfReport;

/**
 * What the guest itself says about its memory and load, read from its /proc through
 * mconsole — no agent inside the guest. Both files are asked for at once (one round trip)
 * and their replies, which may come in either order, told apart by their text. Null when
 * the guest does not answer both in time (booting, rebooting, wedged) or its memory cannot
 * be read: a sample then has host-side figures only.
 */
export async function readGuestReport(
  session: MconsoleSession,
  mconsoleSocket: string,
  timeoutMs: number,
): Promise<GuestReport | null> {
  const replies = await session.exchange(mconsoleSocket, ["proc meminfo", "proc loadavg"], timeoutMs).catch(() => null);
  if (!replies) return null;
  let meminfo: string | null = null;
  let loadavg: string | null = null;
  for (const r of replies) {
    if (!r.ok) continue;
    if (r.text.includes("MemTotal:")) meminfo = r.text;
    else loadavg = r.text;
  }
  const mem = meminfo === null ? null : memoryUse(parseMeminfo(meminfo));
  if (!mem) return null;
  return { memTotalKiB: mem.totalKiB, memUsedKiB: mem.usedKiB, load1: loadavg === null ? null : parseLoad1(loadavg) };
}

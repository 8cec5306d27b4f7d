import type { GuestSelfReport } from "../drivers/guest-driver";
import type { MconsoleSession } from "../uml/mconsole-session";
import { memoryUse, parseLoad1, parseMeminfo } from "./proc-text";

export type GuestReport = GuestSelfReport;

/**
 * What the guest itself says about its memory and load, read from its /proc through
 * mconsole — no agent inside the guest. Null when the guest does not answer in time
 * (booting, rebooting, wedged): a sample then has host-side figures only.
 */
export async function readGuestReport(
  session: MconsoleSession,
  mconsoleSocket: string,
  timeoutMs: number,
): Promise<GuestReport | null> {
  const ask = (cmd: string) => session.request(mconsoleSocket, cmd, timeoutMs).catch(() => null);
  // One after the other: a session carries one request at a time.
  const meminfo = await ask("proc meminfo");
  const loadavg = meminfo === null ? null : await ask("proc loadavg");
  const mem = meminfo === null ? null : memoryUse(parseMeminfo(meminfo));
  if (!mem) return null;
  return { memTotalKiB: mem.totalKiB, memUsedKiB: mem.usedKiB, load1: loadavg === null ? null : parseLoad1(loadavg) };
}

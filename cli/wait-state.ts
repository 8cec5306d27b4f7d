// `--wait`: follow a guest until a power action has done what it was asked, by reading its
// state (the daemon decides transitions; this only watches). A guest that ends up crashed
// or stopped instead is reported with the reason the daemon gave.
import { guestApiPath } from "../lib/shared/api-client";
import type { GuestView, PowerAction } from "../lib/shared/protocol";
import type { Api } from "./api";
import { CliError, EXIT } from "./exit-codes";

const POLL_MS = 250;

export async function waitForAction(
  api: Api,
  before: GuestView,
  action: PowerAction,
  timeoutSeconds: number,
): Promise<GuestView> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  const bootBefore = before.lastBoot?.number ?? 0;
  for (;;) {
    const g = await api.get<GuestView>(guestApiPath(before.id));
    const boot = g.lastBoot?.number ?? 0;
    const settled = g.state === "stopped" || g.state === "crashed";
    if (action === "start" || action === "reboot") {
      if (g.state === "running" && (action === "start" || boot > bootBefore)) return g;
      // A new boot began and then ended: the guest did not come up.
      if (settled && boot > bootBefore) throw didNot(g, action === "start" ? "start" : "come back up");
    } else if (settled) {
      return g;
    }
    if (Date.now() > deadline)
      throw new CliError(
        `Gave up waiting after ${timeoutSeconds} s: guest "${g.name}" is ${g.state}. ` +
          "It may still get there; check with `corral guests show`, or wait longer with --timeout.",
      );
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

function didNot(g: GuestView, what: string): CliError {
  const why = [g.stateReason, g.lastBoot?.outcome, g.lastBoot?.detail].filter(Boolean).join("; ");
  return new CliError(
    `Guest "${g.name}" did not ${what}: it is ${g.state}${why ? ` (${why})` : ""}. ` +
      `\`corral boots log ${g.name}\` shows what it printed.`,
    EXIT.error,
  );
}

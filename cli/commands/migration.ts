// `corral guests migrate GUEST HOST` and `corral hosts evacuate HOST` (admins): moving stopped
// guests between the fleet's hosts. A move shows its bytes on a terminal as they go.
import type { Command } from "commander";
import { guestApiPath } from "../../lib/shared/api-client";
import { formatBytes, formatDuration } from "../../lib/shared/format";
import type { EvacuationResult, GuestView, MigrationResult } from "../../lib/shared/protocol";
import type { Api } from "../api";
import { act } from "../context";
import { findGuest, findHost } from "../lookup";
import { print, renderTable } from "../output";
import { ProgressBar } from "../progress";

export function addMigrateCommand(guests: Command): void {
  guests
    .command("migrate <guest> <host>")
    .description("move a stopped guest, with its disk, snapshots and boot logs, to another host (admins)")
    .action(
      act<[string, string]>(async ({ api, json }, [ref, hostRef]) => {
        const guest = await findGuest(api, ref);
        const host = await findHost(api, hostRef);
        const stopProgress = process.stderr.isTTY ? await showProgress(api, guest) : () => {};
        try {
          const moved = await api.postLong<MigrationResult>(guestApiPath(guest.id, "migrate"), { hostId: host.id });
          stopProgress();
          print(
            json,
            moved,
            (m) =>
              `${guest.name} moved from ${m.fromHostName} to ${m.toHostName}: ${m.files} files, ${formatBytes(m.bytes)} in ${formatDuration(m.ms)}.\n`,
          );
        } finally {
          stopProgress();
        }
      }),
    );
}

export function addEvacuateCommand(hosts: Command): void {
  hosts
    .command("evacuate <host>")
    .description("move every stopped guest off a host in maintenance, each where Corral would place it (admins)")
    .action(
      act<[string]>(async ({ api, json }, [ref]) => {
        const host = await findHost(api, ref);
        const result = await api.postLong<EvacuationResult>(`/api/hosts/${encodeURIComponent(host.id)}/evacuate`);
        print(json, result, (r) =>
          r.guests.length
            ? renderTable(r.guests, [
                { header: "guest", value: (g) => g.guestName },
                { header: "outcome", value: (g) => (g.outcome === "moved" ? `moved to ${g.hostName}` : g.outcome) },
                { header: "why", value: (g) => g.reason ?? "" },
              ])
            : `Host ${r.hostName} runs no guests.\n`,
        );
      }),
    );
}

/** Draws the move's bytes from the daemon's live events; returns what stops drawing. */
async function showProgress(api: Api, guest: GuestView): Promise<() => void> {
  const { connectSocket, emitChecked } = await import("../socket");
  const socket = await connectSocket(api);
  await emitChecked(socket, "guests:watch");
  let bar: ProgressBar | null = null;
  socket.on("guest:migration", (e) => {
    if (e.id !== guest.id) return;
    bar ??= new ProgressBar(`${guest.name} → ${e.toHostName}`, e.bytesTotal);
    bar.update(e.bytesDone, e.phase !== "copying");
  });
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    bar?.finish();
    socket.close();
  };
}

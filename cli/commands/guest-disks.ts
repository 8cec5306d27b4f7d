// `corral guests snapshot|snapshots|revert|delete-snapshot|reset|clone|commit`: a guest's disk.
import type { Command } from "commander";
import { guestApiPath } from "../../lib/shared/api-client";
import { formatBytes, formatDuration } from "../../lib/shared/format";
import {
  cloneGuestSchema,
  commitGuestSchema,
  takeSnapshotSchema,
  type GuestView,
  type ImageView,
  type SnapshotView,
} from "../../lib/shared/protocol";
import { act } from "../context";
import { renderGuest, renderSnapshots } from "../guest-views";
import { findGuest, findSnapshot } from "../lookup";
import { print } from "../output";
import { checked } from "../values";

export function addGuestDiskCommands(guests: Command): void {
  guests
    .command("snapshots <guest>")
    .description("list a guest's snapshots")
    .action(
      act<[string]>(async ({ api, json }, [ref]) => {
        const guest = await findGuest(api, ref);
        print(json, await api.get<SnapshotView[]>(guestApiPath(guest.id, "snapshots")), renderSnapshots);
      }),
    );

  guests
    .command("snapshot <guest> <name>")
    .description("save the guest's disk changes as a named snapshot (the guest stopped)")
    .action(
      act<[string, string]>(async ({ api, json }, [ref, name]) => {
        const guest = await findGuest(api, ref);
        const body = checked(takeSnapshotSchema, { name }, "snapshot");
        const snapshot = await api.post<SnapshotView>(guestApiPath(guest.id, "snapshots"), body);
        print(json, snapshot, (s) => `Snapshot ${s.name} of ${guest.name} taken (${formatBytes(s.sizeBytes)}).\n`);
      }),
    );

  guests
    .command("revert <guest> <snapshot>")
    .description("put the guest's disk back as it was at a snapshot (the guest stopped)")
    .action(
      act<[string, string]>(async ({ api, json }, [ref, snapshotRef]) => {
        const guest = await findGuest(api, ref);
        const snapshot = await findSnapshot(api, guest, snapshotRef);
        const after = await api.post<GuestView>(guestApiPath(guest.id, "snapshots", snapshot.id, "revert"));
        print(json, after, (g) => `${g.name} reverted to snapshot ${snapshot.name}.\n`);
      }),
    );

  guests
    .command("delete-snapshot <guest> <snapshot>")
    .description("delete one of a guest's snapshots")
    .action(
      act<[string, string]>(async ({ api, json }, [ref, snapshotRef]) => {
        const guest = await findGuest(api, ref);
        const snapshot = await findSnapshot(api, guest, snapshotRef);
        await api.delete(guestApiPath(guest.id, "snapshots", snapshot.id));
        print(json, { deleted: snapshot.id, name: snapshot.name }, () => `Deleted snapshot ${snapshot.name}.\n`);
      }),
    );

  guests
    .command("reset <guest>")
    .description("discard the guest's disk changes: back to its pristine image")
    .option("--stop-first", "force a running guest off first (otherwise a running guest is refused)")
    .action(
      act<[string], { stopFirst?: boolean }>(async ({ api, json }, [ref], o) => {
        const guest = await findGuest(api, ref);
        const result = await api.post<{ guest: GuestView; discardedBytes: number; ms: number }>(
          guestApiPath(guest.id, "reset"),
          { stopFirst: !!o.stopFirst },
        );
        print(
          json,
          result,
          (r) =>
            `${r.guest.name} reset: ${formatBytes(r.discardedBytes)} of changes discarded in ${formatDuration(r.ms)}.\n`,
        );
      }),
    );

  guests
    .command("clone <guest> <name>")
    .description("make a new guest with a copy of this one's disk (the guest stopped)")
    .action(
      act<[string, string]>(async ({ api, json }, [ref, name]) => {
        const guest = await findGuest(api, ref);
        const body = checked(cloneGuestSchema, { name }, "clone");
        print(json, await api.post<GuestView>(guestApiPath(guest.id, "clone"), body), renderGuest);
      }),
    );

  guests
    .command("commit <guest> <image-name>")
    .description("save the guest's disk (image and changes) as a new image (the guest stopped)")
    .action(
      act<[string, string]>(async ({ api, json }, [ref, imageName]) => {
        const guest = await findGuest(api, ref);
        const body = checked(commitGuestSchema, { imageName }, "commit");
        const image = await api.post<ImageView>(guestApiPath(guest.id, "commit"), body);
        print(json, image, (i) => `Committed ${guest.name} as image ${i.name} (${formatBytes(i.sizeBytes)}).\n`);
      }),
    );
}

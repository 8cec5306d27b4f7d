"use client";

import { Camera, Copy, HardDriveDownload, RotateCcw } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiPost, guestApiPath } from "@/lib/shared/api-client";
import { guestNameSchema, imageNameSchema, snapshotNameSchema } from "@/lib/shared/protocol";
import type { GuestView, SnapshotView } from "@/lib/shared/protocol";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { PromptDialog } from "../ui/prompt-dialog";
import { SnapshotList } from "./snapshot-list";
import { FormAlert, FormDone } from "../ui/form-field";

type Dialog = "reset" | "snapshot" | "clone" | "commit" | null;

/**
 * The guest's disk: its changes sit in a copy-on-write layer over a pristine image, so it
 * can be reset in seconds, snapshotted, cloned or committed into a new image. Without
 * `editable` (a manager, say) it only lists the snapshots.
 */
export function GuestDisk({
  guest,
  snapshots,
  editable,
}: {
  guest: GuestView;
  snapshots: SnapshotView[];
  editable: boolean;
}) {
  const router = useRouter();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const live = guest.state === "booting" || guest.state === "running" || guest.state === "stopping";

  async function run<T>(label: string, path: string, body: unknown, done: (data: T) => string) {
    setDialog(null);
    setBusy(label);
    setError(null);
    setNotice(null);
    const r = await apiPost<T>(guestApiPath(guest.id, path), body);
    setBusy(null);
    if (!r.ok) return setError(r.message);
    setNotice(done(r.data));
    router.refresh();
  }

  return (
    <Card title="Disk" aside={<span>over image {guest.imageName}</span>} bodyClassName="flex flex-col gap-4 p-4">
      {editable && (
        <div className="flex flex-wrap items-center gap-2">
          <Button onClick={() => setDialog("reset")} disabled={!!busy || guest.state === "stopping"}>
            <RotateCcw className="size-4" aria-hidden /> Reset to pristine
          </Button>
          <Button onClick={() => setDialog("snapshot")} disabled={!!busy || live}>
            <Camera className="size-4" aria-hidden /> Take snapshot
          </Button>
          <Button onClick={() => setDialog("clone")} disabled={!!busy || live}>
            <Copy className="size-4" aria-hidden /> Clone
          </Button>
          <Button onClick={() => setDialog("commit")} disabled={!!busy || live}>
            <HardDriveDownload className="size-4" aria-hidden /> Commit to image
          </Button>
          {busy && <span className="text-sm text-slate-500">{busy}…</span>}
          {live && !busy && (
            <span className="text-xs text-slate-500">
              Snapshots, clones and commits need the guest stopped, so the copy is consistent.
            </span>
          )}
        </div>
      )}
      <FormAlert message={error} boxed />
      {notice && <FormDone>{notice}</FormDone>}
      <SnapshotList guestId={guest.id} snapshots={snapshots} live={live} editable={editable} onError={setError} />

      {dialog === "reset" && (
        <ConfirmDialog
          title={`Reset ${guest.name} to pristine?`}
          confirmLabel="Reset disk"
          tone="danger"
          onCancel={() => setDialog(null)}
          onConfirm={() =>
            run(
              "Resetting",
              "reset",
              { stopFirst: live },
              (d: { discardedBytes: number }) =>
                `Reset to pristine: ${(d.discardedBytes / 2 ** 20).toFixed(1)} MiB of changes discarded.`,
            )
          }
        >
          Every change made inside the guest is discarded; it boots next as the image {guest.imageName} is. Snapshots
          and boot history stay.
          {live && <strong className="mt-2 block text-slate-800">The guest is running: Corral stops it first.</strong>}
        </ConfirmDialog>
      )}
      {dialog === "snapshot" && (
        <PromptDialog
          title="Take a snapshot"
          label="Snapshot name"
          confirmLabel="Take snapshot"
          schema={snapshotNameSchema}
          onCancel={() => setDialog(null)}
          onSubmit={(name) => run("Taking snapshot", "snapshots", { name }, () => `Snapshot "${name}" taken.`)}
        />
      )}
      {dialog === "clone" && (
        <PromptDialog
          title={`Clone ${guest.name}`}
          label="New guest name"
          confirmLabel="Clone guest"
          schema={guestNameSchema}
          description="A new guest of the same kind, with the same image, memory, network mode and kernel arguments, starting from this guest's disk."
          onCancel={() => setDialog(null)}
          onSubmit={(name) => run("Cloning", "clone", { name }, () => `Cloned into the new guest "${name}".`)}
        />
      )}
      {dialog === "commit" && (
        <PromptDialog
          title={`Commit ${guest.name} to a new image`}
          label="Image name"
          confirmLabel="Commit to image"
          schema={imageNameSchema}
          description={`The image ${guest.imageName} with this guest's changes merged in, registered as a new image.`}
          onCancel={() => setDialog(null)}
          onSubmit={(imageName) => run("Committing", "commit", { imageName }, () => `Image "${imageName}" created.`)}
        />
      )}
    </Card>
  );
}

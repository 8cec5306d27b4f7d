"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiDelete, apiPost, guestApiPath } from "@/lib/shared/api-client";
import { formatBytes } from "@/lib/shared/format";
import type { SnapshotView } from "@/lib/shared/protocol";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { DataTable } from "../ui/data-table";
import { RelativeTime } from "../ui/relative-time";

const COLUMNS = ["Snapshot", "Taken", "Size"] as const;

export function SnapshotList({
  guestId,
  snapshots,
  live,
  editable,
  onError,
}: {
  guestId: string;
  snapshots: SnapshotView[];
  live: boolean;
  /** Offer revert and delete (the owner, an admin). */
  editable: boolean;
  onError: (message: string | null) => void;
}) {
  const router = useRouter();
  const [confirm, setConfirm] = useState<{ snapshot: SnapshotView; action: "revert" | "delete" } | null>(null);

  async function act(snapshot: SnapshotView, action: "revert" | "delete") {
    setConfirm(null);
    onError(null);
    const r =
      action === "revert"
        ? await apiPost(guestApiPath(guestId, "snapshots", snapshot.id, "revert"))
        : await apiDelete(guestApiPath(guestId, "snapshots", snapshot.id));
    if (!r.ok) onError(r.message);
    router.refresh();
  }

  if (snapshots.length === 0) {
    return (
      <p className="text-sm text-slate-500">
        No snapshots yet.{editable && " Stop the guest and take one before a risky change."}
      </p>
    );
  }
  return (
    <>
      <DataTable columns={COLUMNS} trailing={editable ? "Actions" : undefined}>
        {snapshots.map((s) => (
          <tr key={s.id}>
            <td className="px-4 py-2 font-medium">{s.name}</td>
            <td className="px-4 py-2">
              <RelativeTime iso={s.createdAt} />
            </td>
            <td className="px-4 py-2 tabular-nums">{s.sizeBytes ? formatBytes(s.sizeBytes) : "pristine"}</td>
            {editable && (
              <td className="px-4 py-2 text-right whitespace-nowrap">
                <Button
                  size="sm"
                  variant="ghost"
                  disabled={live}
                  onClick={() => setConfirm({ snapshot: s, action: "revert" })}
                >
                  Revert
                </Button>
                <Button size="sm" variant="ghost" onClick={() => setConfirm({ snapshot: s, action: "delete" })}>
                  Delete
                </Button>
              </td>
            )}
          </tr>
        ))}
      </DataTable>
      {confirm && (
        <ConfirmDialog
          title={
            confirm.action === "revert" ? `Revert to "${confirm.snapshot.name}"?` : `Delete "${confirm.snapshot.name}"?`
          }
          confirmLabel={confirm.action === "revert" ? "Revert disk" : "Delete snapshot"}
          tone="danger"
          onCancel={() => setConfirm(null)}
          onConfirm={() => act(confirm.snapshot, confirm.action)}
        >
          {confirm.action === "revert"
            ? "The guest's disk goes back to this snapshot; changes made since are discarded."
            : "The snapshot is removed; the guest's disk is not touched."}
        </ConfirmDialog>
      )}
    </>
  );
}

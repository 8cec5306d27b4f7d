"use client";

import { ArrowRightLeft } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiRequest, guestApiPath } from "@/lib/shared/api-client";
import type { HostChoice } from "@/lib/shared/host-choices";
import type { GuestView, MigrationResult } from "@/lib/shared/protocol";
import { formatBytes, formatDuration } from "@/lib/shared/format";
import { Button } from "../ui/button";
import { FormAlert, FormDone } from "../ui/form-field";
import { HostPickDialog } from "../ui/host-pick-dialog";

/**
 * "Migrate to host…" (admins, a fleet of more than one host): moves the stopped guest's
 * files to the chosen host; the page shows the bytes as they go (guest-moving.tsx).
 */
export function GuestMigration({ guest, hosts }: { guest: GuestView; hosts: HostChoice[] }) {
  const router = useRouter();
  const others = hosts.filter((h) => h.name !== guest.hostName);
  const [choosing, setChoosing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const stopped = guest.state === "stopped" || guest.state === "crashed";

  async function migrate(hostId: string) {
    setChoosing(false);
    setBusy(true);
    setError(null);
    setNotice(null);
    // Held: a big guest's move outlasts what any hop waits for an answer (held-answer.ts).
    const r = await apiRequest<MigrationResult>(guestApiPath(guest.id, "migrate"), {
      method: "POST",
      body: { hostId },
      held: true,
    });
    setBusy(false);
    if (!r.ok) return setError(r.message);
    setNotice(`Moved to ${r.data.toHostName}: ${formatBytes(r.data.bytes)} in ${formatDuration(r.data.ms)}.`);
    router.refresh();
  }

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <Button
          onClick={() => setChoosing(true)}
          disabled={busy || !stopped || others.length === 0}
        >
          <ArrowRightLeft className="size-4" aria-hidden /> Migrate to host…
        </Button>
        {busy && <span className="text-sm text-slate-500">Moving…</span>}
        {!stopped && <span className="text-xs text-slate-500">Stop the guest to move it to another host.</span>}
      </div>
      <FormAlert message={error} boxed />
      {notice && <FormDone>{notice}</FormDone>}
      {choosing && (
        <HostPickDialog
          title={`Move ${guest.name} to another host?`}
          confirmLabel="Migrate"
          description="Its disk, snapshots and boot logs are copied to the host, checked file by file, and removed here. Its id, history and audit trail stay. It cannot start until the move is done."
          hosts={others}
          initialHostId={others.find((h) => h.unavailable === null)?.id ?? ""}
          placeholder="Choose a host"
          onCancel={() => setChoosing(false)}
          onConfirm={(hostId) => void (hostId ? migrate(hostId) : setError("Choose a host to move it to."))}
        />
      )}
    </div>
  );
}

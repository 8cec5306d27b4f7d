"use client";

import { Pencil } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiPatch, guestApiPath } from "@/lib/shared/api-client";
import type { GuestView } from "@/lib/shared/protocol";
import { useHost } from "@/lib/client/use-host";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { accessInput, GuestAccessFields, type AccessDraft } from "./guest-access-fields";

/** Changes a stopped guest's network and port forwards; the daemon refuses ports already taken. */
export function NetworkEditButton({ guest }: { guest: GuestView }) {
  const router = useRouter();
  const { host } = useHost();
  const stopped = guest.state === "stopped" || guest.state === "crashed";
  const initial = (): AccessDraft => ({
    network: guest.network.mode,
    forwards: guest.network.forwards.map((f) => ({
      protocol: f.protocol,
      hostPort: String(f.hostPort),
      guestPort: String(f.guestPort),
    })),
    rootPassword: "",
    authorizedKeys: "",
  });
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<AccessDraft>(initial);
  const [error, setError] = useState<string | null>(null);

  async function save() {
    const { network, forwards } = accessInput(draft);
    const r = await apiPatch<GuestView>(guestApiPath(guest.id), { network, forwards });
    if (!r.ok) return setError([r.message, ...Object.values(r.fields)].join(" "));
    setOpen(false);
    router.refresh();
  }

  return (
    <>
      <Button
        size="sm"
        variant="ghost"
        disabled={!stopped}
        title={stopped ? "Change network and port forwards" : "Stop the guest to change its network"}
        onClick={() => {
          setDraft(initial());
          setError(null);
          setOpen(true);
        }}
      >
        <Pencil aria-hidden className="size-3.5" /> Edit
      </Button>
      {open && (
        <ConfirmDialog
          title={`Network of ${guest.name}`}
          confirmLabel="Save network"
          tone="neutral"
          onCancel={() => setOpen(false)}
          onConfirm={save}
        >
          <GuestAccessFields
            value={draft}
            onChange={setDraft}
            errors={{}}
            disabled={false}
            credentials={false}
            open
            bridge={host?.bridge}
          />
          {error && (
            <p role="alert" className="mt-2 text-sm text-rose-700">
              {error}
            </p>
          )}
        </ConfirmDialog>
      )}
    </>
  );
}

import { Network } from "lucide-react";
import { guestIface } from "@/lib/shared/network";
import type { GuestView } from "@/lib/shared/protocol";
import { Card } from "../ui/card";
import { LabelledValue } from "../ui/labelled-value";
import { NetworkEditButton } from "./network-edit-button";

const MODE_LABELS = { user: "user-mode (slirp4netns)", bridge: "host bridge (DHCP)", none: "none" } as const;

/** How the guest is reachable: its private network and the host ports forwarded into it. */
export function GuestNetworkCard({ guest, editable }: { guest: GuestView; editable: boolean }) {
  const { network } = guest;
  return (
    <Card
      title={
        <span className="inline-flex items-center gap-2">
          <Network aria-hidden className="size-4 text-slate-400" /> Network
        </span>
      }
      aside={
        <>
          <span>{MODE_LABELS[network.mode]}</span>
          {editable && <NetworkEditButton guest={guest} />}
        </>
      }
      bodyClassName="px-4 py-3 text-sm"
    >
      {network.mode === "none" ? (
        <p className="text-slate-500">This guest has no network interface.</p>
      ) : (
        <div className="flex flex-col gap-3">
          <dl className="grid grid-cols-2 gap-x-8 gap-y-2 sm:grid-cols-4">
            <LabelledValue label="Address">{network.address}</LabelledValue>
            <LabelledValue label={network.mode === "bridge" ? "Bridge address" : "Gateway (reaches the host)"}>
              {network.gateway}
            </LabelledValue>
            <LabelledValue label="Interface">{guestIface(guest.kind)}</LabelledValue>
            <LabelledValue label="Hostname">{guest.name}</LabelledValue>
            {network.mac && <LabelledValue label="MAC">{network.mac}</LabelledValue>}
          </dl>
          {network.mode === "user" && (
            <div>
              <h3 className="mb-1 text-xs font-medium text-slate-500">Port forwards</h3>
              {network.forwards.length === 0 ? (
                <p className="text-slate-500">
                  None. Stop the guest and edit it to forward a host port to one of its ports.
                </p>
              ) : (
                <ul className="flex flex-col gap-1 font-mono text-xs text-slate-700" aria-label="Port forwards">
                  {network.forwards.map((f) => (
                    <li key={`${f.protocol}/${f.hostPort}`}>
                      {f.hostAddress}:{f.hostPort} → guest :{f.guestPort} ({f.protocol})
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </div>
      )}
    </Card>
  );
}

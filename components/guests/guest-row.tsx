import Link from "next/link";
import { KindBadge } from "./kind-badge";
import { BootHealthBadge } from "../boots/boot-health-badge";
import { formatMiB } from "@/lib/shared/format";
import type { Actor } from "@/lib/shared/permissions";
import type { GuestView } from "@/lib/shared/protocol";
import { GuestActions } from "./guest-actions";
import { GuestUsageCell, type GuestUsage } from "../metrics/guest-usage-cell";
import { OutcomeBadge } from "./outcome-badge";
import { RelativeTime } from "../ui/relative-time";
import { StateBadge } from "./state-badge";
import { Uptime } from "./uptime";

interface GuestRowProps {
  guest: GuestView;
  actor: Actor;
  showOwner: boolean;
  showActions: boolean;
  usage?: GuestUsage;
  /** A checkbox first, when the list offers bulk actions. */
  selection?: { checked: boolean; onChange: (checked: boolean) => void };
}

export function GuestRow({ guest, actor, showOwner, showActions, usage, selection }: GuestRowProps) {
  const boot = guest.lastBoot;
  return (
    <tr className="align-middle hover:bg-slate-50/60" data-guest={guest.id}>
      {selection && (
        <td className="w-8 px-4 py-2.5">
          <input
            type="checkbox"
            aria-label={`Select ${guest.name}`}
            checked={selection.checked}
            onChange={(e) => selection.onChange(e.target.checked)}
            className="size-4 align-middle"
          />
        </td>
      )}
      <td className="px-4 py-2.5 font-medium">
        <Link
          href={`/guests/${encodeURIComponent(guest.id)}`}
          className="text-sky-700 hover:text-sky-900 hover:underline"
        >
          {guest.name}
        </Link>
        <KindBadge kind={guest.kind} />
      </td>
      {showOwner && (
        <td className="px-4 py-2.5 text-slate-600">
          {guest.ownerName ?? <span className="text-xs text-slate-400">nobody</span>}
        </td>
      )}
      <td className="px-4 py-2.5">
        <StateBadge state={guest.state} title={guest.stateReason ?? undefined} />
      </td>
      <td className="px-4 py-2.5 text-slate-600" data-testid="guest-host">
        {guest.hostName ?? <span className="text-xs text-slate-400">none</span>}
      </td>
      <td className="px-4 py-2.5 text-slate-600">{guest.imageName}</td>
      <td className="px-4 py-2.5 text-slate-600 tabular-nums">{formatMiB(guest.memoryMiB)}</td>
      <td className="px-4 py-2.5 text-slate-600">
        <Uptime state={guest.state} lastBoot={boot} />
      </td>
      <GuestUsageCell usage={guest.state === "stopped" ? undefined : usage} memoryMiB={guest.memoryMiB} />
      <td className="px-4 py-2.5 whitespace-nowrap text-slate-600">
        {boot ? (
          <span className="inline-flex items-center gap-2">
            <OutcomeBadge outcome={boot.outcome} detail={boot.detail} ended={boot.endedAt !== null} />
            <BootHealthBadge
              health={boot.health}
              href={`/guests/${encodeURIComponent(guest.id)}/boots/${boot.number}`}
            />
            <span className="text-xs text-slate-500">
              #{boot.number} · <RelativeTime iso={boot.endedAt ?? boot.startedAt} />
            </span>
          </span>
        ) : (
          <span className="text-xs text-slate-400">never booted</span>
        )}
      </td>
      {showActions && (
        <td className="px-4 py-2">
          <GuestActions guest={guest} actor={actor} size="sm" />
        </td>
      )}
    </tr>
  );
}

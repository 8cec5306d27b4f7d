"use client";

import clsx from "clsx";
import { EllipsisVertical, LoaderCircle, Play, Power, RotateCw, Square, Trash2, type LucideIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiDelete, apiPost, guestApiPath } from "@/lib/shared/api-client";
import { GUEST_ACTIONS, type GuestAction, type GuestActionSpec } from "@/lib/shared/guest-actions";
import { can, type Actor } from "@/lib/shared/permissions";
import type { GuestViewState } from "@/lib/shared/protocol";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { MenuButton } from "../ui/menu-button";

const ICONS: Record<GuestAction, LucideIcon> = {
  start: Play,
  stop: Square,
  "force-off": Power,
  reboot: RotateCw,
  delete: Trash2,
};

interface GuestActionsProps {
  guest: { id: string; name: string; state: GuestViewState; stateReason?: string | null; ownerId: string | null };
  /** Only the commands this person may give are offered (the daemon checks them again). */
  actor: Actor;
  /** "sm" (a table row): the state's main command as a button, the rest in a menu. */
  size?: "sm" | "md";
  /** Where to go after the guest is deleted (the guest page leaves; the list stays). */
  afterDelete?: string;
  className?: string;
}

/**
 * Start / Stop / Force off / Reboot / Delete for one guest. The buttons only send
 * requests: the new state arrives as a live event, so nothing here claims success early.
 */
export function GuestActions({ guest, actor, size = "md", afterDelete, className }: GuestActionsProps) {
  const router = useRouter();
  const [confirming, setConfirming] = useState<GuestActionSpec | null>(null);
  const [pending, setPending] = useState<GuestAction | null>(null);
  const [error, setError] = useState<string | null>(null);

  const commands = GUEST_ACTIONS.filter((spec) => can(actor, spec.permission, guest));
  const startFailure = useStartFailure(guest);

  async function run(spec: GuestActionSpec) {
    setConfirming(null);
    setPending(spec.action);
    setError(null);
    if (spec.action === "start") startFailure.watch();
    const result =
      spec.action === "delete"
        ? await apiDelete(guestApiPath(guest.id))
        : await apiPost(guestApiPath(guest.id, spec.action));
    setPending(null);
    if (!result.ok) {
      startFailure.dismiss();
      setError(`${spec.label} failed: ${result.message}`);
      return;
    }
    if (spec.action === "delete") {
      if (afterDelete) router.push(afterDelete);
      router.refresh();
    }
  }

  if (commands.length === 0) return null;
  const choose = (spec: GuestActionSpec) => (spec.confirm ? setConfirming(spec) : void run(spec));
  const offered = (spec: GuestActionSpec) => pending === null && spec.allowedIn.includes(guest.state);
  const button = (spec: GuestActionSpec) => {
    const Icon = pending === spec.action ? LoaderCircle : ICONS[spec.action];
    return (
      <Button
        key={spec.action}
        size={size}
        variant={size === "sm" ? "ghost" : "secondary"}
        className={clsx(spec.tone === "danger" && "enabled:hover:text-rose-700")}
        disabled={!offered(spec)}
        onClick={() => choose(spec)}
      >
        <Icon aria-hidden className={clsx("size-3.5", pending === spec.action && "animate-spin")} />
        {spec.label}
      </Button>
    );
  };
  // A row shows Start when the guest can start, else Stop; every other command waits in the
  // menu, rendered only when opened (five buttons a row were most of a long list's HTML).
  const main =
    size === "sm"
      ? (commands.find((c) => c.action === "start" && c.allowedIn.includes(guest.state)) ??
        commands.find((c) => c.action === "stop"))
      : undefined;
  const rest = size === "sm" ? commands.filter((c) => c !== main) : [];
  return (
    <div className={clsx("flex flex-col gap-1.5", size === "sm" ? "items-end" : "items-start", className)}>
      <div
        className={clsx("flex gap-1.5", size === "sm" ? "flex-nowrap" : "flex-wrap")}
        role="group"
        aria-label={`Actions for ${guest.name}`}
      >
        {size === "sm" ? (
          <>
            {main && button(main)}
            {rest.length > 0 && (
              <MenuButton
                label={`More actions for ${guest.name}`}
                icon={pending !== null && pending !== main?.action ? LoaderCircle : EllipsisVertical}
                iconClassName={clsx(pending !== null && pending !== main?.action && "animate-spin")}
                disabled={pending !== null}
                items={rest.map((spec) => ({
                  key: spec.action,
                  label: spec.label,
                  icon: ICONS[spec.action],
                  tone: spec.tone,
                  disabled: !offered(spec),
                  onSelect: () => choose(spec),
                }))}
              />
            )}
          </>
        ) : (
          commands.map(button)
        )}
      </div>
      {(error ?? startFailure.message) && (
        <p role="alert" className="max-w-md text-xs text-rose-700">
          {error ?? startFailure.message}{" "}
          <button
            type="button"
            className="underline hover:no-underline"
            onClick={() => {
              setError(null);
              startFailure.dismiss();
            }}
          >
            Dismiss
          </button>
        </p>
      )}
      {confirming?.confirm && (
        <ConfirmDialog
          title={confirming.confirm.title(guest.name)}
          confirmLabel={confirming.confirm.button}
          tone={confirming.tone}
          onConfirm={() => void run(confirming)}
          onCancel={() => setConfirming(null)}
        >
          {confirming.confirm.body}
        </ConfirmDialog>
      )}
    </div>
  );
}

/**
 * A start is accepted before the host's checks run (a missing image, a port in use, a full
 * disk end the boot instead), so its refusal arrives later as the guest crashing. A crash
 * that follows a start this person sent, before the guest ran, is shown beside the buttons
 * with its reason, as an immediate refusal would be. Watching begins before the request, so
 * a crash announced before the request's answer still counts.
 */
function useStartFailure(guest: GuestActionsProps["guest"]) {
  const [watching, setWatching] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const shown = `${guest.state}\n${guest.stateReason ?? ""}`;
  const [seen, setSeen] = useState(shown);
  // Adjusted while rendering (React's pattern for following a prop), not in an effect.
  if (shown !== seen) {
    setSeen(shown);
    if (watching) {
      if (guest.state === "crashed")
        setMessage(`Start failed: ${guest.stateReason ?? "the guest crashed while starting."}`);
      if (guest.state !== "queued" && guest.state !== "booting") setWatching(false);
    }
  }
  return {
    message,
    watch: () => {
      setMessage(null);
      setWatching(true);
    },
    dismiss: () => {
      setWatching(false);
      setMessage(null);
    },
  };
}

// What a person can do to a guest, and in which states. The daemon's state machine is the
// authority (it answers 409 otherwise); this only keeps buttons from offering the impossible.
import type { Action } from "./permissions";
import type { PowerAction, GuestViewState } from "./protocol";

export type GuestAction = PowerAction | "delete";

export interface GuestActionSpec {
  action: GuestAction;
  label: string;
  allowedIn: readonly GuestViewState[];
  /** Destructive actions ask first; `button` is the confirm button's exact name. */
  confirm: { title: (name: string) => string; body: string; button: string } | null;
  tone: "neutral" | "danger";
  /** What the permissions table calls it (lib/shared/permissions.ts). */
  permission: Action;
}

export const GUEST_ACTIONS: readonly GuestActionSpec[] = [
  {
    action: "start",
    label: "Start",
    allowedIn: ["stopped", "crashed"],
    confirm: null,
    tone: "neutral",
    permission: "guest.control",
  },
  {
    action: "stop",
    label: "Stop",
    allowedIn: ["queued", "booting", "running"],
    confirm: {
      title: (name) => `Stop ${name}?`,
      body: "The guest is asked to shut down cleanly, as if someone pressed Ctrl-Alt-Del. Programs get a chance to exit.",
      button: "Stop guest",
    },
    tone: "neutral",
    permission: "guest.control",
  },
  {
    action: "force-off",
    label: "Force off",
    allowedIn: ["queued", "booting", "running", "stopping"],
    confirm: {
      title: (name) => `Force off ${name}?`,
      body: "The kernel is killed at once, like pulling the power cord. Anything the guest has not written to disk is lost.",
      button: "Force off",
    },
    tone: "danger",
    permission: "guest.control",
  },
  {
    action: "reboot",
    label: "Reboot",
    allowedIn: ["booting", "running"],
    confirm: {
      title: (name) => `Reboot ${name}?`,
      body: "The guest shuts down cleanly and boots again. Its console keeps the old output above a divider.",
      button: "Reboot",
    },
    tone: "neutral",
    permission: "guest.control",
  },
  {
    action: "delete",
    label: "Delete",
    allowedIn: ["stopped", "crashed"],
    confirm: {
      title: (name) => `Delete ${name}?`,
      body: "The guest, its disk changes and all its boot logs are removed for good. The image it uses is kept.",
      button: "Delete guest",
    },
    tone: "danger",
    permission: "guest.delete",
  },
];

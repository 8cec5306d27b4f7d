import { GUEST_STATES, type BootOutcome, type GuestState } from "../../lib/shared/protocol";
import { conflict } from "../errors";

// The only place that decides whether a guest may change state.
//
//   stopped ─start─▶ queued ─admit─▶ booting ─ready─▶ running ─stop/force-off─▶ stopping ─exit─▶ stopped
//   crashed ─start─▶ queued             ▲ └──reboot─────┘  │                              or crashed
//   queued ─stop/force-off─▶ stopped (it never had a process)
//   any live state ─exit─▶ stopped/crashed (by outcome)
export type GuestEvent =
  | { type: "start" }
  | { type: "admit" }
  | { type: "ready" }
  | { type: "stop" }
  | { type: "force-off" }
  | { type: "reboot" }
  | { type: "exit"; outcome: BootOutcome };

const LIVE: readonly GuestState[] = ["booting", "running", "stopping"];

export function guestIsLive(state: GuestState): boolean {
  return LIVE.includes(state);
}

export function stateAfterExit(outcome: BootOutcome): GuestState {
  switch (outcome) {
    case "powered-off":
    case "halted":
    case "killed":
    case "daemon-restart":
    case "rebooted":
      return "stopped";
    case "panicked":
    case "crashed":
    case "boot-timeout":
    case "failed":
      return "crashed";
  }
}

const REFUSALS: Record<GuestEvent["type"], (state: GuestState) => string> = {
  start: (s) =>
    s === "stopping" ? "The guest is still stopping; start it once it has stopped." : `The guest is already ${s}.`,
  admit: (s) => `A ${s} guest is not waiting to boot.`,
  ready: (s) => `A ${s} guest cannot become ready.`,
  stop: (s) => (s === "stopping" ? "The guest is already stopping." : `The guest is ${s}; there is nothing to stop.`),
  "force-off": (s) => `The guest is ${s}; there is nothing to force off.`,
  reboot: (s) =>
    s === "stopping"
      ? "The guest is stopping; start it again once it has stopped."
      : s === "queued"
        ? "The guest is queued to boot; it boots once the host has room."
        : `The guest is ${s}; start it instead.`,
  exit: (s) => `A ${s} guest has no process to exit.`,
};

export function nextGuestState(state: GuestState, event: GuestEvent): GuestState {
  const next = allowed(state, event);
  if (next === null) throw conflict(REFUSALS[event.type](state));
  return next;
}

/**
 * The states `event` is allowed from, when it leads to one state from each of them: what a
 * write conditional on the stored state needs (guest-store.ts, advance). Null when the
 * event leads to different states from different ones (stop: queued or live).
 */
export function moveOf(event: GuestEvent): { from: GuestState[]; to: GuestState } | null {
  const from = GUEST_STATES.filter((s) => allowed(s, event) !== null);
  const targets = new Set(from.map((s) => allowed(s, event)));
  return targets.size === 1 ? { from, to: [...targets][0]! } : null;
}

function allowed(state: GuestState, event: GuestEvent): GuestState | null {
  switch (event.type) {
    case "start":
      return state === "stopped" || state === "crashed" ? "queued" : null;
    case "admit":
      return state === "queued" ? "booting" : null;
    case "ready":
      return state === "booting" ? "running" : null;
    case "stop":
      if (state === "queued") return "stopped";
      return state === "booting" || state === "running" ? "stopping" : null;
    case "force-off":
      if (state === "queued") return "stopped";
      return guestIsLive(state) ? "stopping" : null;
    case "reboot":
      return state === "booting" || state === "running" ? "booting" : null;
    case "exit":
      return guestIsLive(state) ? stateAfterExit(event.outcome) : null;
  }
}

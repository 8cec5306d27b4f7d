import { describe, expect, it } from "vitest";
import { GUEST_STATES, type GuestState } from "../../lib/shared/protocol";
import { CorralError } from "../errors";
import { moveOf, nextGuestState, type GuestEvent } from "./state-machine";

describe("guest state machine", () => {
  it("walks the normal life of a guest", () => {
    let s: GuestState = "stopped";
    s = nextGuestState(s, { type: "start" });
    expect(s).toBe("queued");
    s = nextGuestState(s, { type: "admit" });
    expect(s).toBe("booting");
    s = nextGuestState(s, { type: "ready" });
    expect(s).toBe("running");
    s = nextGuestState(s, { type: "stop" });
    expect(s).toBe("stopping");
    s = nextGuestState(s, { type: "exit", outcome: "powered-off" });
    expect(s).toBe("stopped");
  });

  it("ends in crashed after a panic, a crash or a missed boot deadline", () => {
    for (const outcome of ["panicked", "crashed", "boot-timeout"] as const) {
      expect(nextGuestState("running", { type: "exit", outcome })).toBe("crashed");
    }
    expect(nextGuestState("crashed", { type: "start" })).toBe("queued");
  });

  it("reboots a running guest into booting", () => {
    expect(nextGuestState("running", { type: "reboot" })).toBe("booting");
  });

  const table: Array<[GuestState, GuestEvent, GuestState | "refused"]> = [];
  const events: GuestEvent[] = [
    { type: "start" },
    { type: "admit" },
    { type: "ready" },
    { type: "stop" },
    { type: "force-off" },
    { type: "reboot" },
    { type: "exit", outcome: "killed" },
  ];
  const expected: Record<GuestState, Array<GuestState | "refused">> = {
    stopped: ["queued", "refused", "refused", "refused", "refused", "refused", "refused"],
    // A queued guest has no process yet: stopping it only takes it out of the queue.
    queued: ["refused", "booting", "refused", "stopped", "stopped", "refused", "refused"],
    booting: ["refused", "refused", "running", "stopping", "stopping", "booting", "stopped"],
    running: ["refused", "refused", "refused", "stopping", "stopping", "booting", "stopped"],
    stopping: ["refused", "refused", "refused", "refused", "stopping", "refused", "stopped"],
    crashed: ["queued", "refused", "refused", "refused", "refused", "refused", "refused"],
  };
  for (const s of GUEST_STATES) events.forEach((e, i) => table.push([s, e, expected[s][i]]));

  it.each(table)("%s + %o → %s", (state, event, result) => {
    if (result === "refused") {
      expect(() => nextGuestState(state, event)).toThrow(CorralError);
    } else {
      expect(nextGuestState(state, event)).toBe(result);
    }
  });

  it("explains a refusal in words a person can act on", () => {
    expect(() => nextGuestState("running", { type: "start" })).toThrow("The guest is already running.");
  });

  it("gives the states a conditional write may move from, where the event leads to one state", () => {
    expect(moveOf({ type: "admit" })).toEqual({ from: ["queued"], to: "booting" });
    expect(moveOf({ type: "ready" })).toEqual({ from: ["booting"], to: "running" });
    const exit = moveOf({ type: "exit", outcome: "panicked" });
    expect(exit?.to).toBe("crashed");
    expect([...exit!.from].sort()).toEqual(["booting", "running", "stopping"]);
    // A stop leads a queued guest to stopped and a live one to stopping: no single write.
    expect(moveOf({ type: "stop" })).toBeNull();
  });
});

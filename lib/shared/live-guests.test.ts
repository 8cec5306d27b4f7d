import { describe, expect, it } from "vitest";
import { currentGuests, initLiveGuests, reduceLiveGuests, type LiveGuestsAction } from "./live-guests";
import type { GuestState, GuestView } from "./protocol";

function guest(id: string, state: GuestState): GuestView {
  return {
    id,
    name: id,
    kind: "uml",
    ownerId: null,
    ownerName: null,
    network: { mode: "none", address: null, gateway: null, mac: null, forwards: [] },
    hasRootPassword: false,
    hasAuthorizedKeys: false,
    imageId: "img",
    imageName: "busybox",
    memoryMiB: 64,
    kernelArgs: [],
    state,
    stateReason: null,
    hostName: null,
    createdAt: "2026-11-29T00:00:00.000Z",
    updatedAt: "2026-11-29T00:00:00.000Z",
    lastBoot: null,
  };
}
const ev = (id: string, state: GuestState): LiveGuestsAction<GuestView> => ({
  type: "event",
  event: { id, ownerId: null, state, stateReason: null, updatedAt: "2026-11-29T00:00:01.000Z", lastBoot: null },
});
const run = (start: GuestView[], ...actions: LiveGuestsAction<GuestView>[]) =>
  currentGuests(actions.reduce((s, a) => reduceLiveGuests(s, a), initLiveGuests(start)));

describe("live guests", () => {
  it("applies events over the rendered list", () => {
    const out = run([guest("a", "stopped"), guest("b", "stopped")], ev("a", "booting"), ev("a", "running"));
    expect(out.map((g) => g.state)).toEqual(["running", "stopped"]);
  });

  it("keeps events when the page re-renders with older data", () => {
    const out = run([guest("a", "stopped")], ev("a", "running"), { type: "rendered", guests: [guest("a", "booting")] });
    expect(out[0].state).toBe("running");
  });

  it("drops events older than a resync, keeps those that arrived during it", () => {
    const out = run(
      [guest("a", "stopped"), guest("b", "stopped")],
      ev("a", "running"),
      ev("b", "running"),
      { type: "resync-started" },
      ev("b", "stopping"),
      { type: "resynced", guests: [guest("a", "crashed"), guest("b", "running")] },
    );
    expect(out.map((g) => g.state)).toEqual(["crashed", "stopping"]);
  });

  it("ignores events for guests not in the list", () => {
    expect(run([guest("a", "stopped")], ev("zzz", "running"))).toHaveLength(1);
  });
});

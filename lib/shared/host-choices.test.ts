import { describe, expect, it } from "vitest";
import { hostChoices } from "./host-choices";
import type { FleetHostView } from "./protocol";

const view = (name: string, over: Partial<FleetHostView> = {}): FleetHostView => ({
  id: `id-${name}`,
  name,
  address: "http://127.0.0.1:1",
  cores: 2,
  memoryMiB: 4096,
  diskFreeMiB: 1000,
  kernel: "6.1",
  version: "0.1.0",
  startedAt: "2026-12-01T00:00:00.000Z",
  lastSeenAt: "2026-12-01T00:00:00.000Z",
  heartbeatSeconds: 10,
  status: "up",
  maintenance: false,
  contextGuests: true,
  guestMemoryMiB: 3072,
  guestAllocatedMiB: 1024,
  guestMemoryFreeMiB: 2048,
  missingImageIds: [],
  stillRunning: [],
  ...over,
});

describe("the hosts the create form offers admins", () => {
  it("offers each host with its free guest memory, and says why a host in maintenance or unreachable cannot be chosen", () => {
    expect(
      hostChoices([
        view("a"),
        view("b", { maintenance: true }),
        view("c", { status: "unreachable", maintenance: true }),
        view("d", { status: "unreachable" }),
      ]),
    ).toEqual([
      { id: "id-a", name: "a", freeMiB: 2048, unavailable: null },
      { id: "id-b", name: "b", freeMiB: 2048, unavailable: "in maintenance" },
      { id: "id-c", name: "c", freeMiB: 2048, unavailable: "in maintenance" },
      { id: "id-d", name: "d", freeMiB: 2048, unavailable: "unreachable" },
    ]);
  });
});

describe("the hosts a guest may move to", () => {
  it("offers a context guest no host that cannot run context guests, and a UML guest every host", () => {
    const hosts = [view("a"), view("b", { contextGuests: false })];
    expect(hostChoices(hosts, "context").map((h) => h.unavailable)).toEqual([null, "cannot run context guests"]);
    expect(hostChoices(hosts, "uml").map((h) => h.unavailable)).toEqual([null, null]);
  });
});

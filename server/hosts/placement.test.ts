import { describe, expect, it } from "vitest";
import { placementHost as host } from "../test-support/placement-host";
import { chooseHost, freeMiB, hostRefusal, imageCopyable, imageHoldersNote } from "./placement";

const uml = (memoryMiB: number) => ({ memoryMiB, kind: "uml" as const, imageId: "img" });

describe("choosing a host for a new guest", () => {
  it("picks the host with the most free memory, counting what running guests hold", () => {
    const hosts = [
      host("a", { guestMemoryMiB: 2048, allocatedMiB: 1536 }),
      host("b"),
      host("c", { guestMemoryMiB: 768 }),
    ];
    expect(hosts.map(freeMiB)).toEqual([512, 1024, 768]);
    expect(chooseHost(hosts, uml(64)).host?.name).toBe("b");
  });

  it("prefers hosts that have the image; one without it only when its file can be copied there", () => {
    const hosts = [
      host("has", { guestMemoryMiB: 256 }),
      host("lacks", { guestMemoryMiB: 4096, missingImageIds: ["img"] }),
    ];
    expect(chooseHost(hosts, uml(64)).host?.name).toBe("has");
    expect(chooseHost(hosts, uml(64), true).host?.name).toBe("has");
    // Too big for the host that has it: the other gets it, copied — or none does.
    expect(chooseHost(hosts, uml(512), true).host?.name).toBe("lacks");
    expect(chooseHost(hosts, uml(512)).reasons).toContain("host lacks does not have this image's file");
    expect(imageCopyable(hosts, "img", true)).toBe(true);
    expect(imageCopyable(hosts, "img", false)).toBe(false);
    expect(imageCopyable([host("lacks", { missingImageIds: ["img"] })], "img", true)).toBe(false);
    expect(imageCopyable([host("has", { reachable: false }), hosts[1]], "img", true)).toBe(false);
  });

  it("breaks ties by name, so the same fleet always gives the same answer", () => {
    expect(chooseHost([host("b"), host("a")], uml(64)).host?.name).toBe("a");
  });

  it("skips hosts in maintenance, unreachable, without room, or without context guests for one", () => {
    const hosts = [
      host("maint", { guestMemoryMiB: 8192, maintenance: true }),
      host("gone", { guestMemoryMiB: 8192, reachable: false }),
      host("uml-only", { guestMemoryMiB: 4096, contextGuests: false }),
      host("small", { guestMemoryMiB: 256 }),
    ];
    expect(chooseHost(hosts, uml(128)).host?.name).toBe("uml-only");
    expect(chooseHost(hosts, { memoryMiB: 128, kind: "context", imageId: "img" }).host?.name).toBe("small");
    expect(chooseHost(hosts, uml(512)).host?.name).toBe("uml-only");
  });

  it("says, host by host, why none can take the guest", () => {
    const hosts = [host("maint", { maintenance: true }), host("full", { allocatedMiB: 1000 })];
    const pick = chooseHost(hosts, uml(64));
    expect(pick.host).toBeUndefined();
    expect(pick.reasons).toEqual([
      "host maint is in maintenance: no new guests are placed on it",
      "host full has 24 MiB free for guests, less than the 64 MiB asked for",
    ]);
    expect(chooseHost([], uml(64)).reasons).toEqual([]);
  });

  it("skips a host that lacks the image's file, and names the hosts that have it", () => {
    const hosts = [
      host("big", { guestMemoryMiB: 8192, missingImageIds: ["img"] }),
      host("small", { guestMemoryMiB: 256 }),
    ];
    expect(chooseHost(hosts, uml(64)).host?.name).toBe("small");
    expect(hostRefusal(hosts[0], uml(64))).toBe("host big does not have this image's file");
    expect(imageHoldersNote(hosts, "img")).toBe(
      'Hosts that have it: small. An admin can copy it to another host (Images page, "Copy to host…", or corral images copy).',
    );
    expect(imageHoldersNote([hosts[0]], "img")).toBe("No host of the fleet has reported having it.");
  });

  it("fits a guest that takes exactly what is free, and never counts overcommitted memory as negative", () => {
    expect(hostRefusal(host("a", { allocatedMiB: 960 }), uml(64))).toBeNull();
    expect(freeMiB(host("a", { allocatedMiB: 4096 }))).toBe(0);
    expect(hostRefusal(host("a", { contextGuests: false }), { memoryMiB: 64, kind: "context", imageId: "img" })).toBe(
      "host a cannot run context guests",
    );
  });
});

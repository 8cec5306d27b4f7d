import { describe, expect, it } from "vitest";
import { targetHasImage, targetRefusal } from "./guest-migration";
import { placementHost } from "../test-support/placement-host";
import type { PlacementHost } from "./placement";

const here = { id: "id-fleet-a", name: "fleet-a" };
/** fleet-b, the host the guest would move to. */
const host = (over: Partial<PlacementHost> = {}) => placementHost("fleet-b", over);

describe("which hosts a stopped guest may move to", () => {
  it("takes a reachable host with the guest's image, however full its memory", () => {
    expect(targetRefusal(host({ allocatedMiB: 1024 }), here, "img")).toBeNull();
  });

  it("says why it refuses each other host", () => {
    expect(targetRefusal(undefined, here, "img")).toMatch(/no host of the fleet has that id/);
    expect(targetRefusal(placementHost("fleet-a"), here, "img")).toBe("the guest is on host fleet-a already");
    expect(targetRefusal(host({ reachable: false }), here, "img")).toMatch(/fleet-b is unreachable/);
    expect(targetRefusal(host({ maintenance: true }), here, "img")).toMatch(/fleet-b is in maintenance/);
    expect(targetRefusal(host({ missingImageIds: ["img"] }), here, "img")).toMatch(/does not have this guest's image/);
    expect(targetRefusal(host({ contextGuests: false }), here, "img", "context")).toBe(
      "host fleet-b cannot run context guests",
    );
    expect(targetRefusal(host({ contextGuests: false }), here, "img", "uml")).toBeNull();
  });

  it("asks about the image in one place", () => {
    expect(targetHasImage(host({ missingImageIds: ["other"] }), "img")).toBe(true);
    expect(targetHasImage(host({ missingImageIds: ["img"] }), "img")).toBe(false);
  });
});

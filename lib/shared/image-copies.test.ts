import { describe, expect, it } from "vitest";
import type { ImageCopyEvent, ImageCopyView } from "./protocol";
import { applyCopyEvent, hostsLackingImage } from "./image-copies";

const ready = (hostId: string, hostName: string): ImageCopyView => ({
  hostId,
  hostName,
  state: "ready",
  copiedBytes: 100,
});
const event = (state: ImageCopyEvent["state"], copiedBytes: number): ImageCopyEvent => ({
  imageId: "img",
  imageName: "carried",
  hostId: "hb",
  hostName: "b",
  state,
  copiedBytes,
  sizeBytes: 100,
  error: state === "failed" ? "why" : null,
});

describe("applyCopyEvent", () => {
  it("adds a copy under way in host-name order, then updates its bytes and marks it ready", () => {
    const start = [ready("hc", "c"), ready("ha", "a")];
    const going = applyCopyEvent(start, event("copying", 40));
    expect(going.map((c) => [c.hostName, c.state, c.copiedBytes])).toEqual([
      ["a", "ready", 100],
      ["b", "copying", 40],
      ["c", "ready", 100],
    ]);
    expect(applyCopyEvent(going, event("ready", 100)).find((c) => c.hostId === "hb")).toEqual(ready("hb", "b"));
  });

  it("drops a copy that failed, leaving the others", () => {
    const going = applyCopyEvent([ready("ha", "a")], event("copying", 40));
    expect(applyCopyEvent(going, event("failed", 0))).toEqual([ready("ha", "a")]);
  });
});

describe("hostsLackingImage", () => {
  it("offers only hosts with no copy, ready or under way", () => {
    const hosts = [{ id: "ha" }, { id: "hb" }, { id: "hc" }];
    const copies = applyCopyEvent([ready("ha", "a")], event("copying", 1));
    expect(hostsLackingImage(hosts, copies)).toEqual([{ id: "hc" }]);
  });
});

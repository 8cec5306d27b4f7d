import { describe, expect, it } from "vitest";
import { imageNameFromFile } from "./upload-image";

describe("an image name from a file name", () => {
  it.each([
    ["Debian 12.img", "debian-12"],
    ["rootfs.ext4", "rootfs"],
    ["2024-backup.raw", "backup"],
    ["___.img", "image"],
    ["alpine-3.20.img", "alpine-3.20"],
  ])("%s → %s", (file, name) => expect(imageNameFromFile(file)).toBe(name));
});

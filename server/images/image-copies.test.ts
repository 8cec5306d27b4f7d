import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ImageCopy } from "../../generated/prisma/client";
import { copyFileName, copyOn, hostImagePath } from "./image-copies";

const copy = (hostId: string, state: string, file = `/data-${hostId}/images/x.img`) =>
  ({ hostId, state, path: file }) as ImageCopy;

describe("copyOn and hostImagePath", () => {
  const copies = [copy("a", "ready"), copy("b", "copying")];

  it("find a host's own ready copy, at its own path", () => {
    expect(copyOn(copies, "a")?.path).toBe("/data-a/images/x.img");
    expect(hostImagePath({ name: "x", copies }, "a")).toBe("/data-a/images/x.img");
  });

  it("do not count a copy still on its way, another host's copy, or a guest with no host", () => {
    expect(copyOn(copies, "b")).toBeNull();
    expect(copyOn(copies, "c")).toBeNull();
    expect(copyOn(copies, null)).toBeNull();
    expect(() => hostImagePath({ name: "x", copies }, "b")).toThrow(
      /The image "x" is not on this guest's host\. Copy it there .*corral images copy x HOST/,
    );
  });
});

describe("copyFileName", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-copy-name-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("takes <name>.img when free, else a name with the checksum's start: never another file's", () => {
    const sha = "0123456789abcdef".repeat(4);
    expect(copyFileName(dir, "x", sha)).toBe(path.join(dir, "x.img"));
    fs.writeFileSync(path.join(dir, "x.img"), "someone else's");
    expect(copyFileName(dir, "x", sha)).toBe(path.join(dir, "x-0123456789ab.img"));
  });
});

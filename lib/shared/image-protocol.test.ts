import { describe, expect, it } from "vitest";
import { debianBuildSchema, importImageSchema, uploadImageQuerySchema } from "./protocol";

describe("image import and build requests", () => {
  it.each(["a.img", "sub/dir/b.img", "with space.img"])("accepts the relative path %s", (path) => {
    expect(importImageSchema.safeParse({ name: "ok", path }).success).toBe(true);
  });

  it.each(["/etc/passwd", "../x.img", "a/../../x.img", "./x.img", "a//b.img", "", "a/\0b"])(
    "refuses the path %j",
    (path) => {
      expect(importImageSchema.safeParse({ name: "ok", path }).success).toBe(false);
    },
  );

  it("reads the upload's query: a name, and a size as a number", () => {
    expect(uploadImageQuerySchema.parse({ name: "up", size: "1024" })).toEqual({ name: "up", size: 1024 });
    expect(uploadImageQuerySchema.safeParse({ name: "Up" }).success).toBe(false);
    expect(uploadImageQuerySchema.safeParse({ name: "up", size: "0" }).success).toBe(false);
    expect(uploadImageQuerySchema.safeParse({ name: "up", extra: "1" }).success).toBe(false);
  });

  it("allows known suites, sane sizes and Debian package names only", () => {
    const ok = { name: "deb", suite: "bookworm", sizeMiB: 1024 };
    expect(debianBuildSchema.parse(ok).packages).toEqual([]);
    expect(debianBuildSchema.safeParse({ ...ok, packages: ["openssh-server", "libc6:amd64", "g++"] }).success).toBe(
      true,
    );
    for (const bad of [
      { suite: "sid; rm -rf /" },
      { suite: "jessie" },
      { sizeMiB: 100 },
      { sizeMiB: 1024.5 },
      { packages: ["--foreign"] },
      { packages: ["a,b"] },
      { packages: ["Upper"] },
      { packages: ["vim", "vim"] },
    ]) {
      expect(debianBuildSchema.safeParse({ ...ok, ...bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

import { describe, expect, it } from "vitest";
import { debootstrapArgv } from "./debian-build";

describe("debootstrap's argv", () => {
  const spec = { name: "deb", suite: "bookworm", sizeMiB: 1024, packages: ["openssh-server", "iproute2"] };

  it("is a minimal base with systemd, udev and iproute2 plus the extras, once each", () => {
    expect(debootstrapArgv(spec, "/data/images/staging/x")).toEqual([
      "--variant=minbase",
      "--include=systemd-sysv,iproute2,udev,openssh-server",
      "--components=main",
      "bookworm",
      "/data/images/staging/x",
    ]);
  });

  it("names a mirror only when one is configured", () => {
    const argv = debootstrapArgv({ ...spec, mirror: "http://mirror.example/debian" }, "/t");
    expect(argv.at(-1)).toBe("http://mirror.example/debian");
    expect(argv.at(-2)).toBe("/t");
  });
});

import { describe, expect, it } from "vitest";
import { countPackages, DebootstrapProgress } from "./debootstrap-progress";

// Lines as debootstrap 1.0.128 prints them for bookworm --variant=minbase.
const RUN = [
  "I: Retrieving InRelease ",
  "I: Checking Release signature",
  "I: Retrieving Packages ",
  "I: Validating Packages ",
  "I: Resolving dependencies of required packages...",
  "I: Retrieving adduser 3.134",
  "I: Validating adduser 3.134",
  "I: Retrieving apt 2.6.1",
  "I: Validating apt 2.6.1",
  "I: Chosen extractor for .deb packages: dpkg-deb",
  "I: Extracting adduser...",
  "I: Extracting apt...",
  "I: Installing core packages...",
  "I: Unpacking required packages...",
  "I: Unpacking adduser...",
  "I: Configuring required packages...",
  "I: Configuring adduser...",
  "I: Unpacking the base system...",
  "I: Unpacking apt...",
  "I: Configuring the base system...",
  "I: Configuring apt...",
  "I: Base system installed successfully.",
];

describe("debootstrap's progress", () => {
  it("moves through download, extract and configure, counting packages", () => {
    const p = new DebootstrapProgress();
    const seen = RUN.map((line) => {
      if (line.startsWith("I: Chosen")) {
        expect(p.packagesDownloaded).toBe(2);
        p.setPackageCount(2);
      }
      return p.feed(line);
    });
    expect(seen[0]).toEqual({ stage: "download", percent: null });
    expect(seen[10]).toEqual({ stage: "extract", percent: null });
    const configure = seen.slice(12).map((s) => s!.percent);
    expect(seen.slice(12).every((s) => s!.stage === "configure")).toBe(true);
    // Four package steps (two unpacks, two configures) of 2 × 2: 25, 50, 75, capped at 99 until done.
    expect(configure.filter((v, i, a) => v !== a[i - 1])).toEqual([0, 25, 50, 75, 99, 100]);
  });

  it("ignores lines that are not progress", () => {
    const p = new DebootstrapProgress();
    expect(p.feed("W: Failure trying to run: chroot ...")).toBeNull();
    expect(p.feed("dpkg: warning: something")).toBeNull();
    expect(p.feed("I: Keyring file not available")).toBeNull();
    expect(p.current).toBe("download");
  });

  it("counts the packages debootstrap listed in debpaths", () => {
    expect(countPackages("adduser /var/cache/apt/archives/a.deb\napt /x.deb\n\n")).toBe(2);
    expect(countPackages("")).toBe(0);
  });
});

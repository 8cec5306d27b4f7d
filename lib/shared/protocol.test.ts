import { describe, expect, it } from "vitest";
import { createGuestSchema, guestNameSchema, kernelArgSchema, metricRangeSchema, sampleTimeSchema } from "./protocol";

describe("guest names", () => {
  it.each(["a", "web-1", "db", "a".repeat(31), "x0-9"])("accepts %j", (name) => {
    expect(guestNameSchema.safeParse(name).success).toBe(true);
  });
  it.each(["", "A", "1web", "-web", "web_1", "web 1", "wéb", "a".repeat(32), "../etc", "web\n"])(
    "refuses %j",
    (name) => {
      expect(guestNameSchema.safeParse(name).success).toBe(false);
    },
  );
});

describe("create guest input", () => {
  const ok = { name: "web", imageId: "img1", memoryMiB: 64 };

  it("fills in a UML guest, no kernel arguments and a user network by default", () => {
    expect(createGuestSchema.parse(ok)).toEqual({ ...ok, kind: "uml", kernelArgs: [], network: "user", forwards: [] });
  });

  it("takes a context kind and refuses an unknown one", () => {
    expect(createGuestSchema.parse({ ...ok, kind: "context" }).kind).toBe("context");
    expect(createGuestSchema.safeParse({ ...ok, kind: "xen" }).success).toBe(false);
  });

  it.each([
    [48, true],
    [2048, true],
    [47, false],
    [2049, false],
    [64.5, false],
    [Number.NaN, false],
    ["64", false],
  ])("memory %j → %s", (memoryMiB, valid) => {
    expect(createGuestSchema.safeParse({ ...ok, memoryMiB }).success).toBe(valid);
  });

  it("refuses unknown fields and repeated kernel arguments", () => {
    expect(createGuestSchema.safeParse({ ...ok, pid: 1 }).success).toBe(false);
    expect(createGuestSchema.safeParse({ ...ok, kernelArgs: ["quiet", "quiet"] }).success).toBe(false);
  });

  it("allows only listed kernel arguments, whole", () => {
    expect(kernelArgSchema.safeParse("loglevel=3").success).toBe(true);
    for (const bad of ["loglevel=3 init=/bin/sh", "mem=4G", "con0=fd:3", "ubd1=/etc/shadow", "panic=61"]) {
      expect(kernelArgSchema.safeParse(bad).success).toBe(false);
    }
  });
});

describe("metric inputs", () => {
  it.each([
    ["hour", true],
    ["day", true],
    ["month", true],
    ["week", false],
    ["", false],
  ])("range %j → %s", (range, valid) => {
    expect(metricRangeSchema.safeParse(range).success).toBe(valid);
  });

  it.each([
    ["2026-11-29T04:00:05.000Z", true],
    ["2026-11-29T04:00:05+00:00", true],
    ["2026-11-29", false],
    ["yesterday", false],
    ["1764388805000", false],
  ])("sample time %j → %s", (at, valid) => {
    expect(sampleTimeSchema.safeParse(at).success).toBe(valid);
  });
});

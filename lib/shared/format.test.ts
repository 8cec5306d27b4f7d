import { describe, expect, it } from "vitest";
import {
  formatBytes,
  formatDuration,
  formatMiB,
  formatRelativeTime,
  formatUptime,
  formatUtcTimestamp,
  msBetween,
  plural,
  shortenHash,
} from "./format";

describe("formatBytes", () => {
  it("uses binary units with one decimal below ten", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(33554432)).toBe("32 MiB");
    expect(formatBytes(5 * 1024 ** 3)).toBe("5 GiB");
    expect(formatBytes(2.25 * 1024 ** 4)).toBe("2.3 TiB");
  });
  it("refuses nonsense", () => {
    expect(formatBytes(-1)).toBe("—");
    expect(formatBytes(Number.NaN)).toBe("—");
  });
  it("formats MiB amounts", () => {
    expect(formatMiB(64)).toBe("64 MiB");
    expect(formatMiB(2048)).toBe("2 GiB");
  });
});

describe("formatDuration", () => {
  it("is precise for boot timings", () => {
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(1200)).toBe("1.2 s");
    expect(formatDuration(1299)).toBe("1.2 s");
    expect(formatDuration(9999)).toBe("9.9 s");
    expect(formatDuration(14_500)).toBe("14 s");
  });
  it("rolls over into larger units", () => {
    expect(formatDuration(60_000)).toBe("1 min");
    expect(formatDuration(184_000)).toBe("3 min 4 s");
    expect(formatDuration(2 * 3600_000 + 5 * 60_000)).toBe("2 h 5 min");
    expect(formatDuration(3 * 86400_000 + 4 * 3600_000)).toBe("3 d 4 h");
  });
  it("refuses negative spans", () => {
    expect(formatDuration(-5)).toBe("—");
  });
});

describe("formatUptime", () => {
  it("ticks in seconds and pads the smaller units", () => {
    expect(formatUptime(0)).toBe("0s");
    expect(formatUptime(42_900)).toBe("42s");
    expect(formatUptime(187_000)).toBe("3m 07s");
    expect(formatUptime(3723_000)).toBe("1h 02m 03s");
    expect(formatUptime(2 * 86400_000 + 3 * 3600_000 + 4 * 60_000)).toBe("2d 03h 04m");
  });
});

describe("formatRelativeTime", () => {
  const now = Date.parse("2026-11-29T12:00:00Z");
  const ago = (ms: number) => new Date(now - ms).toISOString();
  it("reads like a person would say it", () => {
    expect(formatRelativeTime(ago(2000), now)).toBe("just now");
    expect(formatRelativeTime(ago(42_000), now)).toBe("42 s ago");
    expect(formatRelativeTime(ago(5 * 60_000), now)).toBe("5 min ago");
    expect(formatRelativeTime(ago(3 * 3600_000), now)).toBe("3 h ago");
    expect(formatRelativeTime(ago(30 * 3600_000), now)).toBe("yesterday");
    expect(formatRelativeTime(ago(4 * 86400_000), now)).toBe("4 days ago");
    expect(formatRelativeTime(ago(60 * 86400_000), now)).toBe("2026-09-30");
  });
  it("treats a time slightly in the future as now (clock skew)", () => {
    expect(formatRelativeTime(ago(-3000), now)).toBe("just now");
  });
  it("accepts Date objects and rejects bad input", () => {
    expect(formatRelativeTime(new Date(now - 90_000), new Date(now))).toBe("1 min ago");
    expect(formatRelativeTime("not a date", now)).toBe("—");
  });
});

describe("small helpers", () => {
  it("formats UTC timestamps", () => {
    expect(formatUtcTimestamp("2026-11-29T03:03:02.608Z")).toBe("2026-11-29 03:03:02 UTC");
    expect(formatUtcTimestamp("garbage")).toBe("—");
  });
  it("measures between optional times", () => {
    expect(msBetween("2026-11-29T00:00:00.000Z", "2026-11-29T00:00:01.200Z")).toBe(1200);
    expect(msBetween("2026-11-29T00:00:00.000Z", null)).toBeNull();
  });
  it("shortens hashes and pluralizes", () => {
    expect(shortenHash("512fe08cae597642dadf")).toBe("512fe08cae59…");
    expect(shortenHash("abc")).toBe("abc");
    expect(plural(1, "guest")).toBe("1 guest");
    expect(plural(3, "guest")).toBe("3 guests");
  });
});

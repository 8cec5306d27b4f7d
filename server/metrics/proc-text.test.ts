import { describe, expect, it } from "vitest";
import {
  memoryUse,
  parseCpuTimes,
  parseLoad1,
  parseMeminfo,
  parseProcStat,
  parsePssKiB,
  procStatField,
  STAT_FIELD,
} from "./proc-text";

describe("parseProcStat", () => {
  it("reads the fields after a command name holding spaces and parentheses", () => {
    const line =
      "26873 (uml) (user space) t 26866 26866 26866 34816 26866 1077936448 12 0 0 0 " +
      "40 7 3 2 20 0 1 0 123456 1073741824 291 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0";
    expect(parseProcStat(line)).toEqual({ pid: 26873, pgrp: 26866, ticks: 52, startTicks: 123456, rssPages: 291 });
    expect(procStatField(line, STAT_FIELD.group)).toBe(26866);
    expect(procStatField(line, STAT_FIELD.parent)).toBe(26866);
    expect(procStatField("7 (a) b) R 1 7 8 0", STAT_FIELD.group)).toBe(7);
    expect(procStatField("7 (a) b) R 1 7 8 0", STAT_FIELD.session)).toBe(8);
  });

  it("refuses a truncated line", () => {
    expect(parseProcStat("1 (init) S 0 1 1")).toBeNull();
    expect(parseProcStat("")).toBeNull();
    expect(procStatField("", STAT_FIELD.group)).toBe(-1);
    expect(procStatField("1 (init) S 0", STAT_FIELD.group)).toBe(-1);
  });
});

const GUEST_MEMINFO = `MemTotal:          51776 kB
MemFree:           37376 kB
MemAvailable:      37128 kB
Buffers:             120 kB
Cached:             1772 kB
SwapCached:            0 kB
SReclaimable:        580 kB
HugePages_Total:       0
`;

describe("meminfo", () => {
  it("reads every field in KiB", () => {
    const m = parseMeminfo(GUEST_MEMINFO);
    expect(m.MemTotal).toBe(51776);
    expect(m.SReclaimable).toBe(580);
    expect(m.HugePages_Total).toBe(0);
  });

  it("computes used memory as busybox free prints it", () => {
    // busybox in that guest printed: total 51776, used 11928, free 37376, buff/cache 2472.
    expect(memoryUse(parseMeminfo(GUEST_MEMINFO))).toEqual({ totalKiB: 51776, usedKiB: 11928 });
  });

  it("gives nothing for a reply that is not meminfo", () => {
    expect(memoryUse(parseMeminfo("Unknown command"))).toBeNull();
  });
});

describe("small files", () => {
  it("reads the 1-minute load", () => {
    expect(parseLoad1("0.42 0.30 0.10 2/40 750\n")).toBe(0.42);
    expect(parseLoad1("")).toBeNull();
    expect(parseLoad1("nope")).toBeNull();
  });

  it("reads busy and total CPU ticks", () => {
    const stat = "cpu  100 5 50 1000 20 1 2 3 40 0\ncpu0 50 2 25 500 10 0 1 1 20 0\n";
    expect(parseCpuTimes(stat)).toEqual({ busy: 161, total: 1181, steal: 3 });
    expect(parseCpuTimes("intr 1 2 3")).toBeNull();
  });

  it("reads PSS", () => {
    expect(parsePssKiB("00400000-7ffd [rollup]\nRss:  21448 kB\nPss:  20404 kB\nPss_Anon: 1 kB\n")).toBe(20404);
    expect(parsePssKiB("")).toBeNull();
  });
});

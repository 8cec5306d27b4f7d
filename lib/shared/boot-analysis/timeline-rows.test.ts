import { describe, expect, it } from "vitest";
import { parseBoot } from "./boot-parser";
import { loadFixture } from "./fixtures.test-support";
import { timelineRows } from "./timeline-rows";

describe("timelineRows", () => {
  it("charts a systemd boot: phases, each unit from Starting to its end, the failed one marked", async () => {
    const a = parseBoot((await loadFixture("debian-failed-unit")).text);
    const { rows, markers, hidden, total } = timelineRows(a);
    expect(hidden).toBe(0);
    expect(rows.filter((r) => r.tone === "phase").map((r) => r.label)).toEqual(["Kernel", "Userspace"]);
    const kernel = rows.find((r) => r.label === "Kernel")!;
    expect(kernel).toMatchObject({ start: a.firstOutputSeconds, end: a.initSeconds });
    const failed = rows.filter((r) => r.tone === "failed");
    expect(failed.map((r) => r.label)).toEqual(["report-upload.service"]);
    const unit = a.units.find((u) => u.unit === "report-upload.service")!;
    // The bar leads the replay to the line that says it failed.
    expect(failed[0]).toMatchObject({ start: unit.startingAt, end: unit.endedAt, at: unit.endedAt });
    for (let i = 1; i < rows.length; i++) expect(rows[i].start).toBeGreaterThanOrEqual(rows[i - 1].start);
    expect(markers.map((m) => m.kind)).toEqual(expect.arrayContaining(["root-mounted", "init-started", "prompt"]));
    expect(total).toBeGreaterThanOrEqual(Math.max(...rows.map((r) => r.end)));
  });

  it("charts a boot without units: the kernel phase and its problems at their moments", async () => {
    const a = parseBoot((await loadFixture("busybox-panic")).text);
    const { rows } = timelineRows(a);
    expect(rows.map((r) => [r.tone, r.label.slice(0, 27)])).toEqual([
      ["phase", "Kernel"],
      ["problem", "EXT4-fs (ubda): recovery co"],
      ["problem", "Kernel panic - not syncing:"],
    ]);
    const panic = rows.find((r) => r.label.startsWith("Kernel panic"))!;
    expect(panic.start).toBe(panic.end);
    expect(panic.at).toBe(a.problems[0].at);
  });

  it("keeps phases, problems and failures when there are more rows than it may draw", async () => {
    const a = parseBoot((await loadFixture("debian-failed-unit")).text);
    const { rows, hidden } = timelineRows(a, 5);
    expect(rows).toHaveLength(5);
    expect(hidden).toBe(a.units.length + 2 - 5);
    expect(rows.map((r) => r.tone)).toEqual(expect.arrayContaining(["phase", "phase", "failed"]));
  });
});

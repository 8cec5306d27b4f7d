import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestDaemon, waitFor } from "../test-support/daemon-harness";

// A data directory on its own small tmpfs, so "disk full" is real and harms nothing else.
// Mounting needs root, which CI has.
const isRoot = process.getuid?.() === 0;

describe.runIf(isRoot)("a full data directory (real UML, tmpfs)", () => {
  const mount = fs.mkdtempSync(path.join(os.tmpdir(), "corral-full-"));
  let daemon: TestDaemon;

  beforeAll(async () => {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=160m", "tmpfs", mount]);
    daemon = new TestDaemon({ CORRAL_DATA_DIR: mount });
    await daemon.start();
  });
  afterAll(async () => {
    await daemon.cleanup();
    execFileSync("umount", ["-l", mount]);
    fs.rmSync(mount, { recursive: true, force: true });
  });

  it("keeps a running guest up when its log cannot grow, says so, and refuses new starts", async () => {
    const g = await daemon.createGuest("filler");
    await daemon.startGuest(g.id);
    const s = await daemon.socket();
    const tap = await daemon.attachConsole(s, g.id);
    const reasons: string[] = [];
    s.on("guest:state", (e) => e.id === g.id && e.stateReason && reasons.push(e.stateReason));
    await s.emitWithAck("guests:watch");

    const ballast = path.join(mount, "ballast");
    fs.writeFileSync(ballast, "");
    try {
      execFileSync("dd", ["if=/dev/zero", `of=${ballast}`, "bs=1M", "count=400"], { stdio: "ignore" });
    } catch {
      // dd stops with ENOSPC: the disk is now full, which is the point
    }
    await tap.type("i=0; while [ $i -lt 200 ]; do echo line-$i-padding-padding-padding; i=$((i+1)); done\r");
    // Pushed live; the database, on the same full disk, may not be able to store it.
    const reason = await waitFor("the log failure to be reported", () =>
      reasons.find((r) => r.includes("no longer recorded")),
    );
    expect(reason).toMatch(/ENOSPC|no space/i);
    // The guest itself is unharmed: it still answers.
    await tap.type("echo STILL-$((2*21))\r");
    await tap.expect(/STILL-42/);
    expect((await daemon.guest(g.id)).state).toBe("running");

    const other = await daemon.api("POST", "/api/guests", {
      name: "late",
      imageId: await daemon.defaultImageId(),
      memoryMiB: 48,
    });
    if (other.status === 201) {
      // Accepted (queued); the boot finds the data directory full and fails, saying why.
      const late = (other.body as { id: string }).id;
      expect((await daemon.api("POST", `/api/guests/${late}/start`)).status).toBe(202);
      const refused = await daemon.waitForState(late, "crashed");
      expect(refused.stateReason).toMatch(/data directory .* has only \d+ MiB free/);
    } else {
      expect(other.status).toBeGreaterThanOrEqual(500); // the database itself could not grow
    }
    fs.rmSync(ballast);
    await daemon.api("POST", `/api/guests/${g.id}/force-off`);
    await daemon.waitForState(g.id, "stopped");
  });
});

// Cold migration against a plain file copy of the same bytes, in one run: two daemons
// (fleet-a, fleet-b) on a throwaway PostgreSQL with separate data directories, one busybox
// guest on a 512 MiB image with MIB MiB of random data written inside it (dd in the guest),
// moved back and forth ROUNDS times. Each round first copies the guest's directory with
// `cp -r --sparse=always` into the other host's data directory (the baseline: same bytes, same
// disks, no network, no checks), then migrates the guest there through the daemons (a manifest
// of sha256 sums, a tar stream over HTTP between daemons, the copy checked again, renamed in).
// Also the CPU both daemons and their children (tar, sync) spend per migration, which the
// machine's load moves far less than the wall time.
// Usage: npm run bench:fleet-migrate [-- MIB]   (default 256)
// Env: CORRAL_BENCH_ROUNDS (3), CORRAL_BENCH_TIMEOUT_S (900: the whole run's budget).
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { MigrationResult } from "../lib/shared/protocol";
import { openDatabase } from "../server/db";
import { registerImage } from "../server/images/image-library";
import { waitFor, type TestDaemon } from "../server/test-support/daemon-harness";
import { FleetRig } from "../server/test-support/fleet-rig";
import { pct, progress, range, Rig, runBench } from "./console-rig";
import { ProcessTreeCpu } from "./process-cpu";

const run = promisify(execFile);
const MIB = Number(process.argv[2] ?? 256);
const ROUNDS = Number(process.env.CORRAL_BENCH_ROUNDS ?? 3);
const BUDGET_S = Number(process.env.CORRAL_BENCH_TIMEOUT_S ?? 900);

/** A 512 MiB ext4 image with the built-in image's files, registered in the fleet's database. */
async function bigImage(rig: FleetRig): Promise<string> {
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), "corral-bench-root-"));
  const big = path.join(rig.a.dataDir, "images/big.img");
  try {
    execFileSync("debugfs", ["-R", `rdump / ${staging}`, path.join(rig.a.dataDir, "images/busybox.img")], {
      stdio: "ignore",
    });
    execFileSync("/sbin/mke2fs", ["-q", "-F", "-t", "ext4", "-d", staging, big, "512M"]);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  fs.chmodSync(big, 0o444);
  const db = openDatabase(rig.url);
  try {
    return (await registerImage(db, { name: "big", path: big, hostName: "fleet-a" })).id;
  } finally {
    await db.$disconnect();
  }
}

async function main() {
  const rig = new Rig(BUDGET_S);
  const fleet = new FleetRig();
  const copies: string[] = [];
  rig.cleanupAlso = async () => {
    for (const c of copies) fs.rmSync(c, { recursive: true, force: true });
    await fleet.cleanup();
  };
  try {
    progress(`starting PostgreSQL and two daemons (${MIB} MiB written in the guest, ${ROUNDS} rounds)`);
    const slow = { CORRAL_BOOT_TIMEOUT_SECONDS: "120", CORRAL_STOP_TIMEOUT_SECONDS: "120" };
    await rig.within("the fleet", fleet.start(slow, { ownSignals: false }));
    const imageId = await rig.within("the 512 MiB image", bigImage(fleet));
    // b gets its own copy of the image (fetched from a), and both hosts must have reported
    // the image's file (their next heartbeat) before the guest can move.
    const copy = await fleet.a.api("POST", `/api/images/${imageId}/copies`, {
      hostId: (await fleet.hostId("fleet-b")).id,
    });
    if (copy.status !== 202) throw new Error(`image copy: ${copy.status} ${JSON.stringify(copy.body)}`);
    await rig.within(
      "both hosts to report the image",
      waitFor(
        "both hosts to report the image",
        async () => (await fleet.hosts()).every((h) => !h.missingImageIds.includes(imageId)),
        300_000,
      ),
    );
    const g = await rig.within("the guest", fleet.createGuestOn(fleet.a, "bench-migrate", { imageId, memoryMiB: 128 }));
    await rig.within("the guest to boot", fleet.a.startGuest(g.id));
    progress(`writing ${MIB} MiB of random data inside the guest`);
    const s = await fleet.a.socket();
    const tap = await fleet.a.attachConsole(s, g.id);
    await tap.type(`dd if=/dev/urandom of=/root/junk bs=1M count=${MIB} 2>/dev/null; sync; echo DIRTY-$((1+1))\r`);
    await rig.within("the guest to write its data", tap.expect(/\r\nDIRTY-2\r\n/, BUDGET_S * 1000));
    s.close();
    await fleet.a.api("POST", `/api/guests/${g.id}/stop`);
    await rig.within("the guest to stop", fleet.a.waitForState(g.id, "stopped", 180_000));

    const hostIds = { a: (await fleet.hostId("fleet-a")).id, b: (await fleet.hostId("fleet-b")).id };
    const cpMs: number[] = [];
    const moveMs: number[] = [];
    const ratio: number[] = [];
    const cpuS: number[] = [];
    const daemons = () => [fleet.a.proc?.pid, fleet.b.proc?.pid].filter((p): p is number => p !== undefined);
    let bytes = 0;
    let on: "a" | "b" = "a";
    for (let round = 1; round <= ROUNDS; round++) {
      const to: "a" | "b" = on === "a" ? "b" : "a";
      const from: TestDaemon = fleet[on];
      const dir = path.join(from.dataDir, "guests", g.id);
      bytes = Number((await run("du", ["-sb", "--apparent-size", dir])).stdout.split("\t")[0]);
      const copy = path.join(fleet[to].dataDir, `bench-copy-${round}`);
      copies.push(copy);
      const t0 = performance.now();
      await rig.within("the copy", run("cp", ["-r", "--sparse=always", "--", dir, copy]));
      cpMs.push(performance.now() - t0);
      fs.rmSync(copy, { recursive: true, force: true });
      const cpu = new ProcessTreeCpu(daemons);
      cpu.start();
      const t1 = performance.now();
      const res = await rig.within(
        "the migration",
        from.api<MigrationResult>("POST", `/api/guests/${g.id}/migrate`, { hostId: hostIds[to] }),
      );
      if (res.status !== 200) throw new Error(`migration failed: ${res.status} ${JSON.stringify(res.body)}`);
      moveMs.push(performance.now() - t1);
      cpuS.push(cpu.stop());
      ratio.push(moveMs.at(-1)! / cpMs.at(-1)!);
      progress(
        `round ${round}: fleet-${on} → fleet-${to}: cp ${cpMs.at(-1)!.toFixed(0)} ms, migration ${moveMs.at(-1)!.toFixed(0)} ms, daemons' CPU ${cpuS.at(-1)!.toFixed(1)} s`,
      );
      on = to;
    }
    const ms = (x: number) => `${x.toFixed(0)} ms`;
    const x2 = (x: number) => x.toFixed(2);
    const mbps = (x: number) => `${(bytes / 1e6 / (x / 1000)).toFixed(0)} MB/s`;
    const line = (label: string, xs: number[], f: (x: number) => string) =>
      console.log(`  ${label.padEnd(34)} median ${f(pct(xs, 0.5))}   (${range(xs, f)})`);
    console.log(
      `bench:fleet-migrate: a stopped guest with ${MIB} MiB written inside it (${(bytes / 2 ** 20).toFixed(0)} MiB of files), ${ROUNDS} rounds`,
    );
    line("cp -r --sparse=always (baseline)", cpMs, ms);
    line("migration (API call, end to end)", moveMs, ms);
    line("migration / cp", ratio, x2);
    line("CPU of both daemons and children", cpuS, (x) => `${x.toFixed(1)} s`);
    console.log(`  throughput: cp ${mbps(pct(cpMs, 0.5))}, migration ${mbps(pct(moveMs, 0.5))} (medians)`);
  } finally {
    progress("cleaning up");
    await rig.cleanup();
  }
}

runBench(main);

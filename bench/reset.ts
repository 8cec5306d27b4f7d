// Reset to pristine must not grow with image size. In one run, against the same daemon:
// reset a guest on the 32 MiB built-in image and one on a 1 GiB image, each with the same
// amount written inside the guest, then the 1 GiB guest again with a much dirtier COW.
// Prints the daemon's time to reset (ms) and the ratio 1 GiB / 32 MiB.
// Usage: npm run bench:reset [-- dirtyMiB bigDirtyMiB]   (defaults 8 and 256)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../server/db";
import { registerImage } from "../server/images/image-library";
import { TestDaemon } from "../server/test-support/daemon-harness";

const dirty = Number(process.argv[2] ?? 8);
const bigDirty = Number(process.argv[3] ?? 256);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const daemon = new TestDaemon({ CORRAL_BOOT_TIMEOUT_SECONDS: "120", CORRAL_STOP_TIMEOUT_SECONDS: "120" });
  await daemon.start();
  try {
    const staging = fs.mkdtempSync(path.join(os.tmpdir(), "corral-bench-root-"));
    execFileSync("debugfs", ["-R", `rdump / ${staging}`, path.join(daemon.dataDir, "images/busybox.img")], {
      stdio: "ignore",
    });
    const big = path.join(daemon.dataDir, "images/big.img");
    execFileSync("/sbin/mke2fs", ["-q", "-F", "-t", "ext4", "-d", staging, big, "1G"]);
    fs.rmSync(staging, { recursive: true, force: true });
    fs.chmodSync(big, 0o444);
    const db = openDatabase({ CORRAL_DATA_DIR: daemon.dataDir });
    const bigImage = await registerImage(db, {
      name: "big",
      path: big,
      hostName: (await db.host.findFirstOrThrow()).name,
    });
    await db.$disconnect();

    async function dirtyGuest(name: string, imageId: string | undefined, mib: number): Promise<string> {
      const g = await daemon.createGuest(name, imageId ? { imageId } : {});
      await daemon.startGuest(g.id);
      const tap = await daemon.attachConsole(await daemon.socket(), g.id);
      await tap.type(`dd if=/dev/urandom of=/root/junk bs=1M count=${mib} 2>/dev/null; sync; echo DIRTY-DONE\r`);
      await tap.expect(/\r\nDIRTY-DONE\r\n/, 600_000);
      await daemon.api("POST", `/api/guests/${g.id}/stop`);
      await daemon.waitForState(g.id, "stopped", 180_000);
      return g.id;
    }
    async function timeReset(id: string): Promise<{ ms: number; discardedBytes: number }> {
      const res = await daemon.api<{ ms: number; discardedBytes: number }>("POST", `/api/guests/${id}/reset`, {});
      if (res.status !== 200) throw new Error(JSON.stringify(res.body));
      return res.body;
    }

    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < 3; i++) {
      const a = await dirtyGuest(`small-${i}`, undefined, dirty);
      const b = await dirtyGuest(`large-${i}`, bigImage.id, dirty);
      small.push((await timeReset(a)).ms);
      large.push((await timeReset(b)).ms);
    }
    const veryDirty = await dirtyGuest("large-dirty", bigImage.id, bigDirty);
    const vd = await timeReset(veryDirty);

    console.log(`reset to pristine, daemon time, median of 3 (${dirty} MiB written in the guest):`);
    console.log(
      `  32 MiB image: ${median(small).toFixed(2)} ms   (samples ${small.map((x) => x.toFixed(2)).join(" ")})`,
    );
    console.log(
      `  1 GiB image:  ${median(large).toFixed(2)} ms   (samples ${large.map((x) => x.toFixed(2)).join(" ")})`,
    );
    console.log(
      `  1 GiB image with ${bigDirty} MiB written: ${vd.ms.toFixed(2)} ms, ${(vd.discardedBytes / 2 ** 20).toFixed(0)} MiB discarded`,
    );
    console.log(`ratio 1 GiB / 32 MiB: ${(median(large) / median(small)).toFixed(2)}`);
  } finally {
    await daemon.cleanup();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

// Boot time through Corral versus the physical limit, measured in one run:
//   raw:    linux.uml spawned directly on a pty by a tiny Node reader, timed from spawn
//           until the console shows the shell prompt;
//   corral: POST /start to a real daemon, timed until the prompt reaches a socket.io
//           console viewer (and until the daemon reports the guest running).
// Usage: npm run bench:boot [-- runs]    (default 5 runs each, alternating)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { TestDaemon } from "../server/test-support/daemon-harness";
import { rawBoot } from "./raw-boot";

const runs = Number(process.argv[2] ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  // The baseline has no network, so neither do the guests here (bench:network prices it).
  const daemon = new TestDaemon();
  await daemon.start();
  const binary = path.resolve("vendor/kernel/linux.uml");
  const image = path.join(daemon.dataDir, "images/busybox.img");
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "corral-bench-cow-"));
  const raw: number[] = [];
  const viaPrompt: number[] = [];
  const viaState: number[] = [];
  const s = await daemon.socket();
  try {
    for (let i = 0; i < runs; i++) {
      raw.push(await rawBoot(binary, image, scratch, i));

      const g = await daemon.createGuest(`bench-${i}`, { network: "none" });
      const tap = await daemon.attachConsole(s, g.id);
      const t0 = performance.now();
      let runningAt = 0;
      const onState = (e: { id: string; state: string }) => {
        if (e.id === g.id && e.state === "running" && !runningAt) runningAt = performance.now() - t0;
      };
      s.on("guest:state", onState);
      await s.emitWithAck("guests:watch");
      await daemon.api("POST", `/api/guests/${g.id}/start`);
      await tap.expect(/:\/# (\x1b\[6n)?$/, 60_000);
      viaPrompt.push(performance.now() - t0);
      await daemon.waitForState(g.id, "running");
      viaState.push(runningAt || performance.now() - t0);
      s.off("guest:state", onState);
      await daemon.api("POST", `/api/guests/${g.id}/force-off`);
      await daemon.waitForState(g.id, "stopped");
    }
  } finally {
    await daemon.cleanup();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const r = median(raw);
  const p = median(viaPrompt);
  const st = median(viaState);
  console.log(`boot to shell prompt, median of ${runs} (ms): raw pty ${r.toFixed(0)}, through Corral ${p.toFixed(0)}`);
  console.log(`  samples raw:    ${raw.map((x) => x.toFixed(0)).join(" ")}`);
  console.log(`  samples corral: ${viaPrompt.map((x) => x.toFixed(0)).join(" ")}`);
  console.log(`daemon reports "running" after ${st.toFixed(0)} ms (init's ready notification)`);
  console.log(`ratio corral/raw: ${(p / r).toFixed(2)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

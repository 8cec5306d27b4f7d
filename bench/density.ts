// What idle guests cost, through Corral versus raw kernels, in one run: N guests started
// (see bench:storm), left to settle, then measured for a window: CPU per idle guest (every
// process below the bench's children, from /proc), the daemon's and the keeper's share of a
// core, and memory per guest as the processes' proportional set size (the guests' memory
// files included), so other programs on the host do not count.
// Usage: npm run bench:density [-- N [MiB [network [seconds]]]]   (defaults 50, 48, user, 30)
import os from "node:os";
import path from "node:path";
import { TestDaemon } from "../server/test-support/daemon-harness";
import { cleanUp, corralRoots, corralStorm, onCleanup, rawStorm } from "./guest-storms";
import { ProcessTreeCpu, pssMiB } from "./process-cpu";

const count = Number(process.argv[2] ?? 50);
const memoryMiB = Number(process.argv[3] ?? 48);
const network = process.argv[4] ?? "user";
const windowSeconds = Number(process.argv[5] ?? 30);
const SETTLE_MS = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Idle {
  cpuPctPerGuest: number;
  memMiBPerGuest: number;
}

/** Samples the tree below `roots` for the window: CPU % of a core per guest, memory per guest. */
async function measureIdle(label: string, roots: () => number[]): Promise<ProcessTreeCpu & { idle: Idle }> {
  process.stderr.write(`  ${label}: settling ${SETTLE_MS / 1000} s, then measuring ${windowSeconds} s\n`);
  await sleep(SETTLE_MS);
  const cpu = new ProcessTreeCpu(roots, 1000);
  cpu.start();
  await sleep(windowSeconds * 1000);
  const seconds = cpu.stop();
  const memMiB = pssMiB(cpu.live);
  const pct = (s: number) => (100 * s) / windowSeconds;
  return Object.assign(cpu, {
    idle: { cpuPctPerGuest: pct(seconds) / count, memMiBPerGuest: memMiB / count },
  });
}

async function main() {
  console.log(`idle density: ${count} guests of ${memoryMiB} MiB, network ${network}, ${os.cpus().length} cores`);
  const daemon = new TestDaemon();
  onCleanup(() => daemon.cleanup());
  await daemon.start();
  const image = path.join(daemon.dataDir, "images/busybox.img");

  const raw = await rawStorm(image, count, memoryMiB);
  const rawIdle = (await measureIdle("raw", () => raw.pids)).idle;
  await raw.end();

  await corralStorm(daemon, count, { memoryMiB, network });
  const roots = corralRoots(daemon);
  const corral = await measureIdle("corral", roots);
  const [daemonPid, keeperPid] = roots();
  const share = (pid: number) => (100 * corral.secondsOf(pid)) / windowSeconds;
  const daemonRss = pssMiB([daemonPid]);
  await cleanUp();

  const c = corral.idle;
  console.log(`                   CPU per idle guest   memory per guest`);
  console.log(`  raw linux.uml    ${rawIdle.cpuPctPerGuest.toFixed(3).padStart(8)} % of a core   ${rawIdle.memMiBPerGuest.toFixed(1)} MiB`);
  console.log(`  Corral           ${c.cpuPctPerGuest.toFixed(3).padStart(8)} % of a core   ${c.memMiBPerGuest.toFixed(1)} MiB`);
  console.log(
    `  ratio            ${(c.cpuPctPerGuest / rawIdle.cpuPctPerGuest).toFixed(2).padStart(8)}                ${(c.memMiBPerGuest / rawIdle.memMiBPerGuest).toFixed(2)}`,
  );
  console.log(
    `  with ${count} idle guests: daemon ${share(daemonPid).toFixed(1)} % of a core (${daemonRss.toFixed(0)} MiB), keeper ${share(keeperPid).toFixed(1)} %`,
  );
}

main().catch(async (err) => {
  console.error(err);
  await cleanUp();
  process.exit(1);
});

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
  /** The guests' own processes (kernels, their helpers, slirp4netns), per guest. */
  cpuPctPerGuest: number;
  memMiBPerGuest: number;
  /** The daemon and the keeper: a fixed cost, not per guest. */
  fixed: { cpuPct: number[]; memMiB: number[] };
  /** The host's 1- and 5-minute load averages at the window's end: other work weighs on every figure. */
  load: number[];
}

/**
 * Samples the tree below `roots` for the window: the guests' processes per guest, and the
 * roots themselves (Corral's daemon and keeper) apart, as what every guest shares.
 */
async function measureIdle(label: string, roots: () => number[], fixedPids: number[]): Promise<Idle> {
  process.stderr.write(`  ${label}: settling ${SETTLE_MS / 1000} s, then measuring ${windowSeconds} s\n`);
  await sleep(SETTLE_MS);
  const cpu = new ProcessTreeCpu(roots, 1000);
  cpu.start();
  await sleep(windowSeconds * 1000);
  const pct = (seconds: number) => (100 * seconds) / windowSeconds;
  const total = cpu.stop();
  const fixedCpu = fixedPids.map((pid) => pct(cpu.secondsOf(pid)));
  const fixedMem = fixedPids.map((pid) => pssMiB([pid]));
  const guestsMem = pssMiB(cpu.live.filter((pid) => !fixedPids.includes(pid)));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    cpuPctPerGuest: (pct(total) - sum(fixedCpu)) / count,
    memMiBPerGuest: guestsMem / count,
    fixed: { cpuPct: fixedCpu, memMiB: fixedMem },
    load: os.loadavg().slice(0, 2),
  };
}

async function main() {
  console.log(`idle density: ${count} guests of ${memoryMiB} MiB, network ${network}, ${os.cpus().length} cores`);
  const daemon = new TestDaemon();
  onCleanup(() => daemon.cleanup());
  await daemon.start();
  const image = path.join(daemon.dataDir, "images/busybox.img");

  const raw = await rawStorm(image, count, memoryMiB);
  const rawIdle = await measureIdle("raw", () => raw.pids, []);
  await raw.end();

  await corralStorm(daemon, count, { memoryMiB, network });
  const roots = corralRoots(daemon);
  const c = await measureIdle("corral", roots, roots());
  await cleanUp();

  const [daemonCpu, keeperCpu] = c.fixed.cpuPct;
  const [daemonMem, keeperMem] = c.fixed.memMiB;
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(" / ");
  console.log(
    `                   CPU per idle guest   memory per guest   (load average 1 / 5 min at the window's end)`,
  );
  console.log(
    `  raw linux.uml    ${rawIdle.cpuPctPerGuest.toFixed(3).padStart(8)} % of a core   ${rawIdle.memMiBPerGuest.toFixed(1)} MiB   (${load(rawIdle.load)})`,
  );
  console.log(
    `  Corral           ${c.cpuPctPerGuest.toFixed(3).padStart(8)} % of a core   ${c.memMiBPerGuest.toFixed(1)} MiB   (${load(c.load)})`,
  );
  console.log(
    `  ratio            ${(c.cpuPctPerGuest / rawIdle.cpuPctPerGuest).toFixed(2).padStart(8)}                ${(c.memMiBPerGuest / rawIdle.memMiBPerGuest).toFixed(2)}`,
  );
  console.log(
    `  shared by the ${count} guests: daemon ${daemonCpu.toFixed(2)} % of a core, ${daemonMem.toFixed(0)} MiB; keeper ${keeperCpu.toFixed(2)} %, ${keeperMem.toFixed(0)} MiB`,
  );
  console.log(
    `  all told, per guest with ${count}: ${(c.cpuPctPerGuest + (daemonCpu + keeperCpu) / count).toFixed(3)} % of a core, ${(c.memMiBPerGuest + (daemonMem + keeperMem) / count).toFixed(1)} MiB`,
  );
}

main().catch(async (err) => {
  console.error(err);
  await cleanUp();
  process.exit(1);
});

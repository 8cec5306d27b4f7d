// UML guests versus context guests (LXC) through Corral, N of each in the same run and the
// same daemon, one kind after the other: boot to prompt (N started at once; each guest's own
// start-to-ready from its boot record), then idle cost per guest over a window — CPU and
// proportional set size of every process below the console keeper (UML: kernel and helpers,
// guest RAM it touched included; context: lxc-start's monitor, init and shell), plus the
// context guests' own cgroup memory (page cache and kernel memory their processes caused).
// Usage: npm run bench:kinds [-- N [MiB [seconds]]]   (defaults 50, 48, 20); network none.
import fs from "node:fs";
import os from "node:os";
import type { BootView, GuestKind, GuestView } from "../lib/shared/protocol";
import { probeContextSupport } from "../server/lxc/host-support";
import { TestDaemon, waitFor } from "../server/test-support/daemon-harness";
import { cleanUp, corralRoots, corralStorm, onCleanup } from "./guest-storms";
import { ProcessTreeCpu, pssMiB } from "./process-cpu";

const count = Number(process.argv[2] ?? 50);
const memoryMiB = Number(process.argv[3] ?? 48);
const windowSeconds = Number(process.argv[4] ?? 20);
const SETTLE_MS = 5_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface KindResult {
  allUpS: number;
  bootMsMedian: number;
  cpuPctPerGuest: number;
  pssMiBPerGuest: number;
  cgroupMiBPerGuest: number | null;
}

/** Sum of the guests' memory cgroups (context guests only): `lxc.payload.<id>`. */
function cgroupMiB(guests: GuestView[]): number {
  let bytes = 0;
  for (const g of guests) {
    try {
      bytes += Number(fs.readFileSync(`/sys/fs/cgroup/memory/lxc.payload.${g.id}/memory.usage_in_bytes`, "utf8"));
    } catch {}
  }
  return bytes / 2 ** 20;
}

async function runKind(daemon: TestDaemon, kind: GuestKind): Promise<KindResult> {
  process.stderr.write(`${kind}: ${count} guests\n`);
  const storm = await corralStorm(daemon, count, { memoryMiB, network: "none", kind });
  const boots = await Promise.all(
    storm.guests.map(async (g) => (await daemon.api<BootView[]>("GET", `/api/guests/${g.id}/boots`)).body[0]),
  );
  const bootMs = boots.map((b) => new Date(b.readyAt!).getTime() - new Date(b.startedAt).getTime());

  process.stderr.write(`  settling ${SETTLE_MS / 1000} s, then measuring ${windowSeconds} s\n`);
  await sleep(SETTLE_MS);
  const roots = corralRoots(daemon);
  const fixed = roots();
  const cpu = new ProcessTreeCpu(roots, 1000);
  cpu.start();
  await sleep(windowSeconds * 1000);
  const total = cpu.stop();
  const fixedSeconds = fixed.reduce((s, pid) => s + cpu.secondsOf(pid), 0);
  const pss = pssMiB(cpu.live.filter((pid) => !fixed.includes(pid)));
  const cgroup = kind === "context" ? cgroupMiB(storm.guests) : null;

  process.stderr.write("  forcing them off\n");
  await Promise.all(storm.guests.map((g) => daemon.api("POST", `/api/guests/${g.id}/force-off`)));
  await waitFor(
    `every ${kind} guest to stop`,
    async () => {
      const { body } = await daemon.api<GuestView[]>("GET", `/api/guests?kind=${kind}`);
      return body.every((g) => g.state === "stopped" || g.state === "crashed");
    },
    120_000 + count * 2_000,
  );
  return {
    allUpS: storm.seconds,
    bootMsMedian: median(bootMs),
    cpuPctPerGuest: (100 * (total - fixedSeconds)) / windowSeconds / count,
    pssMiBPerGuest: pss / count,
    cgroupMiBPerGuest: cgroup === null ? null : cgroup / count,
  };
}

async function main() {
  const support = probeContextSupport(process.cwd());
  if (!support.available) throw new Error(`context guests are unavailable here: ${support.reason}`);
  console.log(
    `kinds: ${count} UML and ${count} context guests of ${memoryMiB} MiB, network none, ${os.cpus().length} cores`,
  );
  const daemon = new TestDaemon();
  onCleanup(() => daemon.cleanup());
  await daemon.start();
  const uml = await runKind(daemon, "uml");
  const ctx = await runKind(daemon, "context");
  await cleanUp();

  const row = (label: string, r: KindResult) =>
    `  ${label.padEnd(10)} ${r.allUpS.toFixed(2).padStart(8)} s   ${String(r.bootMsMedian).padStart(7)} ms   ` +
    `${r.cpuPctPerGuest.toFixed(3).padStart(7)} %   ${r.pssMiBPerGuest.toFixed(2).padStart(7)} MiB` +
    (r.cgroupMiBPerGuest === null ? "" : `   (+ ${r.cgroupMiBPerGuest.toFixed(2)} MiB in its cgroup)`);
  console.log(`             all up       boot (median)   idle CPU   idle host memory per guest`);
  console.log(row("uml", uml));
  console.log(row("context", ctx));
  const ctxMem = ctx.pssMiBPerGuest + (ctx.cgroupMiBPerGuest ?? 0);
  console.log(
    `  ratio uml/context: all up ${(uml.allUpS / ctx.allUpS).toFixed(1)}×, boot ${(uml.bootMsMedian / ctx.bootMsMedian).toFixed(1)}×, ` +
      `memory ${(uml.pssMiBPerGuest / ctxMem).toFixed(1)}× (context counted with its cgroup)`,
  );
}

main().catch(async (err) => {
  console.error(err);
  await cleanUp();
  process.exit(1);
});

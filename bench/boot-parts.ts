// Where a guest's boot through Corral costs its kernel more than a raw boot: kernels booted
// as bench:storm's raw ones are, adding one of Corral's ingredients at a time, K at once,
// the variants alternating round by round. Each kernel's CPU (and its helpers', slirp4netns
// counted apart) from spawn until its console shows the shell prompt, per boot.
//   raw       the raw bench's kernel: no seed disk, no network;
//   seed      + the seed disk (/dev/ubdb) with the hostname only;
//   net       + the user network (namespace, tap, slirp4netns) and a seed without `network`:
//             the kernel has its interface, the init leaves it down;
//   seed-net  + the seed's `network` too: the init configures it (as through Corral).
// Usage: npm run bench:boot-parts [-- ROUNDS [K [IMAGE…]]]   (defaults 4, 4, the built-in image
// built afresh from this tree; several images are compared, each with every variant).
// PARTS=raw,seed-net limits the variants; ARGS="a=1 b" adds kernel arguments to every variant
// (to weigh one, run with it and without, alternating).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pty from "node-pty";
import type { ChildProcess } from "node:child_process";
import { ConsoleWatcher } from "../server/boots/console-watcher";
import { buildDefaultImage } from "../server/images/default-image";
import { startUserNet, stopUserNet } from "../server/network/user-net";
import { buildKernelArgv, inUserNetns } from "../server/uml/argv";
import { killGroup } from "../server/uml/kernel-process";
import { writeSeedDisk } from "../server/uml/seed-disk";
import { USER_NET } from "../lib/shared/network";
import { cleanUp, onCleanup } from "./guest-storms";
import { ProcessTreeCpu } from "./process-cpu";

const rounds = Number(process.argv[2] ?? 4);
const K = Number(process.argv[3] ?? 4);
const VARIANTS = ["raw", "seed", "net", "seed-net"] as const;
type Variant = (typeof VARIANTS)[number];
const only = (process.env.PARTS ?? "").split(",").filter(Boolean);
const variants = VARIANTS.filter((v) => !only.length || only.includes(v));
const extraArgs = (process.env.ARGS ?? "").split(" ").filter(Boolean);
const kernel = path.resolve("vendor/kernel/linux.uml");
const script = path.resolve("scripts/guest-netns.sh");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "boot-parts-"));
/** Catches a hang only. */
const PROMPT_DEADLINE_MS = 120_000;

async function boot(
  image: string,
  v: Variant,
  i: number,
  pids: number[],
): Promise<{ end: () => Promise<void>; up: Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(work, `${v}-`));
  const withNet = v === "net" || v === "seed-net";
  let seedPath: string | undefined;
  if (v !== "raw") {
    seedPath = path.join(dir, "seed.img");
    const network =
      v === "seed-net"
        ? { address: USER_NET.address, gateway: USER_NET.gateway, dns: USER_NET.dns, dhcp: false }
        : null;
    await writeSeedDisk(seedPath, { hostname: `g${i}`, network, rootPasswordHash: null, authorizedKeys: null });
  }
  let argv = buildKernelArgv({
    umid: `parts${i}`,
    runDir: dir,
    cowPath: path.join(dir, "c.cow"),
    imagePath: image,
    memoryMiB: 48,
    notifySocket: path.join(dir, "n"),
    extraArgs: [],
    hostname: v === "raw" ? undefined : `g${i}`,
    seedPath,
    network: withNet ? { tap: "uml0" } : undefined,
  })
    .filter((a) => !a.startsWith("mconsole=notify:"))
    .concat(extraArgs); // the bench's own choice: not checked against guests' allow-list
  let binary = kernel;
  if (withNet) ({ binary, argv } = inUserNetns(kernel, argv, script));
  const term = pty.spawn(binary, argv, { cols: 80, rows: 24, env: { PATH: process.env.PATH, TMPDIR: "/dev/shm" } });
  pids.push(term.pid);
  const exited = new Promise((r) => term.onExit(r));
  let slirp: ChildProcess | null = null;
  const apiSocket = path.join(dir, "net");
  const watcher = new ConsoleWatcher();
  let netStarted = false;
  const up = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${v} kernel ${i}: no prompt in 120 s`)), PROMPT_DEADLINE_MS);
    const sub = term.onData((d) => {
      if (withNet && !netStarted && fs.readFileSync(`/proc/${term.pid}/comm`, "utf8").trim() === "linux.uml") {
        netStarted = true;
        startUserNet(term.pid, { apiSocket, forwards: [], forwardAddress: "127.0.0.1", hostLoopback: false }).then(
          (s) => {
            slirp = s;
            pids.push(s.pid!);
          },
          reject,
        );
      }
      if (!watcher.scan(d).some((s) => s.kind === "prompt")) return;
      sub.dispose();
      clearTimeout(timer);
      resolve();
    });
  });
  let ended: Promise<void> | null = null;
  // Once, however often it is called (by the round, then by the cleanup).
  const end = () =>
    (ended ??= (async () => {
      killGroup(term.pid, "SIGKILL");
      await exited;
      if (slirp) stopUserNet(slirp, apiSocket);
      fs.rmSync(dir, { recursive: true, force: true });
    })());
  onCleanup(end);
  return { end, up };
}

async function round(image: string, v: Variant): Promise<Map<string, number>> {
  const pids: number[] = [];
  const cpu = new ProcessTreeCpu(() => pids, 50);
  cpu.start();
  const kernels = [];
  for (let i = 0; i < K; i++) kernels.push(await boot(image, v, i, pids));
  await Promise.all(kernels.map((k) => k.up));
  cpu.stop();
  const byName = new Map(cpu.byName());
  await Promise.all(kernels.map((k) => k.end()));
  return byName;
}

async function main() {
  let images = process.argv.slice(4);
  if (!images.length) {
    const image = path.join(work, "busybox.img");
    await buildDefaultImage(image);
    images = [image];
  }
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ");
  console.log(
    `boot parts: ${rounds} rounds × ${K} kernels at once${extraArgs.length ? `, with ${extraArgs.join(" ")}` : ""}, load ${load()}`,
  );
  const sums = new Map<string, Map<string, number[]>>();
  for (let r = 0; r < rounds; r++) {
    for (const image of images)
      for (const v of variants) {
        const key = `${path.basename(image)} ${v}`;
        const byName = await round(image, v);
        const row = sums.get(key) ?? new Map<string, number[]>();
        for (const [name, s] of byName) row.set(name, [...(row.get(name) ?? []), s / K]);
        sums.set(key, row);
      }
    process.stderr.write(`round ${r + 1}/${rounds}, load ${load()}\n`);
  }
  for (const [key, row] of sums) {
    const parts = [...row].map(
      ([name, xs]) =>
        `${name} ${(xs.reduce((a, b) => a + b, 0) / rounds).toFixed(3)} [${xs.map((x) => x.toFixed(3)).join(" ")}]`,
    );
    console.log(`  ${key.padEnd(24)} ${parts.join(", ")}`);
  }
  console.log(`load at the end: ${load()}`);
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanUp();
    fs.rmSync(work, { recursive: true, force: true });
  });

import { kernelArgSchema } from "../../lib/shared/protocol";

export interface KernelSpec {
  umid: string;
  runDir: string;
  cowPath: string;
  imagePath: string;
  memoryMiB: number;
  notifySocket: string;
  extraArgs: readonly string[];
  /** The guest's name (validated): its hostname from the very first moment. */
  hostname?: string;
  /** Read-only seed disk (identity, network), attached as /dev/ubdb. */
  seedPath?: string;
  /** A network interface on a tap: the guest namespace's `uml0` (user networking) or a bridge tap. */
  network?: { tap: string; mac?: string };
}

/**
 * The kernel's argv, one element per argument — never a shell string. Extra arguments are
 * re-checked against the allow-list here too, so no caller can smuggle in `ubd1=` or `con=`.
 */
export function buildKernelArgv(spec: KernelSpec): string[] {
  for (const arg of spec.extraArgs) {
    if (!kernelArgSchema.safeParse(arg).success) {
      throw new Error(`kernel argument not allowed: ${JSON.stringify(arg)}`);
    }
  }
  if (spec.hostname !== undefined && !/^[a-z][a-z0-9-]{0,30}$/.test(spec.hostname)) {
    throw new Error(`invalid hostname: ${JSON.stringify(spec.hostname)}`);
  }
  if (
    spec.network &&
    (!/^[a-z0-9-]{1,15}$/.test(spec.network.tap) || !/^([0-9a-f]{2}:){5}[0-9a-f]{2}$|^$/.test(spec.network.mac ?? ""))
  ) {
    throw new Error(`invalid network device: ${JSON.stringify(spec.network)}`);
  }
  if (!Number.isInteger(spec.memoryMiB) || spec.memoryMiB <= 0) {
    throw new Error(`invalid memory size: ${spec.memoryMiB}`);
  }
  return [
    `umid=${spec.umid}`,
    `uml_dir=${spec.runDir}`,
    `ubd0=${spec.cowPath},${spec.imagePath}`,
    `mem=${spec.memoryMiB}M`,
    "root=/dev/ubda",
    // con0 is the console the daemon holds; every other console and serial line is off.
    "con=null",
    "ssl=null",
    "con0=fd:0,fd:1",
    `mconsole=notify:${spec.notifySocket}`,
    // The kernel times each RAID-6 parity routine at boot, spinning ~0.17 s on each: half of
    // a busybox guest's boot and of its CPU. Skipped, the routines stay unchosen, so a guest
    // cannot use btrfs RAID 5/6 or md RAID 4/5/6 (nothing on a guest's single disk does).
    // (7.x names the initcall raid6_init, 6.x raid6_select_algo.)
    "initcall_blacklist=raid6_init,raid6_select_algo",
    ...(spec.seedPath ? [`ubd1r=${spec.seedPath}`] : []),
    ...(spec.network
      ? [`vec0:transport=tap,ifname=${spec.network.tap}${spec.network.mac ? `,mac=${spec.network.mac}` : ""}`]
      : []),
    ...(spec.hostname ? [`systemd.hostname=${spec.hostname}`] : []),
    ...spec.extraArgs,
  ];
}

/**
 * How to launch a kernel that has user networking: in a new user and network namespace,
 * through the fixed script that builds its bridge and tap, then becomes the kernel (same
 * pid). No privileges needed; argv only.
 */
export function inUserNetns(binary: string, argv: string[], netnsScript: string): { binary: string; argv: string[] } {
  return { binary: "unshare", argv: ["--user", "--map-root-user", "--net", "--", netnsScript, binary, ...argv] };
}

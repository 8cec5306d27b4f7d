import { HALT_SIGNAL, type GuestInit } from "./guest-init";
import { RANGE_SIZE } from "./host-support";
import type { ContextPaths } from "./lxc-paths";

export interface ContainerSettings {
  name: string;
  hostname: string;
  uidBase: number;
  /** The idmapped read-only view of the image (overlay's lower layer). */
  lower: string;
  paths: ContextPaths;
  memoryMiB: number;
  pidsMax: number;
  cpuShares: number;
  hooksDir: string;
  /** A network (user, bridge): init waits in the start-host hook until the keeper made its interface. */
  holdInit: boolean;
  /** The image's init: which signal powers it off (lxc-stop's graceful stop). */
  init: GuestInit;
}

/** A guest's host name as LXC takes it (a config value: one line, no spaces). */
const safeHostname = (name: string) => name.replace(/[^a-zA-Z0-9-]/g, "-").slice(0, 63) || "guest";

/**
 * The guest's full LXC config (never /etc/lxc/default.conf). Notes:
 * - common.conf, not userns.conf: root keeps the device cgroup list and capability drops;
 * - network `empty` is a netns with only `lo` (LXC's `none` would share the host's); on the
 *   user or bridge network the keeper adds the guest's interface from the host (start-host hook);
 * - the halt signal is the image's init's power-off (guest-init.ts);
 * - a reboot inside the guest restarts it in place (the post-stop hook tells the keeper);
 * - the hooks are fixed paths: LXC runs them through `sh -c`.
 */
export function containerConfig(s: ContainerSettings): string {
  const lines = [
    "lxc.include = /usr/share/lxc/config/common.conf",
    `lxc.uts.name = ${safeHostname(s.hostname)}`,
    `lxc.idmap = u 0 ${s.uidBase} ${RANGE_SIZE}`,
    `lxc.idmap = g 0 ${s.uidBase} ${RANGE_SIZE}`,
    `lxc.rootfs.path = overlay:${s.lower}:${s.paths.upper}`,
    "lxc.init.cmd = /sbin/init",
    "lxc.tty.max = 0",
    "lxc.net.0.type = empty",
    `lxc.signal.halt = ${HALT_SIGNAL[s.init]}`,
    `lxc.cgroup.memory.limit_in_bytes = ${s.memoryMiB}M`,
    `lxc.cgroup.pids.max = ${s.pidsMax}`,
    `lxc.cgroup.cpu.shares = ${s.cpuShares}`,
    `lxc.log.file = ${s.paths.lxcLog}`,
    "lxc.log.level = INFO",
    `lxc.hook.autodev = ${s.hooksDir}/autodev`,
    `lxc.hook.stop = ${s.hooksDir}/stop`,
    `lxc.hook.post-stop = ${s.hooksDir}/post-stop`,
    // The seed, read-only (a bind LXC locks read-only: guest root cannot remount it writable).
    `lxc.mount.entry = ${s.paths.seed} mnt/seed none bind,ro,nodev,nosuid,noexec,create=dir 0 0`,
  ];
  if (s.holdInit) lines.push(`lxc.hook.start-host = ${s.hooksDir}/start-host`);
  for (const line of lines) {
    if (/[\n\r]/.test(line)) throw new Error(`A container config line may not break: ${JSON.stringify(line)}`);
  }
  return lines.join("\n") + "\n";
}

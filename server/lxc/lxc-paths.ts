import path from "node:path";

// Where a context guest's files live. Every name derives from ids the daemon generated
// ([a-z0-9]), never from what a person typed: LXC builds its hook command lines as shell
// strings, so nothing here may need quoting.
export interface ContextPaths {
  /** LXC's `-P`: absolute always (a relative one makes lxc-info/lxc-stop miss a running container). */
  lxcPath: string;
  /** LXC's own folder for this guest: config, lxc.log, the stop hook's records. */
  lxcDir: string;
  config: string;
  lxcLog: string;
  /** Written by the stop hook: `oom_kill N` from the guest's memory cgroup. */
  oomRecord: string;
  /** The guest's writable layer and overlayfs's work folder beside it (owned by its uid range). */
  upper: string;
  work: string;
  /** Which uid range the guest's files belong to (see uid-ranges.ts). */
  rangeFile: string;
  /** User network: the start-host hook writes init's host pid here, then waits for `netReady`. */
  netPid: string;
  netReady: string;
  /** The guest's seed (hostname, network, first-boot root access), bound read-only at /mnt/seed. */
  seed: string;
}

export function contextRoot(dataDir: string): string {
  return path.join(dataDir, "contexts");
}

export function contextPaths(dataDir: string, guestId: string): ContextPaths {
  const lxcPath = path.join(contextRoot(dataDir), "lxc");
  const lxcDir = path.join(lxcPath, guestId);
  const guestDir = path.join(dataDir, "guests", guestId);
  return {
    lxcPath,
    lxcDir,
    config: path.join(lxcDir, "config"),
    lxcLog: path.join(lxcDir, "lxc.log"),
    oomRecord: path.join(lxcDir, "oom"),
    upper: path.join(guestDir, "upper"),
    work: path.join(guestDir, "work"),
    rangeFile: path.join(guestDir, "uid-range"),
    netPid: path.join(lxcDir, "net-pid"),
    netReady: path.join(lxcDir, "net-ready"),
    seed: path.join(guestDir, "seed"),
  };
}

/** The image's read-only loop mount (one per image) and the empty folder its idmapped view is bound on. */
export function imageMountPaths(dataDir: string, imageKey: string): { lower: string; idmapped: string } {
  const dir = path.join(contextRoot(dataDir), "images");
  return { lower: path.join(dir, imageKey), idmapped: path.join(dir, `${imageKey}.idmapped`) };
}

import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type { Config } from "../config";
import type { BootStart, GuestDriver, LaunchGuest } from "../drivers/guest-driver";
import { conflict } from "../errors";
import type { SpawnRequest } from "../keeper/protocol";
import { processArgv } from "../uml/kernel-process";
import { guestPaths } from "../uml/paths";
import { CgroupMetrics } from "./cgroup-metrics";
import { containerConfig } from "./container-config";
import { probeContextSupport, RANGE_SIZE, type ContextSupport } from "./host-support";
import { detectGuestInit } from "./guest-init";
import { ImageMounts } from "./image-mounts";
import { contextPaths, contextRoot } from "./lxc-paths";
import { UidRanges } from "./uid-ranges";
import { containerAddressing, planContainerNetwork } from "./context-network";
import { writeSeedDir } from "./seed-dir";
import { UpperLayer } from "./upper-layer";

const run = promisify(execFile);

/** Limits every context guest gets besides its memory (the guest settings have none yet). */
const PIDS_MAX = 1024;
const CPU_SHARES = 1024;

/**
 * Context guests: containers on the host's own kernel, through LXC 5 driven by argv. The
 * keeper runs `idmap-mount … -- lxc-start -F` on a pseudo-terminal: the container's console
 * is that terminal (resize and job control included), the container lives as long as the
 * keeper holds it (like a UML kernel, across daemon restarts), and lxc-start exits when the
 * container ends. lxc-start exits 0 whatever happened: the reason is read from its log.
 *
 * Isolation: a user namespace per guest with its own host id range (root in the guest is an
 * unprivileged id on the host), LXC's common.conf capability drops, seccomp policy and device
 * cgroup. The image is loop-mounted read-only once (image-mounts.ts); each start binds an
 * idmapped view of it in a private mount namespace (idmap-mount.c) as overlayfs's lower layer.
 */
export class LxcDriver implements GuestDriver {
  readonly kind = "context";
  readonly support: ContextSupport;
  private readonly mounts: ImageMounts;
  private readonly ranges: UidRanges | null;
  readonly disk: UpperLayer;
  readonly metrics = new CgroupMetrics();

  constructor(
    private readonly config: Config,
    support: ContextSupport = config.contextGuests === "off"
      ? { available: false, reason: "The admin turned context guests off on this host (CORRAL_CONTEXT_GUESTS=off)." }
      : probeContextSupport(config.projectRoot),
  ) {
    this.support = support;
    this.mounts = new ImageMounts(config.dataDir);
    this.ranges = support.available ? new UidRanges(config.dataDir, support.range) : null;
    this.disk = new UpperLayer(
      config.dataDir,
      (id) => this.existingBase(id),
      (id) => (this.ranges ? this.ranges.baseFor(id) : Promise.reject(conflict(this.unavailableReason()!))),
    );
  }

  private async existingBase(guestId: string): Promise<number | null> {
    const text = await fs.promises
      .readFile(contextPaths(this.config.dataDir, guestId).rangeFile, "utf8")
      .catch(() => "");
    return Number(text.trim()) || null;
  }

  /** Gives folder `dirName` under guests/ (a moved guest's, before it takes the guest's name) a uid range. */
  allocateRange(dirName: string): Promise<number> {
    if (!this.ranges) return Promise.reject(conflict(this.unavailableReason()!));
    return this.ranges.baseFor(dirName);
  }

  /** Why a context guest cannot be created or started here (null: it can). */
  unavailableReason(): string | null {
    return this.support.available ? null : this.support.reason;
  }

  async checkStart(_guest: LaunchGuest): Promise<void> {
    if (!this.support.available) throw conflict(this.support.reason);
  }

  async prepareLaunch(g: LaunchGuest, boot: BootStart): Promise<SpawnRequest> {
    const { config } = this;
    if (!this.support.available || !this.ranges) throw conflict(this.unavailableReason()!);
    const paths = contextPaths(config.dataDir, g.id);
    const uml = guestPaths(config.dataDir, config.runDir, g.id);
    const base = await this.ranges.baseFor(g.id);
    const image = await this.mounts.ensure(g.imagePath);
    await this.disk.prepare(g.id, base);
    await fs.promises.mkdir(paths.lxcDir, { recursive: true });
    await fs.promises.mkdir(uml.bootsDir, { recursive: true });
    // The guest's root (an unprivileged host id) must reach its layers through every folder above them.
    await allowTraverse([
      config.dataDir,
      path.dirname(uml.dir),
      uml.dir,
      contextRoot(config.dataDir),
      path.dirname(image.lower),
    ]);
    for (const stale of [paths.lxcLog, paths.oomRecord, paths.netPid, paths.netReady]) {
      await fs.promises.rm(stale, { force: true });
    }
    await writeSeedDir(
      paths.seed,
      {
        hostname: g.name,
        network: containerAddressing(config, g),
        rootPasswordHash: g.rootPasswordHash,
        authorizedKeys: g.authorizedKeys,
      },
      base,
    );
    await removeStaleCgroups(g.id);
    const init = await detectGuestInit([paths.upper, image.lower]);
    await fs.promises.writeFile(
      paths.config,
      containerConfig({
        name: g.id,
        hostname: g.name,
        uidBase: base,
        lower: image.idmapped,
        paths,
        memoryMiB: g.memoryMiB,
        pidsMax: PIDS_MAX,
        cpuShares: CPU_SHARES,
        hooksDir: path.join(config.projectRoot, "scripts", "lxc-hooks"),
        holdInit: g.network !== "none",
        init,
      }),
    );
    const lxcStart = ["lxc-start", "-P", paths.lxcPath, "-n", g.id, "-F", "-C"];
    return {
      guestId: g.id,
      guestName: g.name,
      bootNumber: boot.number,
      startedAt: boot.startedAt,
      binary: this.support.idmapHelper,
      argv: [String(base), String(RANGE_SIZE), image.lower, image.idmapped, "--", ...lxcStart],
      cwd: paths.lxcDir,
      tmpDir: config.umlTmpDir,
      cols: boot.cols,
      rows: boot.rows,
      bootsDir: uml.bootsDir,
      logLimits: config.bootLogs,
      notifySocket: uml.notifySocket,
      containerExit: { lxcLog: paths.lxcLog, oomRecord: paths.oomRecord },
      ...planContainerNetwork(config, g, paths),
    };
  }

  /** The halt signal to the guest's init (busybox: SIGPWR, systemd: SIGRTMIN+4): it shuts down and powers off. */
  async requestPowerOff(guestId: string): Promise<void> {
    await this.lxc("lxc-stop", guestId, ["-W"]);
  }

  /** SIGKILL to the guest's init; LXC then ends the container cleanly (hooks, cgroups). */
  async forceOff(guestId: string): Promise<boolean> {
    await this.lxc("lxc-stop", guestId, ["-k"]);
    return true;
  }

  private async lxc(tool: string, guestId: string, args: string[]): Promise<void> {
    const { lxcPath } = contextPaths(this.config.dataDir, guestId);
    await run(tool, ["-P", lxcPath, "-n", guestId, ...args], { timeout: 30_000 });
  }

  /** lxc-start processes of this data directory's containers (`-P <lxcPath> -n <guest id>` on their command line). */
  findRunning(): Array<{ guestId: string | null; pid: number }> {
    const { lxcPath } = contextPaths(this.config.dataDir, "x");
    const found: Array<{ guestId: string | null; pid: number }> = [];
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const argv = processArgv(Number(entry));
      if (!argv || !argv[0]?.endsWith("lxc-start")) continue;
      const at = argv.indexOf("-P");
      if (at < 0 || argv[at + 1] !== lxcPath) continue;
      const n = argv.indexOf("-n");
      found.push({ pid: Number(entry), guestId: n >= 0 ? (argv[n + 1] ?? null) : null });
    }
    return found;
  }

  /** Unmounts the images' read-only mounts (running guests keep their own copies). */
  close(): Promise<void> {
    return this.mounts.unmountAll();
  }
}

/** Adds search (not read) permission for others to each folder: the guest's mapped root must pass through them. */
async function allowTraverse(dirs: string[]): Promise<void> {
  for (const dir of dirs) {
    const st = await fs.promises.stat(dir);
    if (!(st.mode & 0o001)) await fs.promises.chmod(dir, (st.mode & 0o7777) | 0o001);
  }
}

/**
 * A container whose monitor died leaves empty `lxc.payload.<name>` / `lxc.monitor.<name>`
 * cgroups; the next start would silently use `<name>-1`. rmdir only removes empty ones.
 */
async function removeStaleCgroups(name: string): Promise<void> {
  const root = "/sys/fs/cgroup";
  for (const controller of await fs.promises.readdir(root).catch(() => [] as string[])) {
    for (const kind of ["lxc.payload", "lxc.monitor"]) {
      await fs.promises.rmdir(path.join(root, controller, `${kind}.${name}`)).catch(() => {});
    }
  }
}

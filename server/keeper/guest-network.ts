import { execFileSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { startUserNet, stopUserNet } from "../network/user-net";
import type { KernelProcess } from "../uml/kernel-process";
import type { SpawnRequest } from "./protocol";

type Tap = NonNullable<SpawnRequest["bridgeTap"]>;

/** How long a container may take to reach its start-host hook (LXC's own setup before init). */
const CONTAINER_PID_WAIT_MS = 60_000;

/**
 * A guest's network around its process: on the bridge, its tap exists before the process
 * starts; on the user network, slirp4netns joins the process's namespace once it is the
 * guest's own. A context guest's interface (slirp4netns's tap, or a veth on the bridge) is
 * made in its container's namespace while LXC holds its init. All end with the process
 * (slirp4netns does not exit by itself).
 */
export class GuestNetwork {
  private slirp: ChildProcess | null = null;
  private closed = false;
  private pollTimer: NodeJS.Timeout | undefined;

  constructor(private readonly spec: SpawnRequest) {}

  /** Before the process starts. */
  prepare(): void {
    if (this.spec.bridgeTap && !this.spec.bridgeTap.container) addTap(this.spec.bridgeTap);
  }

  /**
   * Attaches the user network once the launcher has become the kernel. Output alone does not
   * prove that (the pty echoes input typed before the kernel runs), so the process's own
   * name is checked on each chunk until it is the kernel's.
   */
  follow(proc: KernelProcess, onFailed: (message: string) => void): void {
    if (this.spec.network?.container || this.spec.bridgeTap?.container) return this.followContainer(onFailed);
    const network = this.spec.network;
    if (!network) return;
    const kernelName = path.basename(this.spec.argv.find((a) => a.endsWith("linux.uml")) ?? "linux.uml").slice(0, 15);
    const check = () => {
      if (readComm(proc.pid) !== kernelName) return;
      proc.off("output", check);
      startUserNet(proc.pid, network).then(
        (slirp) => (this.closed ? stopUserNet(slirp, network.apiSocket) : (this.slirp = slirp)),
        (err) => onFailed((err as Error).message),
      );
    };
    proc.on("output", check);
  }

  /**
   * A context guest: the container's start-host hook (scripts/lxc-hooks/start-host) names its
   * init's pid and holds init back until the ready file exists, so the guest's interface is
   * there before anything in it runs. The pid file is consumed: only a new start writes it
   * again. The ready file is written whatever happened: a failed network must not hold the
   * guest forever (the hook gives up on its own after 15 s too).
   */
  private followContainer(onFailed: (message: string) => void): void {
    const { network, bridgeTap } = this.spec;
    const hold = network?.container ?? bridgeTap?.container;
    if (!hold) return;
    const deadline = Date.now() + CONTAINER_PID_WAIT_MS;
    const poll = async (): Promise<void> => {
      if (this.closed) return;
      const pid = Number((await fs.promises.readFile(hold.pidFile, "utf8").catch(() => "")).trim());
      if (!(pid > 1)) {
        if (Date.now() > deadline)
          return onFailed("The container never said its init's pid: no network for this boot.");
        this.pollTimer = setTimeout(poll, 25);
        return;
      }
      if (this.closed) return; // the container ended while its pid was read
      await fs.promises.rm(hold.pidFile, { force: true });
      try {
        if (network) {
          // The previous boot's slirp4netns (a reboot in place) serves a namespace nothing uses
          // any more; it must be gone before the new one takes the same forwarded host ports.
          const old = this.slirp;
          this.slirp = null;
          if (old) await stopAndWait(old, network.apiSocket);
          const slirp = await startUserNet(pid, network);
          if (this.closed) stopUserNet(slirp, network.apiSocket);
          else this.slirp = slirp;
        } else if (bridgeTap?.container) {
          addVeth(bridgeTap, bridgeTap.container, pid);
        }
      } catch (err) {
        onFailed((err as Error).message);
      }
      await fs.promises.writeFile(hold.readyFile, "").catch(() => {});
    };
    void poll();
  }

  /**
   * A container rebooted in place (lxc-start started it again): its new init, in a new network
   * namespace, gets a new interface once its start-host hook names it. The old one keeps going
   * until then, so a guest that only printed the restart line loses nothing.
   */
  rebooted(onFailed: (message: string) => void): void {
    if (this.closed || !(this.spec.network?.container || this.spec.bridgeTap?.container)) return;
    clearTimeout(this.pollTimer);
    this.followContainer(onFailed);
  }

  /** The process is gone (or never started): safe to call twice. */
  close(): void {
    this.closed = true;
    clearTimeout(this.pollTimer);
    if (this.slirp && this.spec.network) stopUserNet(this.slirp, this.spec.network.apiSocket);
    this.slirp = null;
    if (this.spec.bridgeTap) removeTap(this.spec.bridgeTap);
  }
}

async function stopAndWait(slirp: ChildProcess, apiSocket: string): Promise<void> {
  const gone = slirp.exitCode !== null || slirp.signalCode !== null ? null : once(slirp, "exit");
  stopUserNet(slirp, apiSocket);
  await gone;
}

function readComm(pid: number): string | null {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return null;
  }
}

const ip = (tap: Tap, ...args: string[]) =>
  execFileSync("ip", tap.netns ? ["-n", tap.netns, ...args] : args, { stdio: "pipe" });

/** The guest's tap on the bridge (bridge networking needs root; the daemon checked). */
function addTap(tap: Tap): void {
  removeTap(tap); // a tap left by a kernel that died with its keeper
  ip(tap, "tuntap", "add", "dev", tap.name, "mode", "tap");
  ip(tap, "link", "set", tap.name, "master", tap.bridge);
  ip(tap, "link", "set", tap.name, "up");
}

/**
 * A context guest on the bridge: a veth pair made in the bridge's namespace, its bridge end
 * `tap.name` on the bridge, its other end moved into the container's namespace (by init's
 * pid) as the guest's interface, with the guest's MAC so DHCP gives its reserved address.
 * Removing the bridge end (removeTap) removes both; the container's end also dies with it.
 */
function addVeth(tap: Tap, into: { iface: string; mac: string }, pid: number): void {
  removeTap(tap);
  const peer = ["peer", "name", into.iface, "address", into.mac, "netns", String(pid)];
  ip(tap, "link", "add", tap.name, "type", "veth", ...peer);
  ip(tap, "link", "set", tap.name, "master", tap.bridge);
  ip(tap, "link", "set", tap.name, "up");
}

function removeTap(tap: Tap): void {
  try {
    ip(tap, "link", "del", tap.name);
  } catch {
    // already gone
  }
}

import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { BRIDGE_HOSTS } from "../../lib/shared/network";
import { ConfigError, type Config } from "../config";
import type { Db } from "../db";
import { writeBridgeHosts } from "./bridge-hosts";
import { logger } from "../log";

const run = promisify(execFile);
const log = logger("bridge");

type Bridge = NonNullable<Config["bridge"]>;

/** `ip` in the bridge's network namespace (or the host's). */
export function ipArgs(bridge: Bridge, ...args: string[]): string[] {
  return bridge.netns ? ["-n", bridge.netns, ...args] : args;
}

/** A command to run inside the bridge's namespace: `ip netns exec` keeps the pid of what it runs. */
export function inBridgeNetns(bridge: Bridge, binary: string, argv: string[]): { binary: string; argv: string[] } {
  return bridge.netns ? { binary: "ip", argv: ["netns", "exec", bridge.netns, binary, ...argv] } : { binary, argv };
}

/**
 * Bridge networking, for a host where Corral runs as root and the admin enabled it
 * (CORRAL_BRIDGE): guests' taps join one bridge, and a real DHCP server (dnsmasq, no DNS)
 * hands out addresses, so guests see each other. The daemon owns dnsmasq; leases live in
 * the data directory and survive its restarts.
 */
export class BridgeNetwork {
  private dnsmasq: ChildProcess | null = null;
  private readonly hostsFile: string;

  constructor(
    private readonly config: Config,
    private readonly db: Db,
    readonly bridge: Bridge,
  ) {
    this.hostsFile = path.join(config.runDir, "bridge.hosts");
  }

  async start(): Promise<void> {
    if (process.getuid?.() !== 0) {
      throw new ConfigError(
        "CORRAL_BRIDGE: bridge networking needs the daemon to run as root; unset it or run as root.",
      );
    }
    const b = this.bridge;
    const exists = await run("ip", ipArgs(b, "link", "show", b.name)).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await run("ip", ipArgs(b, "link", "add", b.name, "type", "bridge"));
      await run("ip", ipArgs(b, "addr", "add", b.cidr, "dev", b.name));
    }
    await run("ip", ipArgs(b, "link", "set", b.name, "up"));
    const pidFile = path.join(this.config.runDir, "dnsmasq.pid");
    stopStale(pidFile);
    await writeBridgeHosts(this.config, this.db, this.hostsFile);
    const prefix = b.cidr.split(".").slice(0, 3).join(".");
    const args = [
      "--keep-in-foreground",
      "--conf-file=/dev/null",
      "--port=0", // DHCP only; no DNS server
      // It re-reads the hosts file on SIGHUP, and that file is in the daemon's private run
      // directory: dropping to "nobody" would lock it out.
      "--user=root",
      `--interface=${b.name}`,
      "--bind-interfaces",
      // "static": addresses only for the guests in the hosts file, each its reserved one.
      `--dhcp-range=${prefix}.${BRIDGE_HOSTS.first},static,12h`,
      `--dhcp-hostsfile=${this.hostsFile}`,
      `--dhcp-leasefile=${path.join(this.config.dataDir, "bridge.leases")}`,
      `--pid-file=${pidFile}`,
    ];
    const launch = inBridgeNetns(b, "dnsmasq", args);
    this.dnsmasq = spawn(launch.binary, launch.argv, { stdio: ["ignore", "ignore", "pipe"] });
    this.dnsmasq.stderr!.on("data", (d) => log.warn("dnsmasq", { said: String(d).trim() }));
    log.info("bridge ready", { bridge: b.name, cidr: b.cidr, netns: b.netns });
  }

  /** Before a bridged guest starts: dnsmasq learns every bridged guest's reserved address. */
  async sync(): Promise<void> {
    await writeBridgeHosts(this.config, this.db, this.hostsFile);
    this.dnsmasq?.kill("SIGHUP");
  }

  /** Stops dnsmasq and reaps it (the daemon exits next, and its orphans may never be reaped). */
  async stop(): Promise<void> {
    const child = this.dnsmasq;
    this.dnsmasq = null;
    if (!child || child.exitCode !== null || child.signalCode) return;
    const gone = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
    await gone;
    clearTimeout(timer);
  }
}

function stopStale(pidFile: string): void {
  try {
    const pid = Number(fs.readFileSync(pidFile, "utf8"));
    if (pid > 1) process.kill(pid, "SIGTERM");
  } catch {
    // none left behind
  }
}

import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { USER_NET } from "../../lib/shared/network";
import type { Config } from "../config";
import type { Forward } from "./forwards";

const run = promisify(execFile);
const CONTAINER_MTU = 65520;

export interface UserNetSpec {
  /** slirp4netns's control socket, for port forwards. */
  apiSocket: string;
  forwards: Forward[];
  forwardAddress: string;
  /** Let the guest reach services on the host's loopback as 10.0.2.2. */
  hostLoopback: boolean;
  /** A container's own namespace: slirp4netns's tap is the guest's interface itself, on no bridge. */
  container?: { iface: string };
}

/** A guest's user network as the keeper starts it: its API socket in the run directory, the site's settings. */
export function userNetSpec(config: Config, guestId: string, forwards: Forward[]): Omit<UserNetSpec, "container"> {
  return {
    apiSocket: path.join(config.runDir, `${guestId}.net`),
    forwards,
    forwardAddress: config.forwardAddress,
    hostLoopback: config.guestHostLoopback,
  };
}

/**
 * The launcher half of a guest's user-mode network: each networked kernel runs in its own
 * user + network namespace (no privileges needed) with a bridge `br0` and its tap `uml0`
 * (scripts/guest-netns.sh), and slirp4netns's tap `tap0` on the bridge too; this starts
 * slirp4netns — rootless containers' userspace NAT — on that tap and adds the port forwards. The guest
 * then sees a gateway at 10.0.2.2 that reaches the host and beyond; nothing else changes
 * on the host. A context guest's container gets the tap itself (`spec.container`): its own init
configures it. slirp4netns ends when its exit pipe closes — when this process ends too.
 * End it with `stopUserNet`, which also removes its API socket (slirp4netns killed leaves it).
 */
export async function startUserNet(pid: number, spec: UserNetSpec): Promise<ChildProcess> {
  fs.rmSync(spec.apiSocket, { force: true }); // left by a keeper that died with its guests
  const args = ["--api-socket", spec.apiSocket, "--ready-fd", "3", "--exit-fd", "4"];
  if (!spec.hostLoopback) args.push("--disable-host-loopback");
  const tap = spec.container?.iface ?? "tap0";
  // A container's tap is the guest's own interface: a 64 KiB MTU (slirp4netns's suggestion)
  // lets each of its packets carry 40 times the data, set before the guest's init runs.
  if (spec.container) args.push("--mtu", String(CONTAINER_MTU));
  const slirp = spawn("slirp4netns", [...args, String(pid), tap], {
    stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"],
  });
  let stderr = "";
  slirp.stderr!.on("data", (d) => (stderr = (stderr + d).slice(-2000)));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("slirp4netns did not become ready")), 10_000);
      (slirp.stdio[3] as NodeJS.ReadableStream).once("data", () => {
        clearTimeout(timer);
        resolve();
      });
      slirp.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`slirp4netns exited (${code}): ${stderr.trim()}`));
      });
      slirp.once("error", reject);
    });
    // A kernel's namespace has tap0 on its bridge already (scripts/guest-netns.sh).
    if (spec.container)
      await run("nsenter", ["-t", String(pid), "-n", "ip", "link", "set", tap, "mtu", String(CONTAINER_MTU)]);
    for (const f of spec.forwards) await addForward(spec, f);
    return slirp;
  } catch (err) {
    stopUserNet(slirp, spec.apiSocket);
    throw err;
  }
}

/** Ends a guest's slirp4netns and removes its API socket from the run directory. */
export function stopUserNet(slirp: ChildProcess, apiSocket: string): void {
  slirp.kill("SIGKILL");
  fs.rmSync(apiSocket, { force: true });
}

function addForward(spec: UserNetSpec, f: Forward): Promise<void> {
  const request = {
    execute: "add_hostfwd",
    arguments: {
      proto: f.protocol,
      host_addr: spec.forwardAddress,
      host_port: f.hostPort,
      guest_addr: USER_NET.address.split("/")[0],
      guest_port: f.guestPort,
    },
  };
  return new Promise((resolve, reject) => {
    const c = net.connect(spec.apiSocket, () => c.end(JSON.stringify(request)));
    let reply = "";
    c.on("data", (d) => (reply += d));
    c.on("error", reject);
    c.on("close", () => {
      if (/"return"/.test(reply)) resolve();
      else reject(new Error(`port forward ${f.hostPort}/${f.protocol} → ${f.guestPort}: ${reply || "no reply"}`));
    });
  });
}

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guestTap } from "../../lib/shared/network";
import { TestDaemon, waitFor } from "../test-support/daemon-harness";
import { ContextConsole } from "./context-console";
import { probeContextSupport } from "./host-support";

const support = probeContextSupport(process.cwd());
const netns = `corral-c${process.pid}`;
const ipIn = (...args: string[]) => execFileSync("ip", ["-n", netns, ...args], { encoding: "utf8", stdio: "pipe" });

// A context guest on the same bridge as UML guests: the bridge, its DHCP server and every
// guest's end live in a network namespace this test creates and deletes.
describe.skipIf(!support.available)("context guests on the bridge (real LXC and UML, private namespace)", () => {
  const daemon = new TestDaemon({
    CORRAL_BRIDGE: "cbr0",
    CORRAL_BRIDGE_NETNS: netns,
    CORRAL_BRIDGE_CIDR: "10.78.0.1/24",
  });
  const ctx = new ContextConsole(daemon);
  beforeAll(async () => {
    execFileSync("ip", ["netns", "add", netns]);
    await daemon.start();
  });
  afterAll(async () => {
    await daemon.cleanup();
    execFileSync("ip", ["netns", "del", netns]);
  });

  it("gets its reserved address over DHCP through a veth, and reaches a UML guest on the bridge", async () => {
    const c = await daemon.createGuest("bridged-ctx", { kind: "context", network: "bridge" });
    const u = await daemon.createGuest("bridged-uml", { network: "bridge" });
    expect(c.network).toMatchObject({ mode: "bridge", address: "10.78.0.10/24", gateway: "10.78.0.1" });
    await daemon.startGuest(u.id);
    const tap = await ctx.boot(c);
    expect(ipIn("link", "show", "master", "cbr0")).toContain(guestTap(c.id));
    const addr = await ctx.sh(tap, "ip -4 addr show eth0; ip link show eth0");
    expect(addr).toContain("inet 10.78.0.10/24");
    expect(addr).toContain(`link/ether ${c.network.mac}`);
    const leases = () => fs.readFileSync(path.join(daemon.dataDir, "bridge.leases"), "utf8");
    expect(leases()).toContain(`${c.network.mac} 10.78.0.10`);
    // The UML guest asks for its lease on its own schedule: ping until it answers.
    await waitFor("the UML guest's lease", () => leases().includes(`${u.network.mac} 10.78.0.11`), 60_000);
    const ping = await ctx.sh(tap, "ping -c 2 -W 3 10.78.0.11 && echo PINGED-OK");
    expect(ping).toMatch(/^PINGED-OK\r/m);
    // The bridge's own side reaches the context guest too.
    const fromNs = execFileSync("ip", ["netns", "exec", netns, "busybox", "ping", "-c", "1", "-W", "3", "10.78.0.10"]);
    expect(fromNs.toString()).toMatch(/1 packets received/);

    for (const g of [c, u]) {
      await daemon.api("POST", `/api/guests/${g.id}/force-off`);
      await daemon.waitForState(g.id, "stopped");
    }
    // Both guests' ends on the bridge went with them.
    await waitFor("the veth and the tap to be removed", () => {
      const links = ipIn("link", "show");
      return !links.includes(guestTap(c.id)) && !links.includes(guestTap(u.id));
    });
  });
});

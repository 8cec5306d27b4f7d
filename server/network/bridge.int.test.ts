import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guestTap } from "../../lib/shared/network";
import { TestDaemon, waitFor } from "../test-support/daemon-harness";

const asRoot = process.getuid?.() === 0;
const netns = `corral-t${process.pid}`;
const ipIn = (...args: string[]) => execFileSync("ip", ["-n", netns, ...args], { encoding: "utf8", stdio: "pipe" });

// The bridge, its DHCP server and every guest's tap live in a network namespace this test
// creates and deletes: nothing touches the host's own interfaces or leaves the machine.
describe.skipIf(!asRoot)("bridge networking (real UML, root, in a private network namespace)", () => {
  const daemon = new TestDaemon({
    CORRAL_BRIDGE: "cbr0",
    CORRAL_BRIDGE_NETNS: netns,
    CORRAL_BRIDGE_CIDR: "10.77.0.1/24",
  });
  beforeAll(async () => {
    execFileSync("ip", ["netns", "add", netns]);
    await daemon.start();
  });
  afterAll(async () => {
    await daemon.cleanup();
    execFileSync("ip", ["netns", "del", netns]);
  });

  it("gives two guests their reserved addresses over DHCP, and they reach each other", async () => {
    const a = await daemon.createGuest("bridged-a", { network: "bridge" });
    const b = await daemon.createGuest("bridged-b", { network: "bridge" });
    expect(a.network).toMatchObject({ mode: "bridge", address: "10.77.0.10/24", gateway: "10.77.0.1" });
    expect(b.network.address).toBe("10.77.0.11/24");
    expect(a.network.mac).not.toBe(b.network.mac);

    await Promise.all([daemon.startGuest(a.id), daemon.startGuest(b.id)]);
    expect(ipIn("link", "show", "master", "cbr0")).toContain(guestTap(a.id));
    // The addresses came from dnsmasq, not from the seed: its lease file names both guests.
    const leases = fs.readFileSync(path.join(daemon.dataDir, "bridge.leases"), "utf8");
    expect(leases).toContain(`${a.network.mac} 10.77.0.10`);
    expect(leases).toContain(`${b.network.mac} 10.77.0.11`);

    const tap = await daemon.attachConsole(await daemon.socket(), a.id);
    await tap.type("ip -4 addr show vec0; ping -c 2 -W 3 10.77.0.11 && echo PINGED-$((2+3))\r");
    await tap.expect(/PINGED-5/);
    expect(tap.output).toContain("inet 10.77.0.10/24");
    expect(tap.output).toMatch(/2 packets transmitted, 2 packets received/);
    // The bridge's own side (the namespace's host) reaches a guest too.
    const ping = execFileSync("ip", ["netns", "exec", netns, "busybox", "ping", "-c", "1", "-W", "3", "10.77.0.10"]);
    expect(ping.toString()).toMatch(/1 packets received/);

    for (const g of [a, b]) {
      await daemon.api("POST", `/api/guests/${g.id}/force-off`);
      await daemon.waitForState(g.id, "stopped");
    }
    // A stopped guest's tap is gone with it.
    await waitFor("the taps to be removed", () => !ipIn("link", "show").includes(guestTap(a.id)) || null);
  });

  it("refuses port forwards on a bridged guest, creating nothing", async () => {
    const res = await daemon.api("POST", "/api/guests", {
      name: "bridged-fwd",
      imageId: await daemon.defaultImageId(),
      memoryMiB: 48,
      network: "bridge",
      forwards: [{ protocol: "tcp", hostPort: 18080, guestPort: 80 }],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.fields.forwards).toMatch(/reached at its own address/);
    const list = await daemon.api<{ name: string }[]>("GET", "/api/guests");
    expect(list.body.map((g) => g.name)).not.toContain("bridged-fwd");
  });
});

import fs from "node:fs";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, TestDaemon, waitFor } from "../test-support/daemon-harness";
import { ContextConsole } from "./context-console";
import { probeContextSupport } from "./host-support";
import { contextPaths } from "./lxc-paths";

// Context guests' user network and seed, against real LXC containers and slirp4netns. Traffic
// stays on this machine: the guest reaches the host's loopback as slirp's gateway 10.0.2.2, and
// the host reaches the guest through a forward bound to 127.0.0.1.
const support = probeContextSupport(process.cwd());

describe.skipIf(!support.available)("context guests: user network and seed (real LXC)", () => {
  const daemon = new TestDaemon({ CORRAL_GUEST_HOST_LOOPBACK: "1" });
  const ctx = new ContextConsole(daemon);
  let server: http.Server;
  let serverPort: number;
  beforeAll(async () => {
    await daemon.start();
    serverPort = await freePort();
    server = http.createServer((req, res) => res.end(`host-page ${req.url}`));
    await new Promise<void>((r) => server.listen(serverPort, "127.0.0.1", r));
  });
  afterAll(async () => {
    server.close();
    await daemon.cleanup();
    expect(slirpFor(daemon.runDir)).toEqual([]);
  });

  const create = (name: string, extra: Record<string, unknown> = {}) =>
    daemon.createGuest(name, { kind: "context", network: "user", ...extra });

  it("gets the user network's address, reaches slirp's gateway, and serves a forwarded host port", async () => {
    const hostPort = await freePort();
    const guest = await create("ctx-net", { forwards: [{ protocol: "tcp", hostPort, guestPort: 8080 }] });
    expect(guest.network).toMatchObject({ mode: "user", address: "10.0.2.15/24", gateway: "10.0.2.2" });
    const tap = await ctx.boot(guest);
    const eth0 = await ctx.sh(tap, "ip -4 addr show eth0");
    expect(eth0).toContain("inet 10.0.2.15/24");
    expect(eth0).toContain("mtu 65520");
    expect(await ctx.sh(tap, "ip route")).toMatch(/^default via 10\.0\.2\.2 dev eth0/m);
    expect(await ctx.sh(tap, "cat /etc/resolv.conf")).toMatch(/^nameserver 10\.0\.2\.3\r/m);
    const fetched = await ctx.sh(tap, `wget -q -O - http://10.0.2.2:${serverPort}/from-ctx; echo`);
    expect(fetched).toContain("host-page /from-ctx");
    await ctx.sh(tap, "mkdir -p /www && echo ctx-web-page > /www/index.html && httpd -p 8080 -h /www");
    const page = await waitFor(
      "the guest's web server through the forward",
      async () => {
        const res = await fetch(`http://127.0.0.1:${hostPort}/`).catch(() => null);
        return res?.ok ? res.text() : null;
      },
      30_000,
    );
    expect(page).toBe("ctx-web-page\n");
    expect(slirpFor(daemon.runDir, guest.id)).toHaveLength(1);
    await daemon.api("POST", `/api/guests/${guest.id}/stop`);
    expect((await daemon.waitForState(guest.id, "stopped")).lastBoot?.outcome).toBe("powered-off");
    await waitFor("slirp4netns to end with the guest", () => slirpFor(daemon.runDir, guest.id).length === 0);
    expect(fs.existsSync(`${daemon.runDir}/${guest.id}.net`)).toBe(false);
    await waitFor("the forwarded port to be released", async () => {
      const res = await fetch(`http://127.0.0.1:${hostPort}/`).catch(() => null);
      return res === null;
    });
  });

  it("ends slirp4netns when the guest is forced off and when it crashes", async () => {
    const guest = await create("ctx-net-end");
    for (const end of ["force-off", "crash"] as const) {
      await ctx.boot(guest);
      expect(slirpFor(daemon.runDir, guest.id)).toHaveLength(1);
      if (end === "force-off") {
        await daemon.api("POST", `/api/guests/${guest.id}/force-off`);
        expect((await daemon.waitForState(guest.id, "stopped")).lastBoot?.outcome).toBe("killed");
      } else {
        process.kill(ctx.initPid(guest.id), "SIGKILL");
        expect((await daemon.waitForState(guest.id, "crashed")).lastBoot?.outcome).toBe("crashed");
      }
      await waitFor(`slirp4netns to end after ${end}`, () => slirpFor(daemon.runDir, guest.id).length === 0);
    }
  });

  it("keeps its network and forwards when the daemon is killed with -9, and ends them when stopped after", async () => {
    const hostPort = await freePort();
    const guest = await create("ctx-net-adopt", { forwards: [{ protocol: "tcp", hostPort, guestPort: 8081 }] });
    const tap = await ctx.boot(guest);
    await ctx.sh(tap, "mkdir -p /www && echo adopted-page > /www/index.html && httpd -p 8081 -h /www");
    const read = async () => {
      const res = await fetch(`http://127.0.0.1:${hostPort}/`).catch(() => null);
      return res?.ok ? res.text() : null;
    };
    expect(await waitFor("the page through the forward", read)).toBe("adopted-page\n");
    const slirp = slirpFor(daemon.runDir, guest.id);
    await daemon.stop("SIGKILL");
    await daemon.start();
    expect((await daemon.guest(guest.id)).state).toBe("running");
    // The keeper holds the network as it holds the console: the same slirp4netns serves on.
    expect(slirpFor(daemon.runDir, guest.id)).toEqual(slirp);
    expect(await read()).toBe("adopted-page\n");
    await daemon.api("POST", `/api/guests/${guest.id}/stop`);
    await daemon.waitForState(guest.id, "stopped");
    await waitFor("slirp4netns to end with the adopted guest", () => slirpFor(daemon.runDir, guest.id).length === 0);
  });

  it("gets a new network for its new init when it reboots in place, with the same forward", async () => {
    const hostPort = await freePort();
    const guest = await create("ctx-net-reboot", { forwards: [{ protocol: "tcp", hostPort, guestPort: 8082 }] });
    const tap = await ctx.boot(guest);
    const before = slirpFor(daemon.runDir, guest.id);
    expect(before).toHaveLength(1);
    await tap.type("reboot\r");
    await waitFor("boot 2 to run", async () => (await daemon.guest(guest.id)).lastBoot?.number === 2);
    await ctx.awaitShell(tap, guest.name);
    // The keeper made eth0 again while LXC held the new init, and ended the old slirp4netns.
    expect(await ctx.sh(tap, "ip -4 addr show eth0")).toContain("inet 10.0.2.15/24");
    const after = slirpFor(daemon.runDir, guest.id);
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
    expect(fs.readFileSync(`/proc/${after[0]}/cmdline`, "utf8").split("\0")).toContain(String(ctx.initPid(guest.id)));
    await ctx.sh(tap, "mkdir -p /www && echo rebooted-page > /www/index.html && httpd -p 8082 -h /www");
    const page = await waitFor("the rebooted guest's page through the forward", async () => {
      const res = await fetch(`http://127.0.0.1:${hostPort}/`).catch(() => null);
      return res?.ok ? res.text() : null;
    });
    expect(page).toBe("rebooted-page\n");
    await daemon.api("POST", `/api/guests/${guest.id}/stop`);
    expect((await daemon.waitForState(guest.id, "stopped")).lastBoot?.outcome).toBe("powered-off");
    await waitFor("slirp4netns to end with the guest", () => slirpFor(daemon.runDir, guest.id).length === 0);
  });

  it("applies its seed: host name every boot, root's password and keys on the first boot only", async () => {
    const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOr5Z1c2VkZWRrZXlmb3Jjb3JyYWx0ZXN0aW5n ctx@test";
    const guest = await create("ctx-seeded", { rootPassword: "seeded-secret-42", authorizedKeys: key });
    let tap = await ctx.boot(guest);
    expect(await ctx.sh(tap, "hostname")).toMatch(/^ctx-seeded\r/m);
    // The password is the one asked for: the same salt and password give the same hash inside.
    const shadow = /^root:(\$6\$([^$]+)\$[^:]+):/m.exec(await ctx.sh(tap, "cat /etc/shadow"));
    expect(shadow).not.toBeNull();
    const again = await ctx.sh(tap, `mkpasswd -m sha512 seeded-secret-42 ${shadow![2]}`);
    expect(again).toContain(shadow![1]);
    const keys = await ctx.sh(tap, "stat -c %a /root/.ssh/authorized_keys; cat /root/.ssh/authorized_keys");
    expect(keys).toMatch(/^600\r/m);
    expect(keys).toContain(`\n${key}\r`);
    // The seed is read-only inside, and belongs to the guest's root (not to host root).
    expect(await ctx.sh(tap, "touch /mnt/seed/x 2>&1 || echo SEED-RO")).toMatch(/^SEED-RO\r/m);
    expect(fs.statSync(contextPaths(daemon.dataDir, guest.id).seed).uid).toBeGreaterThanOrEqual(100000);
    // Root's password is the guest's own once set: a later boot keeps what the guest changed.
    await ctx.sh(tap, "echo 'root:*:0:0:99999:7:::' > /etc/shadow");
    await daemon.api("POST", `/api/guests/${guest.id}/stop`);
    await daemon.waitForState(guest.id, "stopped");
    tap = await ctx.boot(guest);
    expect(await ctx.sh(tap, "cut -d: -f2 /etc/shadow")).toMatch(/^\*\r/m);
    expect(await ctx.sh(tap, "hostname")).toMatch(/^ctx-seeded\r/m);
    await daemon.api("POST", `/api/guests/${guest.id}/stop`);
    await daemon.waitForState(guest.id, "stopped");
  });
});

/** slirp4netns processes serving a guest of this run directory (by their API socket's path). */
function slirpFor(runDir: string, guestId = ""): number[] {
  const socket = `${runDir}/${guestId}`;
  return fs
    .readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        const argv = fs.readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0");
        return argv[0].endsWith("slirp4netns") && argv.some((a) => a.startsWith(socket) && a.endsWith(".net"));
      } catch {
        return false;
      }
    })
    .map(Number);
}

// A Debian (systemd) image as a context guest, checked the way a person would use it: log in
// on the console, ask systemd how the boot went, find the seed's name and network, reboot from
// inside and through the API, and power it off. Run by server/images/debian.int.test.ts on the
// image that file builds, so the suite builds Debian once.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "vitest";
import type { BootView } from "../../lib/shared/protocol";
import { RecorderConsole } from "../boots/analysis/record-console";
import type { TestDaemon } from "../test-support/daemon-harness";
import { TEST_ROOT_PASSWORD } from "../test-support/seed-disk";
import { waitFor } from "../test-support/wait";
import { ContextConsole } from "./context-console";

const NAME = "deb-ctx";
const LOGIN = new RegExp(`${NAME} login: $`);
const RESTART_LINE = "corral: restarting the container";

export interface DebianContextTimes {
  /** From the start request to the console's login prompt. */
  loginSeconds: number;
  /** From `reboot` typed inside to the next login prompt. */
  rebootSeconds: number;
  /** From the stop request to the guest stopped. */
  stopSeconds: number;
}

/**
 * Needs a daemon with CORRAL_GUEST_HOST_LOOPBACK=1 (the guest fetches a page from the host
 * through slirp's 10.0.2.2).
 */
export async function checkDebianContextGuest(daemon: TestDaemon, imageId: string): Promise<DebianContextTimes> {
  const server = http.createServer((req, res) => res.end(`host-page ${req.url}\n`));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  try {
    const guest = await daemon.createGuest(NAME, {
      kind: "context",
      imageId,
      memoryMiB: 256,
      network: "user",
      rootPassword: TEST_ROOT_PASSWORD,
    });
    const con = await RecorderConsole.attach(daemon, guest.id);
    let commands = 0;
    /** What a command printed: between its echoed line and an end mark at the start of a line (lines end \r\r\n here: two ptys). */
    const sh = async (command: string) => {
      const end = `END-${++commands}-MARK`;
      const m = await con.run(`${command}; echo ${end}`, new RegExp(`\\n([\\s\\S]*?)[\\r\\n]${end}\\r+\\n`), 180_000);
      return m[1]
        .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "")
        .replace(/\r/g, "")
        .trim();
    };
    const login = async (from: number) => {
      await con.expect(LOGIN, 180_000);
      const seconds = (Date.now() - from) / 1000;
      await con.login(NAME, TEST_ROOT_PASSWORD);
      return seconds;
    };
    const systemState = async () => {
      const state = await sh("systemctl is-system-running --wait; systemctl --failed --no-legend --plain");
      if (!state.startsWith("running")) console.log(`${NAME}: system state and failed units:\n${state}`);
      expect(state).toMatch(/^(running|degraded)/);
    };

    let t0 = Date.now();
    expect((await daemon.api("POST", `/api/guests/${guest.id}/start`)).status).toBe(202);
    const loginSeconds = await login(t0);
    await systemState();
    // The seed (bound at /mnt/seed) named the guest and gave it its network through systemd-networkd.
    expect(await sh("hostname")).toBe(NAME);
    expect(await sh("ip -4 -o addr show eth0")).toMatch(/eth0\s+inet 10\.0\.2\.15\/24/);
    expect(await sh("ip route show default")).toMatch(/^default via 10\.0\.2\.2 dev eth0/);
    expect(await sh("systemctl is-active corral-seed systemd-networkd")).toBe("active\nactive");
    // No curl in a minimal image: bash's /dev/tcp, to the host's loopback through slirp's gateway.
    const fetchPage = async () => {
      await sh(`exec 3<>/dev/tcp/10.0.2.2/${port}`);
      expect(await sh("printf 'GET /deb HTTP/1.0\\r\\n\\r\\n' >&3; cat <&3")).toContain("host-page /deb");
    };
    await fetchPage();

    // `reboot` inside: the same console goes on into boot 2, the network comes back.
    t0 = Date.now();
    await con.run("reboot", new RegExp(RESTART_LINE), 120_000);
    const rebootSeconds = await login(t0);
    expect((await daemon.guest(guest.id)).lastBoot?.number).toBe(2);
    await systemState();
    expect(await sh("ip -4 -o addr show eth0")).toMatch(/eth0\s+inet 10\.0\.2\.15\/24/);
    await fetchPage();

    // The reboot action: a graceful power-off and a fresh start, boot 3, on the same console.
    expect((await daemon.api("POST", `/api/guests/${guest.id}/reboot`)).status).toBe(202);
    await con.expect(/Powering off/, 120_000);
    await login(Date.now());
    expect((await daemon.guest(guest.id)).lastBoot?.number).toBe(3);

    // A graceful stop is systemd's own power-off (SIGRTMIN+4), never a kill after the stop timeout.
    t0 = Date.now();
    expect((await daemon.api("POST", `/api/guests/${guest.id}/stop`)).status).toBe(202);
    await con.expect(/Powering off/, 120_000);
    const stopped = await daemon.waitForState(guest.id, "stopped", 120_000);
    const stopSeconds = (Date.now() - t0) / 1000;
    expect(stopped.lastBoot?.outcome).toBe("powered-off");
    const boots = (await daemon.api<BootView[]>("GET", `/api/guests/${guest.id}/boots`)).body;
    expect(boots.map((b) => [b.number, b.outcome])).toEqual([
      [3, "powered-off"],
      [2, "rebooted"],
      [1, "rebooted"],
    ]);
    const log1 = await daemon.api<string>("GET", `/api/guests/${guest.id}/boots/1/log?format=text`);
    expect(log1.body).toContain(RESTART_LINE);
    await waitFor("the guest's lxc-start to end", () => new ContextConsole(daemon).lxcStartPid(guest.id) === null);
    return { loginSeconds, rebootSeconds, stopSeconds };
  } finally {
    server.close();
  }
}

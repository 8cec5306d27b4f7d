import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImageBuildEvent, ImageBuildView, ImageView } from "../../lib/shared/protocol";
import { loadConfig } from "../config";
import { checkDebianContextGuest } from "../lxc/debian-context-check";
import { probeContextSupport } from "../lxc/host-support";
import { TestDaemon, waitFor, type TestSocket } from "../test-support/daemon-harness";
import { RawKernel } from "../test-support/raw-kernel";
import { buildSeedDisk, TEST_ROOT_PASSWORD, TEST_ROOT_PASSWORD_HASH } from "../test-support/seed-disk";
import { mountsUnder } from "./build-process";
import { sha256File } from "./image-library";

const BUILD_TIMEOUT_MS = 20 * 60_000;
const isRoot = process.getuid?.() === 0;
const contextSupport = probeContextSupport(process.cwd());

// Real debootstrap from Debian's mirror: needs root (CI is) and a few minutes.
describe.skipIf(!isRoot)("Debian images built with debootstrap (real mirror, real UML)", () => {
  // Host loopback: the context guest fetches a page from the host through slirp's gateway.
  const daemon = new TestDaemon({ CORRAL_BOOT_TIMEOUT_SECONDS: "180", CORRAL_GUEST_HOST_LOOPBACK: "1" });
  const imagesDir = path.join(daemon.dataDir, "images");
  let socket: TestSocket;
  const events: ImageBuildEvent[] = [];
  let image: ImageView;

  beforeAll(async () => {
    await daemon.start();
    socket = await daemon.socket();
    socket.on("image:build", (e) => events.push(e));
    expect(await socket.emitWithAck("images:watch")).toEqual({ ok: true });
  });
  afterAll(() => daemon.cleanup());

  const finished = (id: string, timeoutMs = BUILD_TIMEOUT_MS) =>
    waitFor(
      `build ${id} to end`,
      () => events.find((e) => e.buildId === id && e.build && e.build.status !== "running")?.build,
      timeoutMs,
    );
  /** Nothing of a build is left but its record and log: no staging tree, no mounts, no partial file. */
  const expectOnlyLogsLeft = () => {
    expect(mountsUnder(daemon.dataDir)).toEqual([]);
    expect(fs.readdirSync(path.join(imagesDir, "staging"))).toEqual([]);
    expect(fs.readdirSync(imagesDir).filter((f) => f.endsWith(".partial"))).toEqual([]);
  };

  it(
    "refuses a package Debian does not have, keeping only the log",
    async () => {
      const r = await daemon.api<ImageBuildView>("POST", "/api/images/debian", {
        name: "no-such",
        suite: "bookworm",
        sizeMiB: 1024,
        packages: ["corral-no-such-package"],
      });
      expect(r.status).toBe(202);
      const end = await finished(r.body.id, 5 * 60_000);
      expect(end.status).toBe("failed");
      expect(end.error).toMatch(/corral-no-such-package/);
      const log = await daemon.api<string>("GET", `/api/images/builds/${r.body.id}/log`);
      expect(log.body).toMatch(/Couldn't find these debs: corral-no-such-package/);
      expectOnlyLogsLeft();
      expect(fs.existsSync(path.join(imagesDir, "no-such.img"))).toBe(false);
    },
    6 * 60_000,
  );

  it(
    "cancels a build in its chroot stage and unmounts and removes everything",
    async () => {
      const r = await daemon.api<ImageBuildView>("POST", "/api/images/debian", {
        name: "cancelled",
        suite: "bookworm",
        sizeMiB: 1024,
      });
      expect(r.status).toBe(202);
      // Packages' scripts run in the chroot with /proc mounted inside the staging tree.
      await waitFor(
        "the configure stage",
        () => events.some((e) => e.buildId === r.body.id && e.stage === "configure"),
        10 * 60_000,
      );
      expect((await daemon.api("POST", `/api/images/builds/${r.body.id}/cancel`)).status).toBe(202);
      const end = await finished(r.body.id, 60_000);
      expect(end.status).toBe("cancelled");
      expectOnlyLogsLeft();
    },
    12 * 60_000,
  );

  it(
    "builds bookworm with live progress by stage, registers it, and boots it to a login prompt",
    async () => {
      const t0 = Date.now();
      const r = await daemon.api<ImageBuildView>("POST", "/api/images/debian", {
        name: "bookworm",
        suite: "bookworm",
        sizeMiB: 1024,
        packages: [],
      });
      expect(r.status).toBe(202);
      const again = await daemon.api("POST", "/api/images/debian", {
        name: "second",
        suite: "bookworm",
        sizeMiB: 1024,
      });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(/one at a time/);

      const end = await finished(r.body.id);
      const buildSeconds = (Date.now() - t0) / 1000;
      expect(end.status, end.error ?? "").toBe("succeeded");
      const stages = [...new Set(events.filter((e) => e.buildId === r.body.id && e.stage).map((e) => e.stage))];
      expect(stages).toEqual(["download", "extract", "configure", "filesystem"]);
      expect(events.filter((e) => e.buildId === r.body.id && e.line).length).toBeGreaterThan(100);
      const log = (await daemon.api<string>("GET", `/api/images/builds/${r.body.id}/log`)).body;
      expect(log).toMatch(/I: Base system installed successfully/);
      expectOnlyLogsLeft();

      const list = (await daemon.api<ImageView[]>("GET", "/api/images")).body;
      image = list.find((i) => i.name === "bookworm")!;
      const file = path.join(imagesDir, "bookworm.img");
      expect(image.id).toBe(end.imageId);
      // Hashed by stream: reading 1 GiB at once would block this process's event loop for seconds.
      expect(image.sha256).toBe(await sha256File(file));
      expect(fs.statSync(file).mode & 0o777).toBe(0o444);
      const allocatedMiB = (fs.statSync(file).blocks * 512) / 1024 / 1024;

      // Through the daemon: its seed disk names the guest, gives it its network and root's password.
      const guest = await daemon.createGuest("deb-guest", {
        imageId: image.id,
        memoryMiB: 256,
        network: "user",
        rootPassword: TEST_ROOT_PASSWORD,
      });
      const bootStart = Date.now();
      expect((await daemon.api("POST", `/api/guests/${guest.id}/start`)).status).toBe(202);
      const tap = await daemon.attachConsole(await daemon.socket(), guest.id);
      await tap.expect(/deb-guest login: /, 120_000);
      const loginSeconds = (Date.now() - bootStart) / 1000;
      await daemon.waitForState(guest.id, "running");
      await tap.type("root\r");
      await tap.expect(/Password: /);
      await tap.type(`${TEST_ROOT_PASSWORD}\r`);
      await tap.expect(/root@deb-guest:~# /, 30_000);
      await tap.type("ip -4 -o addr show vec0; echo NET-DONE\r");
      await tap.expect(/vec0\s+inet 10\.0\.2\.15\/24[\s\S]*NET-DONE/);
      // Corral's graceful stop is Ctrl-Alt-Del: the image powers off rather than rebooting.
      await daemon.api("POST", `/api/guests/${guest.id}/stop`);
      const stopped = await daemon.waitForState(guest.id, "stopped", 90_000);
      expect(stopped.lastBoot?.outcome).toBe("powered-off");
      console.log(
        `Debian bookworm: built in ${buildSeconds.toFixed(1)} s; image ${image.sizeBytes / 2 ** 20} MiB ` +
          `(${allocatedMiB.toFixed(0)} MiB allocated); boot to login: ${loginSeconds.toFixed(1)} s`,
      );
    },
    BUILD_TIMEOUT_MS + 5 * 60_000,
  );

  it(
    "applies the seed disk: host name, network, and root's password and keys on the first boot only",
    async () => {
      expect(image, "the build test ran first").toBeDefined();
      const dir = fs.mkdtempSync(path.join(daemon.dataDir, "seeded-"));
      const seed = path.join(dir, "seed.img");
      buildSeedDisk(seed, {
        hostname: "seeded-guest",
        network: { address: "10.0.2.15/24", gateway: "10.0.2.2", dns: "10.0.2.3", iface: "vec0" },
        rootPasswordHash: TEST_ROOT_PASSWORD_HASH,
        authorizedKeys: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIcorral test@corral\n",
      });
      const args = [
        `ubd0=${dir}/root.cow,${path.join(imagesDir, "bookworm.img")}`,
        `ubd1r=${seed}`,
        "mem=256M",
        "root=/dev/ubda",
        "systemd.hostname=from-cmdline",
      ];
      const boot = async () => {
        const k = new RawKernel(loadConfig({ ...process.env, CORRAL_DATA_DIR: daemon.dataDir }).umlBinary, args);
        await k.expect(/seeded-guest login: /, 120_000);
        k.type("root\r");
        await k.expect(/Password: /);
        k.type(`${TEST_ROOT_PASSWORD}\r`);
        await k.expect(/root@seeded-guest:~# /);
        return k;
      };
      let k = await boot();
      try {
        expect(await k.run("hostname")).toMatch(/^seeded-guest$/m);
        const network = await k.run("cat /run/systemd/network/10-corral.network /etc/resolv.conf");
        expect(network).toMatch(
          /Name=vec0[\s\S]*Address=10\.0\.2\.15\/24[\s\S]*Gateway=10\.0\.2\.2[\s\S]*DNS=10\.0\.2\.3/,
        );
        expect(network).toMatch(/nameserver 10\.0\.2\.3/);
        expect(await k.run("stat -c %a /root/.ssh/authorized_keys; cat /root/.ssh/authorized_keys")).toMatch(
          /600\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIcorral/,
        );
        expect(await k.run("systemctl is-active corral-seed systemd-networkd")).toMatch(/active\nactive/);
        const state = await k.run("systemctl is-system-running --wait; systemctl --failed --no-legend");
        if (!state.startsWith("running")) console.log(`system state and failed units:\n${state}`);
        expect(state).toMatch(/^(running|degraded)/);
        await k.run("passwd -d root >/dev/null; sync");
      } finally {
        await k.kill();
      }
      // A second boot keeps the guest's own choice: the seed's password is not set again.
      buildSeedDisk(seed, { hostname: "seeded-guest", rootPasswordHash: TEST_ROOT_PASSWORD_HASH });
      k = new RawKernel(loadConfig({ ...process.env, CORRAL_DATA_DIR: daemon.dataDir }).umlBinary, args);
      try {
        await k.expect(/seeded-guest login: /, 120_000);
        k.type("root\r");
        await k.expect(/root@seeded-guest:~# /, 30_000); // no password any more: straight in
        expect(await k.run("ls /run/systemd/network/ 2>&1")).not.toMatch(/10-corral/); // no network this time
      } finally {
        await k.kill();
      }
    },
    6 * 60_000,
  );

  // The same image as a context guest (LXC), so the suite builds Debian once for both kinds.
  it.skipIf(!contextSupport.available)(
    "runs as a context guest: console login, systemd up, the seed at /mnt/seed, reboots, clean power-off",
    async () => {
      expect(image, "the build test ran first").toBeDefined();
      const t = await checkDebianContextGuest(daemon, image.id);
      console.log(
        `Debian bookworm as a context guest: start to login ${t.loginSeconds.toFixed(1)} s; ` +
          `reboot inside to login ${t.rebootSeconds.toFixed(1)} s; stop ${t.stopSeconds.toFixed(1)} s`,
      );
    },
    10 * 60_000,
  );
});

import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BootView } from "../../lib/shared/protocol";
import { castOutput, parseCast } from "../boots/asciicast";
import { TestDaemon } from "../test-support/daemon-harness";
import { buildTestImage } from "../test-support/test-image";
import { registerImage } from "../images/image-library";

describe("guests that fail, and requests that must be refused (real UML)", () => {
  const daemon = new TestDaemon();
  beforeAll(() => daemon.start());
  afterAll(() => daemon.cleanup());

  /** An image whose init runs `script`, registered with `d` as `name`. */
  async function testImage(d: TestDaemon, name: string, script: string, files: Record<string, string> = {}) {
    const file = path.join(d.dataDir, "images", `${name}.img`);
    buildTestImage(file, script, files);
    const db = d.openDb();
    try {
      return {
        file,
        image: await registerImage(db, { name, path: file, hostName: (await db.host.findFirstOrThrow()).name }),
      };
    } finally {
      await db.$disconnect();
    }
  }

  async function world() {
    const db = daemon.openDb();
    try {
      return JSON.stringify(
        {
          guests: await db.guest.findMany({ orderBy: { id: "asc" } }),
          boots: await db.boot.findMany({ orderBy: { id: "asc" } }),
          images: await db.image.findMany({ orderBy: { id: "asc" } }),
          dirs: fs.readdirSync(path.join(daemon.dataDir, "guests")).sort(),
        },
        (_k, v) => (typeof v === "bigint" ? v.toString() : v),
      );
    } finally {
      await db.$disconnect();
    }
  }

  it("refuses bad input with a clear 4xx and changes nothing", async () => {
    fs.mkdirSync(path.join(daemon.dataDir, "guests"), { recursive: true });
    const imageId = await daemon.defaultImageId();
    const running = await daemon.createGuest("busy");
    await daemon.startGuest(running.id);
    const taken = await daemon.createGuest("taken");
    const before = await world();

    const cases: Array<[string, string, unknown, number, RegExp]> = [
      ["POST", "/api/guests", { name: "Bad_Name", imageId, memoryMiB: 64 }, 422, /lower-case letters/],
      ["POST", "/api/guests", { name: "1abc", imageId, memoryMiB: 64 }, 422, /starting with a letter/],
      ["POST", "/api/guests", { name: "a".repeat(32), imageId, memoryMiB: 64 }, 422, /1–31 characters/],
      ["POST", "/api/guests", { name: "taken", imageId, memoryMiB: 64 }, 409, /already exists/],
      ["POST", "/api/guests", { name: "ok", imageId: "nope", memoryMiB: 64 }, 422, /No image with this id/],
      ["POST", "/api/guests", { name: "ok", imageId, memoryMiB: 8 }, 422, /at least 48 MiB/],
      ["POST", "/api/guests", { name: "ok", imageId, memoryMiB: 4096 }, 422, /at most 2048 MiB/],
      ["POST", "/api/guests", { name: "ok", imageId, memoryMiB: 64.5 }, 422, /whole number/],
      ["POST", "/api/guests", { name: "ok", imageId, memoryMiB: "64" }, 422, /whole number/],
      [
        "POST",
        "/api/guests",
        { name: "ok", imageId, memoryMiB: 64, kernelArgs: ["ubd1=/etc/shadow"] },
        422,
        /Not an allowed kernel argument/,
      ],
      ["POST", "/api/guests", { name: "ok", imageId, memoryMiB: 64, kernelArgs: ["loglevel=9"] }, 422, /loglevel=0…7/],
      ["POST", "/api/guests", { name: "ok", imageId, memoryMiB: 64, kernelArgs: "quiet" }, 422, /are a list/],
      ["POST", "/api/guests", [{ name: "ok", imageId, memoryMiB: 64 }], 422, /body is a JSON object/],
      ["POST", "/api/guests", "null", 422, /body is a JSON object/],
      ["POST", "/api/guests", { name: "ok", imageId, memoryMiB: 64, extra: 1 }, 422, /Unrecognized key/i],
      ["POST", "/api/guests", "{not json", 422, /not valid JSON/],
      ["POST", `/api/guests/${running.id}/start`, undefined, 409, /already running/],
      ["DELETE", `/api/guests/${running.id}`, undefined, 409, /Stop it before deleting it/],
      ["POST", `/api/guests/${taken.id}/stop`, undefined, 409, /nothing to stop/],
      ["POST", `/api/guests/${taken.id}/reboot`, undefined, 409, /start it instead/],
      ["POST", `/api/guests/${taken.id}/force-off`, undefined, 409, /nothing to force off/],
      ["POST", `/api/guests/${taken.id}/explode`, undefined, 404, /No API route POST/],
      ["POST", "/api/guests/nosuchguest/start", undefined, 404, /No such guest/],
      ["GET", "/api/guests/..%2F..%2Fetc", undefined, 404, /No such guest/],
      ["GET", `/api/guests/${taken.id}/boots/1/log`, undefined, 404, /has no boot 1/],
      ["GET", `/api/guests/${taken.id}/boots/zero/log`, undefined, 404, /No such boot/],
    ];
    for (const [method, url, body, status, message] of cases) {
      const res = await daemon.api<{ error: { message: string; fields?: Record<string, string> } }>(method, url, body);
      const text = JSON.stringify(res.body);
      expect.soft(res.status, `${method} ${url} ${JSON.stringify(body)}`).toBe(status);
      expect.soft(text, `${method} ${url} ${JSON.stringify(body)}`).toMatch(message);
    }
    expect(await world()).toBe(before);
    await daemon.api("POST", `/api/guests/${running.id}/force-off`);
    await daemon.waitForState(running.id, "stopped");
  });

  it("detects a kernel killed from outside as crashed, and leaves no process behind", async () => {
    const guest = await daemon.createGuest("victim");
    await daemon.startGuest(guest.id);
    const mine = daemon.kernels().find((k) => k.umid === guest.id)!;
    process.kill(-mine.pid, "SIGKILL");
    const crashed = await daemon.waitForState(guest.id, "crashed");
    expect(crashed.stateReason).toMatch(/killed by SIGKILL/);
    expect(crashed.lastBoot?.outcome).toBe("crashed");
    expect(daemon.kernels().filter((k) => k.umid === guest.id)).toEqual([]);
    // A crashed guest can be started again.
    await daemon.startGuest(guest.id);
    await daemon.api("POST", `/api/guests/${guest.id}/force-off`);
    await daemon.waitForState(guest.id, "stopped");
  });

  it("records a kernel panic with the kernel's words and a complete log", async () => {
    const guest = await daemon.createGuest("panicky");
    await daemon.startGuest(guest.id);
    const tap = await daemon.attachConsole(await daemon.socket(), guest.id);
    await tap.type("echo c > /proc/sysrq-trigger\r");
    const crashed = await daemon.waitForState(guest.id, "crashed");
    expect(crashed.lastBoot?.outcome).toBe("panicked");
    expect(crashed.stateReason).toMatch(/Kernel panic: sysrq triggered crash/);
    const log = castOutput(
      parseCast((await daemon.api<string>("GET", `/api/guests/${guest.id}/boots/1/log`)).body).events,
    );
    expect(log).toMatch(/Kernel panic - not syncing: sysrq triggered crash/);
  });

  // Short deadlines, each on a daemon of its own: a busybox guest that boots normally could
  // miss a 4 s boot deadline on a loaded machine, so only guests that never get there (or
  // never stop) meet one.
  describe("a boot that may be silent for 4 s and last 15 s", () => {
    const short = new TestDaemon({ CORRAL_BOOT_TIMEOUT_SECONDS: "4", CORRAL_BOOT_LIMIT_SECONDS: "15" });
    beforeAll(() => short.start());
    afterAll(() => short.cleanup());

    it("ends a boot that misses its deadline and reports it", async () => {
      const { image } = await testImage(short, "silent", "exec sleep 1000");
      const guest = await short.createGuest("silent", { imageId: image.id });
      expect((await short.api("POST", `/api/guests/${guest.id}/start`)).status).toBe(202);
      const crashed = await short.waitForState(guest.id, "crashed");
      expect(crashed.lastBoot?.outcome).toBe("boot-timeout");
      expect(crashed.stateReason).toBe(
        "Not ready, and its console silent for 4 s; the kernel was killed. The boot log shows where it stopped.",
      );
      expect(crashed.lastBoot?.readyAt).toBeNull();
      expect(short.kernels().filter((k) => k.umid === guest.id)).toEqual([]);
    });

    it("lets a boot that keeps printing outlive the silence, and ends it at the limit", async () => {
      const { image } = await testImage(short, "chatty", "while true; do echo still-booting; sleep 1; done");
      const guest = await short.createGuest("chatty", { imageId: image.id });
      expect((await short.api("POST", `/api/guests/${guest.id}/start`)).status).toBe(202);
      const crashed = await short.waitForState(guest.id, "crashed");
      expect(crashed.lastBoot?.outcome).toBe("boot-timeout");
      expect(crashed.stateReason).toMatch(/^Not ready within 15 s although still printing; the kernel was killed/);
      // Each line is a second after the last: six or more mean it printed past the 4 s of silence allowed.
      const log = castOutput(
        parseCast((await short.api<string>("GET", `/api/guests/${guest.id}/boots/1/log`)).body).events,
      );
      expect(log.match(/still-booting/g)?.length).toBeGreaterThanOrEqual(6);
      expect(short.kernels().filter((k) => k.umid === guest.id)).toEqual([]);
    });
  });

  describe("a stop deadline of 3 s", () => {
    const short = new TestDaemon({ CORRAL_STOP_TIMEOUT_SECONDS: "3" });
    beforeAll(() => short.start());
    afterAll(() => short.cleanup());

    it("forces off a guest that ignores the stop request once the stop timeout passes", async () => {
      // Becomes ready, then ignores Ctrl-Alt-Del (this init has no handler for it).
      const { image } = await testImage(
        short,
        "stubborn",
        "mount -t proc proc /proc; echo corral-ready > /proc/mconsole; exec sleep 1000",
      );
      const guest = await short.createGuest("stubborn", { imageId: image.id });
      await short.startGuest(guest.id);
      expect((await short.api("POST", `/api/guests/${guest.id}/stop`)).status).toBe(202);
      expect((await short.guest(guest.id)).state).toBe("stopping");
      const stopped = await short.waitForState(guest.id, "stopped");
      expect(stopped.lastBoot?.outcome).toBe("killed");
      expect(stopped.stateReason).toMatch(/Did not power off within 3 s/);
    });

    it("asks a guest that never says it is ready to power off halfway to the stop timeout", async () => {
      // busybox init (it takes Ctrl-Alt-Del itself once up) with neither a prompt nor the notice.
      const inittab = "::sysinit:/bin/busybox echo init-is-up\n::ctrlaltdel:/bin/busybox poweroff -f\n";
      const { image } = await testImage(short, "unready", "exec /bin/busybox init", { "etc/inittab": inittab });
      const guest = await short.createGuest("unready", { imageId: image.id });
      const tap = await short.attachConsole(await short.socket(), guest.id);
      expect((await short.api("POST", `/api/guests/${guest.id}/start`)).status).toBe(202);
      await tap.expect(/init-is-up/);
      expect((await short.api("POST", `/api/guests/${guest.id}/stop`)).status).toBe(202);
      const stopped = await short.waitForState(guest.id, "stopped");
      expect(stopped.lastBoot, short.logText.slice(-4000)).toMatchObject({ outcome: "powered-off", readyAt: null });
    });
  });

  // A start answers at once (queued); what is wrong on the host is found by the boot, which
  // fails with the reason, on the guest and in its boot history.
  it("fails the boot of a guest whose image file is missing, saying why", async () => {
    const { file, image } = await testImage(daemon, "gone", "exec sleep 1000");
    const guest = await daemon.createGuest("orphan", { imageId: image.id });
    fs.rmSync(file);
    const res = await daemon.api<{ state: string }>("POST", `/api/guests/${guest.id}/start`);
    expect(res.status).toBe(202);
    expect(res.body.state).toBe("queued");
    const after = await daemon.waitForState(guest.id, "crashed");
    expect(after.stateReason).toMatch(/could not be started: The image "gone" is missing/);
    expect(after.lastBoot?.outcome).toBe("failed");
    const { body: boots } = await daemon.api<BootView[]>("GET", `/api/guests/${guest.id}/boots`);
    expect(boots.map((b) => [b.outcome, b.detail])).toEqual([["failed", after.stateReason]]);
    expect(daemon.kernels().filter((k) => k.umid === guest.id)).toEqual([]);
  });
});

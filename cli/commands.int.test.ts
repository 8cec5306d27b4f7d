// `corral` against a real daemon and real busybox guests: each command, its --json output
// and its exit code, as a script would run it (a child process with its own config).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BootView, FleetHostView, GuestView, ImageView, SnapshotView, UserView } from "../lib/shared/protocol";
import { TestDaemon, waitFor } from "../server/test-support/daemon-harness";
import { ADMIN_PASSWORD } from "../server/test-support/daemon-session";
import { EXIT } from "./exit-codes";
import { CliUser } from "./test-support";

describe("corral, the command line (real daemon, real guests)", () => {
  const daemon = new TestDaemon();
  let admin: CliUser;

  beforeAll(async () => {
    await daemon.start();
    admin = new CliUser(daemon.url);
    await admin.login("admin", ADMIN_PASSWORD);
  });
  afterAll(async () => {
    admin?.cleanup();
    await daemon.cleanup();
  });

  it("login stores a token 0600 and whoami names its person; logout revokes it", async () => {
    expect(fs.statSync(admin.configFile).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(fs.readFileSync(admin.configFile, "utf8"));
    expect(stored).toMatchObject({ url: daemon.url, username: "admin", secret: expect.stringMatching(/^corral_/) });
    expect((await admin.json<{ user: UserView }>(["whoami"])).user).toMatchObject({ username: "admin", role: "admin" });

    // Trading a password for a token needs neither cookie nor Origin, but a browser's request
    // from another origin (which always says its Origin) is still refused.
    const body = { username: "admin", password: ADMIN_PASSWORD, name: "x", scope: "read", expiresAt: null };
    const foreign = await daemon.api("POST", "/api/auth/token", body, { as: null, origin: "http://evil.example" });
    expect(foreign.status).toBe(403);
    const withCookie = await daemon.api("POST", "/api/auth/token", body, { origin: null });
    expect(withCookie.status).toBe(403);

    const other = new CliUser(daemon.url);
    try {
      const wrong = await other.run(["login", "-u", "admin"], { input: "not-the-password\n" });
      expect(wrong.code).toBe(EXIT.auth);
      expect(fs.existsSync(other.configFile)).toBe(false);

      await other.login("admin", ADMIN_PASSWORD);
      const secret = JSON.parse(fs.readFileSync(other.configFile, "utf8")).secret as string;
      const out = await other.json<{ revoked: boolean }>(["logout"]);
      expect(out.revoked).toBe(true);
      expect(fs.existsSync(other.configFile)).toBe(false);
      // The revoked token no longer works, given through CORRAL_TOKEN as a script would.
      const refused = await other.run(["guests", "list"], { env: { CORRAL_TOKEN: secret } });
      expect(refused.code).toBe(EXIT.auth);
      expect(refused.stderr).toMatch(/CORRAL_TOKEN was refused/);
      const anonymous = await other.run(["guests", "list"]);
      expect(anonymous.code).toBe(EXIT.auth);
      expect(anonymous.stderr).toMatch(/corral login/);

      // A read-only token reads, and is refused (exit 3) what would change something.
      await other.run(["login", "-u", "admin", "--read-only"], { input: `${ADMIN_PASSWORD}\n` });
      expect((await other.run(["guests", "list"])).code).toBe(0);
      const write = await other.run(["guests", "create", "cli-read-only", "-m", "64"]);
      expect(write.code).toBe(EXIT.auth);
      const past = await other.run(["login", "-u", "admin", "--expires", "2001-01-01T00:00:00Z"], {
        input: `${ADMIN_PASSWORD}\n`,
      });
      expect(past.code).toBe(EXIT.usage);
      expect(past.stderr).toMatch(/expiresAt: Choose an expiry in the future/);
    } finally {
      other.cleanup();
    }
  });

  it("says what went wrong with an exit code per kind: usage 2, not found 4, unreachable 6", async () => {
    const usage = await admin.run(["guests", "frobnicate"]);
    expect(usage.code).toBe(EXIT.usage);
    const invalid = await admin.run(["guests", "create", "Not_A_Name"]);
    expect(invalid.code).toBe(EXIT.usage);
    expect(invalid.stderr).toMatch(/name: Use 1–31 characters/);
    const missing = await admin.run(["guests", "show", "no-such-guest"]);
    expect(missing.code).toBe(EXIT.notFound);
    expect(missing.stderr).toMatch(/No guest named "no-such-guest"/);
    const unreachable = await admin.run(["--url", "http://127.0.0.1:1", "hosts"]);
    expect(unreachable.code).toBe(EXIT.unreachable);
    expect(unreachable.stderr).toMatch(/Cannot reach Corral at http:\/\/127\.0\.0\.1:1/);
  });

  it("hosts, images and guests list as JSON and as tables", async () => {
    const host = await admin.json(["hosts"]);
    expect(host).toMatchObject({ url: daemon.url, kernelVersion: expect.any(String) });
    const images = await admin.json<ImageView[]>(["images", "list"]);
    expect(images.some((i) => i.builtIn && i.name === "busybox")).toBe(true);
    const table = await admin.run(["images", "list"]);
    expect(table.stdout).toMatch(/^NAME\s+SIZE\s+GUESTS/);
    expect(table.stdout).toMatch(/busybox/);
  });

  it("lists the fleet, puts a host in maintenance and back, and creates a guest on a named host", async () => {
    const [here] = await admin.json<FleetHostView[]>(["hosts", "fleet"]);
    expect(here).toMatchObject({ maintenance: false, status: "up" });
    const on = await admin.json<FleetHostView>(["hosts", "maintenance", here.name, "on"]);
    expect(on.maintenance).toBe(true);
    const refused = await admin.run(["guests", "create", "cli-placed", "-m", "64", "--host", here.name]);
    expect(refused.code).toBe(EXIT.conflict);
    expect(refused.stderr).toMatch(/is in maintenance: no new guests are placed on it/);
    // Alone, the host in maintenance takes no guest placed by Corral either.
    const alone = await admin.run(["guests", "create", "cli-placed", "-m", "64"]);
    expect([alone.code, alone.stderr]).toEqual([EXIT.conflict, expect.stringMatching(/is in maintenance/)]);
    expect((await admin.run(["hosts", "maintenance", here.name, "sideways"])).code).toBe(EXIT.usage);
    expect((await admin.run(["guests", "create", "cli-placed", "--host", "nowhere"])).code).toBe(EXIT.notFound);
    expect((await admin.json<FleetHostView>(["hosts", "maintenance", here.name, "off"])).maintenance).toBe(false);
    const placed = await admin.json<GuestView>(["guests", "create", "cli-placed", "-m", "64", "--host", here.id]);
    expect(placed.hostName).toBe(here.name);
    expect((await admin.run(["guests", "delete", "cli-placed"])).code).toBe(0);
  });

  it("a guest's life: create, edit, start, boots and logs, reboot, stop, conflicts, delete", async () => {
    const g = await admin.json<GuestView>(["guests", "create", "cli-life", "-m", "64", "-f", "tcp:18022:22"]);
    expect(g).toMatchObject({ name: "cli-life", memoryMiB: 64, state: "stopped", imageName: "busybox" });
    expect(g.network.forwards).toEqual([expect.objectContaining({ hostPort: 18022, guestPort: 22 })]);
    const dup = await admin.run(["guests", "create", "cli-life", "-m", "64"]);
    expect(dup.code).toBe(EXIT.conflict);
    expect(dup.stderr).toMatch(/already exists/);

    const edited = await admin.json<GuestView>(["guests", "edit", "cli-life", "-m", "96", "--no-forwards"]);
    expect(edited).toMatchObject({ memoryMiB: 96, network: expect.objectContaining({ forwards: [] }) });

    const started = await admin.json<GuestView>(["guests", "start", "cli-life", "--wait"]);
    expect(started.state).toBe("running");
    const running = await admin.run(["guests", "delete", "cli-life"]);
    expect(running.code).toBe(EXIT.conflict);
    expect(running.stderr).toMatch(/running/i);

    const list = await admin.run(["guests", "list"]);
    expect(list.stdout).toMatch(/cli-life\s+running\s+busybox\s+96 MiB/);
    const shown = await admin.json<GuestView>(["guests", "show", g.id]);
    expect(shown.name).toBe("cli-life");

    const rebooted = await admin.json<GuestView>(["guests", "reboot", "cli-life", "--wait"]);
    expect(rebooted).toMatchObject({ state: "running", lastBoot: expect.objectContaining({ number: 2 }) });
    const stopped = await admin.json<GuestView>(["guests", "stop", "cli-life", "--wait"]);
    expect(stopped.state).toBe("stopped");

    const boots = await admin.json<BootView[]>(["boots", "list", "cli-life"]);
    expect(boots.map((b) => b.number)).toEqual([2, 1]);
    expect(boots[1].outcome).toBe("rebooted");
    const log = await admin.run(["boots", "log", "cli-life", "1"]);
    expect(log.code).toBe(0);
    expect(log.stdout).toMatch(/Linux version/);
    const cast = await admin.run(["boots", "log", "cli-life", "--cast"]);
    expect(JSON.parse(cast.stdout.split("\n")[0])).toMatchObject({ version: 2 });
    const noBoot = await admin.run(["boots", "log", "cli-life", "9"]);
    expect(noBoot.code).toBe(EXIT.notFound);

    const gone = await admin.json(["guests", "delete", "cli-life"]);
    expect(gone).toMatchObject({ name: "cli-life" });
    expect((await admin.run(["guests", "show", "cli-life"])).code).toBe(EXIT.notFound);
  });

  it("force-off, and a disk's commands: snapshot, revert, clone, commit, reset", async () => {
    await admin.json(["guests", "create", "cli-disk", "-m", "64"]);
    await admin.json(["guests", "start", "cli-disk", "--wait"]);
    const off = await admin.json<GuestView>(["guests", "force-off", "cli-disk", "--wait"]);
    expect(off.state).toBe("stopped");

    const snap = await admin.json<SnapshotView>(["guests", "snapshot", "cli-disk", "before"]);
    expect(snap.name).toBe("before");
    expect((await admin.json<SnapshotView[]>(["guests", "snapshots", "cli-disk"])).map((s) => s.name)).toEqual([
      "before",
    ]);
    expect((await admin.run(["guests", "revert", "cli-disk", "nope"])).code).toBe(EXIT.notFound);
    expect((await admin.json<GuestView>(["guests", "revert", "cli-disk", "before"])).name).toBe("cli-disk");
    const clone = await admin.json<GuestView>(["guests", "clone", "cli-disk", "cli-disk-2"]);
    expect(clone).toMatchObject({ name: "cli-disk-2", memoryMiB: 64 });
    const image = await admin.json<ImageView>(["guests", "commit", "cli-disk", "cli-committed"]);
    expect(image.name).toBe("cli-committed");
    const reset = await admin.json(["guests", "reset", "cli-disk"]);
    expect(reset).toMatchObject({ guest: expect.objectContaining({ name: "cli-disk" }) });
    expect(await admin.json(["guests", "delete-snapshot", "cli-disk", "before"])).toMatchObject({ name: "before" });

    // The committed image is in use by nobody: it can go; the built-in one cannot.
    for (const name of ["cli-disk", "cli-disk-2"]) await admin.json(["guests", "delete", name]);
    expect(await admin.json(["images", "delete", "cli-committed"])).toMatchObject({ name: "cli-committed" });
  });

  it("boots log --follow prints the live boot as it grows, then ends with it", async () => {
    const g = await admin.json<GuestView>(["guests", "create", "cli-follow", "-m", "64"]);
    await admin.json(["guests", "start", "cli-follow", "--wait"]);
    const follow = admin.run(["boots", "log", "cli-follow", "--follow"]);
    const socket = await daemon.socket();
    const tap = await daemon.attachConsole(socket, g.id);
    await tap.type("echo FOLLOWED-$((6*7))\r");
    await tap.expect(/FOLLOWED-42/);
    await admin.json(["guests", "stop", "cli-follow", "--wait"]);
    const done = await follow;
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/Linux version/);
    // Each piece once: the typed command echoed and its output, in order.
    expect(done.stdout.match(/FOLLOWED-42/g)).toHaveLength(1);
    expect(done.stderr).toMatch(/boot 1 of cli-follow ended/);
    await admin.json(["guests", "delete", "cli-follow"]);
  });

  it("images: upload from this machine and import from the host's import directory", async () => {
    const builtIn = (await daemon.api<ImageView[]>("GET", "/api/images")).body.find((i) => i.builtIn)!;
    const source = path.join(
      daemon.dataDir,
      "images",
      fs.readdirSync(path.join(daemon.dataDir, "images")).find((f) => f.endsWith(".img"))!,
    );
    const upload = await admin.json<ImageView>(["images", "upload", source, "--name", "cli-uploaded"]);
    expect(upload).toMatchObject({ name: "cli-uploaded", sha256: builtIn.sha256 });

    const importDir = path.join(daemon.dataDir, "import");
    fs.mkdirSync(importDir, { recursive: true });
    await fs.promises.copyFile(source, path.join(importDir, "copy.img"));
    const imported = await admin.json<ImageView>(["images", "import", "cli-imported", "copy.img"]);
    expect(imported.sha256).toBe(builtIn.sha256);
    const outside = await admin.run(["images", "import", "cli-bad", "../corral.db"]);
    expect(outside.code).toBe(EXIT.usage);
    // On a terminal the upload draws its progress bar.
    const bar = admin.spawnTerminal(["images", "upload", source, "--name", "cli-bar"]);
    try {
      await bar.waitForOutput(/Uploading cli-bar \[#{30}\] 100% 32 MiB \/ 32 MiB/);
      expect(await bar.exit()).toBe(0);
    } finally {
      bar.kill();
    }
    for (const name of ["cli-uploaded", "cli-imported", "cli-bar"]) await admin.json(["images", "delete", name]);
  });

  it.skipIf(process.getuid?.() !== 0)(
    "images build shows a Debian build's stages live and fails (exit 1) when it is cancelled",
    async () => {
      const socket = await daemon.socket();
      const stages: string[] = [];
      socket.on("image:build", (e) => e.stage && stages.push(e.stage));
      expect(await socket.emitWithAck("images:watch")).toEqual({ ok: true });
      const build = admin.run(["images", "build", "cli-deb", "--suite", "bookworm", "--size", "1024"]);
      // debootstrap has begun downloading: the CLI is watching the same events.
      await waitFor("the build to reach a stage", () => stages.length > 0, 5 * 60_000);
      const [running] = await admin.json<Array<{ id: string; status: string }>>(["images", "builds"]);
      expect(running.status).toBe("running");
      const cancelled = await admin.json<{ status: string }>(["images", "cancel-build", running.id]);
      expect(["running", "cancelled"]).toContain(cancelled.status);
      const done = await build;
      expect(done.code).toBe(EXIT.error);
      expect(done.stderr).toMatch(new RegExp(`Build ${running.id} of cli-deb started`));
      expect(done.stderr).toMatch(/\[build\] download/);
      expect(done.stderr).toMatch(/cancelled/);
      const log = await admin.run(["images", "build-log", running.id]);
      expect(log.code).toBe(0);
      expect(log.stdout.length).toBeGreaterThan(0);
    },
  );

  it("users and quotas for admins; a developer is refused them (exit 3) and sees only their guests", async () => {
    const created = await admin.json<{ user: UserView; password: string }>([
      "users",
      "create",
      "cli-dev",
      "-r",
      "developer",
      "--max-guests",
      "1",
    ]);
    expect(created.user).toMatchObject({
      username: "cli-dev",
      role: "developer",
      quota: expect.objectContaining({ maxGuests: 1 }),
    });
    expect(created.password).toEqual(expect.any(String));
    const quota = await admin.json<UserView>(["users", "quota", "cli-dev", "--max-memory", "128"]);
    expect(quota.quota).toMatchObject({ maxGuests: 1, maxMemoryMiB: 128 });
    const users = await admin.run(["users", "list"]);
    expect(users.stdout).toMatch(/cli-dev\s+developer\s+active\s+0 \/ 1/);

    const dev = new CliUser(daemon.url);
    try {
      await dev.login("cli-dev", created.password);
      const refused = await dev.run(["users", "list"]);
      expect(refused.code).toBe(EXIT.auth);
      expect(refused.stderr).toMatch(/may not/);
      await dev.json(["guests", "create", "cli-dev-guest", "-m", "64"]);
      const over = await dev.run(["guests", "create", "cli-dev-guest-2", "-m", "64"]);
      expect(over.code).toBe(EXIT.conflict);
      expect((await dev.json<GuestView[]>(["guests", "list"])).map((g) => g.name)).toEqual(["cli-dev-guest"]);

      // Disabling the person stops their token at once.
      await admin.json(["users", "edit", "cli-dev", "--disable"]);
      expect((await dev.run(["guests", "list"])).code).toBe(EXIT.auth);
      await admin.json(["users", "edit", "cli-dev", "--enable"]);
      const reset = await admin.json<{ password?: string }>(["users", "reset-password", "cli-dev"]);
      expect(reset.password).toEqual(expect.any(String));
    } finally {
      dev.cleanup();
    }
  });

  it("completes commands, options and guest names for bash", async () => {
    const script = await admin.run(["completion", "bash"]);
    expect(script.stdout).toMatch(/complete -o default -F _corral_complete corral/);
    const subs = await admin.run(["__complete", "guests", "st"]);
    expect(subs.stdout.split("\n").filter(Boolean).sort()).toEqual(["start", "stop"]);
    await admin.json(["guests", "create", "cli-complete", "-m", "64"]);
    const names = await admin.run(["__complete", "guests", "show", "cli-c"]);
    expect(names.stdout.trim()).toBe("cli-complete");
    await admin.json(["guests", "delete", "cli-complete"]);
    await waitFor("nothing left running", () => daemon.kernels().length === 0, 30_000);
  });
});

// `corral` against a real daemon, as a script would run it (a child process with its own config):
// signing in and tokens, exit codes, users and quotas, shell completion.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import type { GuestView, UserView } from "../lib/shared/protocol";
import { TestDaemon, waitFor } from "../server/test-support/daemon-harness";
import { ADMIN_PASSWORD } from "../server/test-support/daemon-session";
import { EXIT } from "./exit-codes";
import { CliUser, withAdmin } from "./test-support";

describe("corral login, logout, users and completion (real daemon)", () => {
  const daemon = new TestDaemon();
  let admin: CliUser;

  withAdmin(daemon, (a) => (admin = a));

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

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntryView } from "../../lib/shared/protocol";
import { TestDaemon } from "../test-support/daemon-harness";
import { onPostgres } from "../test-support/test-database";

describe("the audit trail (real daemon)", () => {
  const daemon = new TestDaemon();
  beforeAll(() => daemon.start());
  afterAll(() => daemon.cleanup());

  const headFile = () => path.join(daemon.dataDir, "audit-head.json");
  const readHead = () => JSON.parse(fs.readFileSync(headFile(), "utf8"));
  /** The check from the command line, without the daemon. */
  const verifyCli = () =>
    spawnSync(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts"], {
      env: { ...process.env, ...daemon.databaseEnv() },
      encoding: "utf8",
    });
  const entries = async (q = "") => (await daemon.api<AuditEntryView[]>("GET", `/api/audit?limit=1000${q}`)).body;

  it("records who did what, from where and how it went, and admins filter it", async () => {
    const dev = await daemon.userSession("auditee", "developer");
    await daemon.api("POST", "/api/auth/login", { username: "auditee", password: "wrong" }, { as: null });
    const image = await daemon.defaultImageId();
    const g = (await daemon.api("POST", "/api/guests", { name: "audited", imageId: image, memoryMiB: 48 }, { as: dev }))
      .body;
    await daemon.api("POST", `/api/guests/${g.id}/start`, undefined, { as: dev });
    await daemon.waitForState(g.id, "running");
    const s = await daemon.socket(dev);
    await s.emitWithAck("console:attach", { guestId: g.id });
    await s.emitWithAck("console:take-control", { guestId: g.id });
    await s.emitWithAck("console:detach", { guestId: g.id });
    await daemon.api("DELETE", `/api/guests/${g.id}`, undefined, { as: dev }); // refused: running
    const manager = await daemon.userSession("watcher", "manager");
    await daemon.api("POST", `/api/guests/${g.id}/stop`, undefined, { as: manager }); // denied
    await daemon.api("POST", `/api/guests/${g.id}/force-off`, undefined, { as: dev });
    await daemon.waitForState(g.id, "stopped");

    const mine = (await entries("&actor=auditee")).map((e) => `${e.action}:${e.outcome}`).reverse();
    expect(mine).toEqual([
      "auth.login:ok",
      "guest.create:ok",
      "guest.start:ok",
      "console.attach:ok",
      "console.take-control:ok",
      "console.detach:ok",
      "guest.delete:failed",
      "guest.force-off:ok",
    ]);
    const all = await entries();
    expect(all.find((e) => e.action === "auth.login" && e.outcome === "failed" && e.target === "auditee")).toBeTruthy();
    expect(all.find((e) => e.actor === "watcher" && e.action === "guest.stop")?.outcome).toBe("denied");
    expect(all.find((e) => e.action === "user.create" && e.target === "auditee")?.actor).toBe("admin");
    expect(all.every((e) => e.ip !== undefined)).toBe(true);
    expect(all.find((e) => e.action === "guest.start")?.ip).toMatch(/127\.0\.0\.1/);
    const denied = await entries("&outcome=denied");
    expect(denied.every((e) => e.outcome === "denied")).toBe(true);
    // Only admins read it.
    expect((await daemon.api("GET", "/api/audit", undefined, { as: manager })).status).toBe(403);
  });

  it("a burst of entries leaves the head outside the database at the newest one", async () => {
    const manager = await daemon.userSession("burster", "manager");
    const image = await daemon.defaultImageId();
    const g = (await daemon.api("POST", "/api/guests", { name: "burst", imageId: image, memoryMiB: 48 })).body;
    const denied = await Promise.all(
      Array.from({ length: 40 }, () => daemon.api("POST", `/api/guests/${g.id}/stop`, undefined, { as: manager })),
    );
    expect(denied.every((r) => r.status === 403)).toBe(true);
    // Each answer came after its entry was in the database (read there directly: the API's
    // read would wait for entries still being appended).
    const db = daemon.openDb();
    expect(await db.auditEntry.count({ where: { actor: "burster", outcome: "denied" } })).toBe(40);
    // The head follows its entries (not awaited by the answers); verify waits for it.
    expect((await daemon.api("GET", "/api/audit/verify")).body).toMatchObject({ ok: true });
    const newest = (await db.auditEntry.findFirst({ orderBy: { id: "desc" }, select: { hash: true } }))!;
    const count = await db.auditEntry.count();
    await db.$disconnect();
    expect(readHead()).toEqual({ hash: newest.hash, count });
  });

  it("a head left behind its entries (a crash before it was written) names them, and the next entry covers them", async () => {
    const manager = await daemon.userSession("crasher", "manager");
    const guest = (await entries()).find((e) => e.action === "guest.create")!.target;
    const deny = () => daemon.api("POST", `/api/guests/${guest}/stop`, undefined, { as: manager });
    expect((await daemon.api("GET", "/api/audit/verify")).body.ok).toBe(true);
    const before = fs.readFileSync(headFile());
    await deny();
    await deny();
    expect((await daemon.api("GET", "/api/audit/verify")).body.ok).toBe(true);
    // What a daemon stopped after writing the two entries, before writing their head, leaves.
    fs.writeFileSync(headFile(), before);
    const db = daemon.openDb();
    const [second, first] = await db.auditEntry.findMany({ orderBy: { id: "desc" }, take: 2 });
    const count = await db.auditEntry.count();
    await db.$disconnect();
    expect([first.actor, second.actor]).toEqual(["crasher", "crasher"]);
    const v = (await daemon.api("GET", "/api/audit/verify")).body;
    if (onPostgres()) {
      // A fleet's one chain has other hosts' entries past each host's head: its place is what is checked.
      expect(v).toMatchObject({ ok: true, entries: count });
    } else {
      expect(v).toEqual({
        ok: false,
        entries: count - 2,
        brokenAt: first.id,
        reason: expect.stringMatching(/^2 newest entries are past the head/),
      });
      expect(verifyCli()).toMatchObject({
        status: 1,
        stdout: expect.stringMatching(/2 newest entries are past the head/),
      });
    }
    // The daemon's next entry moves the head past them: nothing was lost, the chain is whole.
    await deny();
    expect((await daemon.api("GET", "/api/audit/verify")).body).toMatchObject({ ok: true, entries: count + 1 });
    expect(verifyCli().status).toBe(0);
  });

  it("verifies the chain, and catches an edited, a deleted and a newest entry changed", async () => {
    expect((await daemon.api("GET", "/api/audit/verify")).body).toMatchObject({ ok: true, brokenAt: null });
    const db = daemon.openDb();
    const ids = (await db.auditEntry.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((r) => r.id);
    const middle = ids[Math.floor(ids.length / 2)];
    const row = (await db.auditEntry.findUnique({ where: { id: middle } }))!;

    await db.auditEntry.update({ where: { id: middle }, data: { outcome: "ok-ish" } });
    let v = (await daemon.api("GET", "/api/audit/verify")).body;
    expect(v).toMatchObject({ ok: false, brokenAt: middle, reason: "its contents were changed" });
    await db.auditEntry.update({ where: { id: middle }, data: { outcome: row.outcome } });

    await db.auditEntry.delete({ where: { id: middle } });
    v = (await daemon.api("GET", "/api/audit/verify")).body;
    expect(v).toMatchObject({ ok: false, brokenAt: ids[ids.indexOf(middle) + 1] });
    await db.auditEntry.create({ data: row });
    expect((await daemon.api("GET", "/api/audit/verify")).body.ok).toBe(true);

    // The newest entry has no successor to betray it: the head kept outside the database does.
    const last = (await daemon.api("GET", "/api/audit/verify")).body;
    const newest = (await db.auditEntry.findFirst({ orderBy: { id: "desc" }, select: { id: true } }))!;
    await db.auditEntry.delete({ where: { id: newest.id } });
    v = (await daemon.api("GET", "/api/audit/verify")).body;
    expect(v).toMatchObject({ ok: false, reason: "the newest entries were changed or removed" });
    expect(last.ok).toBe(true);
    await db.$disconnect();
    expect(fs.existsSync(headFile())).toBe(true);
    // The same check from the command line, without the daemon.
    const cli = verifyCli();
    expect(cli.status).toBe(1);
    expect(cli.stdout).toMatch(/audit trail BROKEN .* the newest entries were changed or removed/);
  });
});

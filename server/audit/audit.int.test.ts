import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntryView } from "../../lib/shared/protocol";
import { TestDaemon } from "../test-support/daemon-harness";

describe("the audit trail (real daemon)", () => {
  const daemon = new TestDaemon();
  beforeAll(() => daemon.start());
  afterAll(() => daemon.cleanup());

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
    expect((await entries("&actor=burster&outcome=denied")).length).toBe(40);
    const db = daemon.openDb();
    const newest = (await db.auditEntry.findFirst({ orderBy: { id: "desc" }, select: { hash: true } }))!;
    const count = await db.auditEntry.count();
    await db.$disconnect();
    // The burst's answers all came after its entries were written: the head names the last of them.
    const head = JSON.parse(fs.readFileSync(path.join(daemon.dataDir, "audit-head.json"), "utf8"));
    expect(head).toEqual({ hash: newest.hash, count });
    expect((await daemon.api("GET", "/api/audit/verify")).body).toMatchObject({ ok: true, entries: count });
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
    expect(fs.existsSync(path.join(daemon.dataDir, "audit-head.json"))).toBe(true);
    // The same check from the command line, without the daemon.
    const cli = spawnSync(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts"], {
      env: { ...process.env, ...daemon.databaseEnv() },
      encoding: "utf8",
    });
    expect(cli.status).toBe(1);
    expect(cli.stdout).toMatch(/audit trail BROKEN .* the newest entries were changed or removed/);
  });
});

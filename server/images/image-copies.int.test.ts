import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImageView } from "../../lib/shared/protocol";
import { TestDaemon } from "../test-support/daemon-harness";

type Refusal = { error: { code: string; message: string } };

// One host, as every install was before images had per-host copies: on SQLite (or the run's
// PostgreSQL under CORRAL_TEST_DATABASE=postgres), a real daemon and a real kernel.
describe("an install from before image copies (real daemon, real migration, real kernel)", () => {
  const daemon = new TestDaemon();
  beforeAll(() => daemon.start());
  afterAll(() => daemon.cleanup());

  it("migrates: each image's file becomes this host's copy, and its guests start from it", async () => {
    const guest = await daemon.createGuest("from-before", { network: "none" });
    const builtIn = (await daemon.api<ImageView[]>("GET", "/api/images")).body.find((i) => i.builtIn)!;
    await daemon.stop();
    // Back to the schema before the migration: no copies table, the migration not applied.
    const db = daemon.openDb();
    try {
      await db.$executeRawUnsafe(`DROP TABLE "ImageCopy"`);
      await db.$executeRawUnsafe(
        `DELETE FROM "_prisma_migrations" WHERE "migration_name" = '20261201110000_image_copies'`,
      );
    } finally {
      await db.$disconnect();
    }
    const file = path.join(daemon.dataDir, "images", "busybox.img");
    const before = fs.statSync(file);
    await daemon.start();
    expect(daemon.logText).toContain("20261201110000_image_copies");
    expect(daemon.logText).toContain("image files on this host recorded as its copies");
    const after = (await daemon.api<ImageView[]>("GET", "/api/images")).body.find((i) => i.builtIn)!;
    expect([after.id, after.sha256, after.copies.map((c) => c.state)]).toEqual([builtIn.id, builtIn.sha256, ["ready"]]);
    // Neither rebuilt nor touched.
    expect(fs.statSync(file).mtimeMs).toBe(before.mtimeMs);
    await daemon.startGuest(guest.id);
    await daemon.api("POST", `/api/guests/${guest.id}/force-off`);
    await daemon.waitForState(guest.id, "stopped");
  });

  it("refuses to copy an image to the host that has it, leaving nothing behind", async () => {
    const builtIn = (await daemon.api<ImageView[]>("GET", "/api/images")).body.find((i) => i.builtIn)!;
    const here = builtIn.copies[0].hostId;
    const res = await daemon.api<Refusal>("POST", `/api/images/${builtIn.id}/copies`, { hostId: here });
    expect([res.status, res.body.error.message]).toEqual([
      409,
      `The image "busybox" is on host ${builtIn.copies[0].hostName} already.`,
    ]);
    const images = fs.readdirSync(path.join(daemon.dataDir, "images")).sort();
    expect(images.filter((f) => f.endsWith(".partial"))).toEqual([]);
  });
});

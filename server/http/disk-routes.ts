import type { Hono } from "hono";
import { guestIdSchema } from "../../lib/protocol";
import type { DiskService } from "../disks/disk-service";
import { notFound } from "../errors";
import type { Db } from "../db";
import { deleteImage } from "../images/image-library";

const id = (raw: string) => {
  const r = guestIdSchema.safeParse(raw);
  if (!r.success) throw notFound("No such guest.");
  return r.data;
};
const snapshotId = (raw: string) => {
  const r = guestIdSchema.safeParse(raw);
  if (!r.success) throw notFound("No such snapshot of this guest.");
  return r.data;
};
/** Bodies are optional for some actions; a malformed one is still refused by the schema. */
const body = async (req: { text(): Promise<string> }): Promise<unknown> => {
  const text = await req.text();
  return text ? JSON.parse(text) : {};
};

/** Disk operations: reset, snapshots, clone, commit — and deleting images. Register before the generic action route. */
export function addDiskRoutes(app: Hono, disks: DiskService, db: Db): void {
  app.post("/api/guests/:id/reset", async (c) => c.json(await disks.reset(id(c.req.param("id")), await body(c.req))));
  app.post("/api/guests/:id/clone", async (c) =>
    c.json(await disks.clone(id(c.req.param("id")), await body(c.req)), 201),
  );
  app.post("/api/guests/:id/commit", async (c) =>
    c.json(await disks.commit(id(c.req.param("id")), await body(c.req)), 201),
  );
  app.get("/api/guests/:id/snapshots", async (c) => c.json(await disks.listSnapshots(id(c.req.param("id")))));
  app.post("/api/guests/:id/snapshots", async (c) =>
    c.json(await disks.takeSnapshot(id(c.req.param("id")), await body(c.req)), 201),
  );
  app.post("/api/guests/:id/snapshots/:sid/revert", async (c) =>
    c.json(await disks.revertSnapshot(id(c.req.param("id")), snapshotId(c.req.param("sid")))),
  );
  app.delete("/api/guests/:id/snapshots/:sid", async (c) => {
    await disks.deleteSnapshot(id(c.req.param("id")), snapshotId(c.req.param("sid")));
    return c.body(null, 204);
  });
  app.delete("/api/images/:id", async (c) => {
    await deleteImage(db, c.req.param("id"));
    return c.body(null, 204);
  });
}

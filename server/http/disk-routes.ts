import type { z } from "zod";
import { cloneGuestSchema, commitGuestSchema, resetGuestSchema, takeSnapshotSchema } from "../../lib/shared/protocol";
import { BODY_BOUNDS } from "../../lib/shared/protocol/limits";
import type { HttpDeps } from "./deps";
import { guestId, snapshotId } from "./params";
import { jsonBody, jsonUpTo } from "./request-body";
import type { RouteTable } from "./route-table";

const form = (schema: z.ZodType) => jsonUpTo(BODY_BOUNDS.form, schema);

/** A guest's disk: reset, snapshots, clone, commit. */
export function addDiskRoutes(routes: RouteTable, { disks }: HttpDeps): void {
  const id = (c: { req: { param(k: string): string | undefined } }) => guestId(c.req.param("id"));
  routes.add(
    "POST",
    "/api/guests/:id/reset",
    "guest.disk",
    async (c) => c.json(await disks.reset(id(c), await jsonBody(c))),
    { body: form(resetGuestSchema), audit: "guest.reset" },
  );
  routes.add(
    "POST",
    "/api/guests/:id/clone",
    "guest.disk",
    async (c) => c.json(await disks.clone(id(c), await jsonBody(c), c.get("actor")!), 201),
    { body: form(cloneGuestSchema), audit: "guest.clone" },
  );
  routes.add(
    "POST",
    "/api/guests/:id/commit",
    "guest.disk",
    async (c) => c.json(await disks.commit(id(c), await jsonBody(c), c.get("actor")!), 201),
    { body: form(commitGuestSchema), audit: "guest.commit" },
  );
  routes.add("GET", "/api/guests/:id/snapshots", "guest.read", async (c) => c.json(await disks.listSnapshots(id(c))));
  routes.add(
    "POST",
    "/api/guests/:id/snapshots",
    "guest.disk",
    async (c) => c.json(await disks.takeSnapshot(id(c), await jsonBody(c)), 201),
    { body: form(takeSnapshotSchema), audit: "guest.snapshot" },
  );
  routes.add(
    "POST",
    "/api/guests/:id/snapshots/:sid/revert",
    "guest.disk",
    async (c) => c.json(await disks.revertSnapshot(id(c), snapshotId(c.req.param("sid")))),
    { audit: "guest.snapshot-revert" },
  );
  routes.add(
    "DELETE",
    "/api/guests/:id/snapshots/:sid",
    "guest.disk",
    async (c) => {
      await disks.deleteSnapshot(id(c), snapshotId(c.req.param("sid")));
      return c.body(null, 204);
    },
    { audit: "guest.snapshot-delete" },
  );
}

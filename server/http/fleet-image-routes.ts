import fs from "node:fs";
import { Readable } from "node:stream";
import { z } from "zod";
import { imageCopyRequestSchema } from "../../lib/shared/protocol";
import { BODY_BOUNDS } from "../../lib/shared/protocol/limits";
import { conflict, invalid, notFound } from "../errors";
import { findHostCopy } from "../images/image-copies";
import { removeStrayImageFile } from "../images/image-file-removal";
import { imagesDir } from "../images/image-library";
import type { HttpDeps } from "./deps";
import { jsonBodyAndBytes, jsonUpTo } from "./request-body";
import type { RouteTable } from "./route-table";

/**
 * Images across the hosts of a fleet: an admin copies an image to a host (its daemon fetches
 * it from one that has it: images/image-copier.ts), and a daemon serves its own copy's file
 * to the other daemons — never to a person, whatever their role.
 */
export function addFleetImageRoutes(routes: RouteTable, { config, db, here, relay, copier }: HttpDeps): void {
  routes.add(
    "POST",
    "/api/images/:id/copies",
    "images.manage",
    async (c) => {
      const { body, bytes } = await jsonBodyAndBytes(c);
      const { hostId } = body as { hostId: string };
      if (hostId === here.id) return c.json((await copier.start(c.req.param("id")!)).event, 202);
      const host = await db.host.findUnique({ where: { id: hostId }, select: { name: true } });
      if (!host) throw invalid("Unknown host.", { hostId: "No host with this id; choose one from the Hosts page." });
      if (c.get("relayedFrom"))
        throw conflict(`Host ${here.name} was sent a copy meant for host ${host.name}; ask ${host.name} instead.`);
      // That host's daemon fetches it, with its own checks, and records it.
      return relay.passOn(c, hostId, bytes, { lead: `The image is to be copied to host ${host.name}` });
    },
    { body: jsonUpTo(BODY_BOUNDS.form, imageCopyRequestSchema), audit: "image.copy", relayable: true },
  );
  routes.add("GET", "/api/fleet/images/:id/file", "daemon", async (c) => {
    const id = c.req.param("id")!;
    const copy = /^[a-z0-9]{1,40}$/.test(id) ? await findHostCopy(db, id, here.name) : null;
    const handle = copy && (await fs.promises.open(copy.path, "r").catch(() => null));
    if (!handle) throw notFound(`Host ${here.name} has no copy of this image.`);
    const { size } = await handle.stat();
    return c.body(Readable.toWeb(handle.createReadStream()) as ReadableStream, 200, {
      "Content-Type": "application/octet-stream",
      "Content-Length": String(size),
      "Cache-Control": "no-store",
    });
  });
  routes.add(
    "DELETE",
    "/api/fleet/image-files",
    "daemon",
    async (c) => {
      const { path: file } = c.get("query") as { path: string };
      await removeStrayImageFile(db, here, imagesDir(config.dataDir), file);
      return c.body(null, 204);
    },
    { query: z.strictObject({ path: z.string().min(1).max(4096) }) },
  );
}

import fs from "node:fs";
import { Readable } from "node:stream";
import { listImages } from "../../lib/server/reads/images";
import type { z } from "zod";
import { debianBuildSchema, importImageSchema, uploadImageQuerySchema } from "../../lib/shared/protocol";
import { BODY_BOUNDS } from "../../lib/shared/protocol/limits";
import type { HttpDeps } from "./deps";
import { jsonBody, jsonUpTo, streamUpTo } from "./request-body";
import type { RouteTable } from "./route-table";
import { deleteImage } from "../images/image-library";
import { removeFilesElsewhere } from "../images/image-file-removal";

const form = (schema: z.ZodType) => jsonUpTo(BODY_BOUNDS.form, schema);

/** The image library: list, import, upload, delete, and Debian image builds with their logs. */
export function addImageRoutes(routes: RouteTable, { config, db, importer, builds, here, fleet }: HttpDeps): void {
  routes.add("GET", "/api/images", "host.read", async (c) => c.json(await listImages(db, c.get("actor")!)));
  routes.add(
    "POST",
    "/api/images/import",
    "images.manage",
    async (c) => c.json(await importer.importFromPath(await jsonBody(c)), 201),
    { body: form(importImageSchema), audit: "image.import" },
  );
  routes.add(
    "POST",
    "/api/images/upload",
    "images.manage",
    async (c) => {
      const length = c.req.header("content-length");
      const image = await importer.importUpload(c.req.query(), c.req.raw.body, length ? Number(length) : null);
      return c.json(image, 201);
    },
    // The importer streams the file to disk and stops at the same bound as it arrives.
    {
      body: streamUpTo(config.uploadMaxBytes, "CORRAL_UPLOAD_MAX_MIB"),
      query: uploadImageQuerySchema,
      audit: "image.upload",
    },
  );
  routes.add(
    "POST",
    "/api/images/debian",
    "images.manage",
    async (c) => c.json((await builds.start(await jsonBody(c))).view, 202),
    { body: form(debianBuildSchema), audit: "image.build" },
  );
  routes.add("GET", "/api/images/builds", "images.builds", (c) => c.json(builds.list()));
  routes.add("GET", "/api/images/builds/:id", "images.builds", (c) => c.json(builds.get(c.req.param("id")!)));
  routes.add("GET", "/api/images/builds/:id/log", "images.builds", async (c) => {
    c.header("Cache-Control", "no-store");
    const text = { "Content-Type": "text/plain; charset=utf-8" };
    // Opened before answering: a log not written yet reads as empty, and it is streamed as
    // it grows, never read whole.
    const handle = await fs.promises.open(builds.logPath(c.req.param("id")!), "r").catch(() => null);
    if (!handle) return c.body("", 200, text);
    return c.body(Readable.toWeb(handle.createReadStream()) as ReadableStream, 200, text);
  });
  routes.add(
    "POST",
    "/api/images/builds/:id/cancel",
    "images.manage",
    (c) => c.json(builds.cancel(c.req.param("id")!), 202),
    { audit: "image.build-cancel" },
  );
  routes.add(
    "DELETE",
    "/api/images/:id",
    "images.delete",
    async (c) => {
      await deleteImage(db, c.req.param("id")!, c.get("actor")!, here, (copies) =>
        removeFilesElsewhere(db, fleet, copies),
      );
      return c.body(null, 204);
    },
    { audit: "image.delete" },
  );
}

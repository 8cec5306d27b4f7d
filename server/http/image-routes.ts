import fs from "node:fs";
import { Readable } from "node:stream";
import type { HttpDeps } from "./app";
import { jsonBody } from "./json-body";
import type { RouteTable } from "./route-table";

/** Importing and uploading images, and Debian image builds with their logs. */
export function addImageRoutes(routes: RouteTable, { importer, builds }: HttpDeps): void {
  routes.add(
    "POST",
    "/api/images/import",
    "images.manage",
    async (c) => c.json(await importer.importFromPath(await jsonBody(c)), 201),
    () => "image.import",
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
    () => "image.upload",
  );
  routes.add(
    "POST",
    "/api/images/debian",
    "images.manage",
    async (c) => c.json((await builds.start(await jsonBody(c))).view, 202),
    () => "image.build",
  );
  routes.add("GET", "/api/images/builds", "images.manage", (c) => c.json(builds.list()));
  routes.add("GET", "/api/images/builds/:id", "images.manage", (c) => c.json(builds.get(c.req.param("id")!)));
  routes.add("GET", "/api/images/builds/:id/log", "images.manage", (c) => {
    const file = builds.logPath(c.req.param("id")!);
    c.header("Cache-Control", "no-store");
    if (!fs.existsSync(file)) return c.body("", 200, { "Content-Type": "text/plain; charset=utf-8" });
    const stream = Readable.toWeb(fs.createReadStream(file)) as ReadableStream;
    return c.body(stream, 200, { "Content-Type": "text/plain; charset=utf-8" });
  });
  routes.add(
    "POST",
    "/api/images/builds/:id/cancel",
    "images.manage",
    (c) => c.json(builds.cancel(c.req.param("id")!), 202),
    () => "image.build-cancel",
  );
}

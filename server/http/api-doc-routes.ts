import fs from "node:fs";
import path from "node:path";
import type { HttpDeps } from "./deps";
import { OPENAPI_PATH, openApiDocument } from "./openapi";
import type { RouteTable } from "./route-table";

/** The API document, built once from the finished route table (this route included). */
export function addApiDocRoutes(routes: RouteTable, { config }: HttpDeps): void {
  let document: Promise<object> | null = null;
  routes.add("GET", OPENAPI_PATH, "public", async (c) => {
    document ??= fs.promises
      .readFile(path.join(config.projectRoot, "package.json"), "utf8")
      .then((text) => openApiDocument(routes.specs, String(JSON.parse(text).version)))
      .catch((err) => {
        document = null; // tried again at the next request
        throw err;
      });
    return c.json(await document);
  });
}

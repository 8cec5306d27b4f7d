import { Hono } from "hono";
import type { AuditLog } from "../audit/audit-log";
import type { UserService } from "../auth/user-service";
import type { Config } from "../config";
import type { ConsoleHub } from "../consoles/console-hub";
import type { Db } from "../db";
import type { DiskService } from "../disks/disk-service";
import type { EventBus } from "../events";
import type { GuestService } from "../guests/guest-service";
import type { GuestCatalog } from "../guests/guest-catalog";
import type { ImageBuilds } from "../images/image-builds";
import type { ImageImporter } from "../images/image-import";
import { addDiskRoutes } from "./disk-routes";
import { errorResponse } from "./errors";
import { addGuestRoutes } from "./guest-routes";
import { addImageRoutes } from "./image-routes";
import { addDiagnosticRoutes } from "./diagnostic-routes";
import { addPeopleRoutes } from "./people-routes";
import { closeAfterUnreadBody } from "./request-body";
import { originCheck, sessionContext, type AppEnv } from "./request-context";
import { RouteTable, type RouteSpec } from "./route-table";

export interface HttpDeps {
  config: Config;
  db: Db;
  guests: GuestService;
  catalog: GuestCatalog;
  disks: DiskService;
  consoles: ConsoleHub;
  users: UserService;
  audit: AuditLog;
  bus: EventBus;
  kernelVersion: string;
  importer: ImageImporter;
  builds: ImageBuilds;
  /** Proves a request came through Corral's web server (relay-secret.ts). */
  relaySecret: string;
}

/** The daemon's JSON API: sessions, CSRF, permissions, validation and status codes. */
export function createHttpApp(deps: HttpDeps): { app: Hono<AppEnv>; routes: RouteSpec[] } {
  const app = new Hono<AppEnv>();
  app.onError(errorResponse);
  app.notFound((c) =>
    c.json({ error: { code: "not-found", message: `No API route ${c.req.method} ${c.req.path.slice(0, 200)}.` } }, 404),
  );
  app.use("*", closeAfterUnreadBody());
  app.get("/api/health", (c) => c.json({ ok: true }));
  app.use("/api/*", originCheck(deps.config), sessionContext(deps.db, deps.relaySecret));

  const routes = new RouteTable(app, deps.db, deps.audit);
  addPeopleRoutes(routes, deps);
  addDiskRoutes(routes, deps);
  addImageRoutes(routes, deps);
  addGuestRoutes(routes, deps);
  addDiagnosticRoutes(routes);
  return { app, routes: routes.specs };
}

import { Hono } from "hono";
import { addApiDocRoutes } from "./api-doc-routes";
import { addBootRoutes } from "./boot-routes";
import type { HttpDeps } from "./deps";
import { addDiskRoutes } from "./disk-routes";
import { addHostRoutes } from "./host-routes";
import { addMigrationRoutes } from "./migration-routes";
import { errorResponse } from "./errors";
import { addGuestRoutes } from "./guest-routes";
import { addImageRoutes } from "./image-routes";
import { addFleetImageRoutes } from "./fleet-image-routes";
import { addDiagnosticRoutes } from "./diagnostic-routes";
import { addPeopleRoutes } from "./people-routes";
import { addTokenRoutes } from "./token-routes";
import { closeAfterUnreadBody } from "./request-body";
import { originCheck, sessionContext, type AppEnv } from "./request-context";
import { RouteTable, type RouteSpec } from "./route-table";

/** The daemon's JSON API: sessions, CSRF, permissions, validation and status codes. */
export type { HttpDeps } from "./deps";

export function createHttpApp(deps: HttpDeps): { app: Hono<AppEnv>; routes: RouteSpec[] } {
  const app = new Hono<AppEnv>();
  app.onError(errorResponse);
  app.notFound((c) =>
    c.json({ error: { code: "not-found", message: `No API route ${c.req.method} ${c.req.path.slice(0, 200)}.` } }, 404),
  );
  app.use("*", closeAfterUnreadBody());
  app.get("/api/health", (c) => c.json({ ok: true }));
  app.use("/api/*", originCheck(deps.config), sessionContext(deps.db, deps.tokens, deps.relaySecret, deps.fleet));

  const routes = new RouteTable(
    app,
    deps.db,
    deps.audit,
    () => deps.here,
    () => deps.relay,
  );
  addPeopleRoutes(routes, deps);
  addTokenRoutes(routes, deps);
  addDiskRoutes(routes, deps);
  addImageRoutes(routes, deps);
  addFleetImageRoutes(routes, deps);
  addGuestRoutes(routes, deps);
  addBootRoutes(routes, deps);
  addHostRoutes(routes, deps);
  addMigrationRoutes(routes, deps);
  addDiagnosticRoutes(routes);
  addApiDocRoutes(routes, deps);
  return { app, routes: routes.specs };
}

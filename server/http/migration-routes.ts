import { Readable } from "node:stream";
import { hostIdSchema, migrateGuestSchema, type MigrateGuestInput } from "../../lib/shared/protocol";
import { BODY_BOUNDS } from "../../lib/shared/protocol/limits";
import { conflict, notFound } from "../errors";
import { evacuateHost } from "../hosts/evacuation";
import { fleetActorOf } from "../hosts/fleet-actor";
import { manifestSchema, type Manifest } from "../hosts/guest-files";
import type { HttpDeps } from "./deps";
import { guestId } from "./params";
import { jsonBody, jsonUpTo } from "./request-body";
import type { RouteTable } from "./route-table";

/** A manifest names every file of a guest (one per boot log): daemon to daemon, never through the web. */
const MANIFEST_MAX_BYTES = 4 * 2 ** 20;

/**
 * Moving a stopped guest to another host, emptying a host in maintenance, and the routes
 * only daemons use between them to move a guest's files (hosts/guest-migration.ts).
 */
export function addMigrationRoutes(routes: RouteTable, { db, here, relay, migrations, audit }: HttpDeps): void {
  routes.add(
    "POST",
    "/api/guests/:id/migrate",
    "guest.migrate",
    async (c) => {
      const { hostId } = (await jsonBody(c)) as MigrateGuestInput;
      const target = await db.host.findUnique({ where: { id: hostId }, select: { name: true } });
      c.set("auditDetail", `${here.name} → ${target?.name ?? hostId}`);
      const actor = fleetActorOf(c.get("actor")!, c.get("meta").ip);
      return c.json(await migrations.migrate(guestId(c.req.param("id")), hostId, actor));
    },
    { body: jsonUpTo(BODY_BOUNDS.form, migrateGuestSchema), audit: "guest.migrate", long: true },
  );

  // The host's own daemon moves its guests: a request made elsewhere goes there.
  routes.add(
    "POST",
    "/api/hosts/:id/evacuate",
    "hosts.manage",
    async (c) => {
      const id = hostIdSchema.safeParse(c.req.param("id"));
      const host =
        id.success && (await db.host.findUnique({ where: { id: id.data }, select: { id: true, name: true } }));
      if (!host) throw notFound("No such host in the fleet; the Hosts page lists them.");
      if (host.id !== here.id) {
        if (c.get("relayedFrom"))
          throw conflict(`Host ${here.name} was asked to evacuate host ${host.name}; ask ${host.name}.`);
        return relay.passOn(c, host.id, undefined, {
          held: true,
          lead: `Evacuating host ${host.name} is that host's daemon's work`,
        });
      }
      const result = await evacuateHost({ db, here, migrations, audit }, c.get("actor")!, c.get("meta").ip);
      const count = (o: string) => result.guests.filter((g) => g.outcome === o).length;
      c.set("auditDetail", `moved ${count("moved")}, stay ${count("stays")}, failed ${count("failed")}`);
      return c.json(result);
    },
    { audit: "host.evacuate", long: true },
  );

  routes.add("GET", "/api/fleet/guests/:id/files", "fleet", async (c) => {
    const files = migrations.serveFiles(guestId(c.req.param("id")), c.get("relayedFrom")!);
    return new Response(Readable.toWeb(files) as ReadableStream, { headers: { "content-type": "application/x-tar" } });
  });
  routes.add(
    "POST",
    "/api/fleet/guests/:id/receive",
    "fleet",
    async (c) => {
      const manifest = (await jsonBody(c)) as Manifest;
      const actor = fleetActorOf(c.get("actor")!, c.get("meta").ip);
      const id = guestId(c.req.param("id"));
      return c.json(await migrations.receive(id, c.get("relayedFrom")!, actor, manifest));
    },
    { body: jsonUpTo(MANIFEST_MAX_BYTES, manifestSchema), audit: "guest.receive", long: true },
  );
  routes.add("DELETE", "/api/fleet/guests/:id/files", "fleet", async (c) =>
    c.json({ removed: await migrations.discardReceived(guestId(c.req.param("id"))) }),
  );
}

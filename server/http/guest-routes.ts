import {
  bulkRequestSchema,
  createGuestSchema,
  editGuestSchema,
  guestListQuerySchema,
  POWER_ACTIONS,
  TOTAL_HEADER,
  type GuestListQuery,
} from "../../lib/shared/protocol";
import { BODY_BOUNDS } from "../../lib/shared/protocol/limits";
import type { z } from "zod";
import { runBulk } from "../guests/guest-bulk";
import { findGuestPlace } from "../hosts/guest-host";
import { placeGuest } from "../hosts/placement";
import type { HttpDeps } from "./deps";
import { guestId } from "./params";
import { jsonBody, jsonBodyAndBytes, jsonUpTo } from "./request-body";
import type { RouteTable } from "./route-table";

/** Guests as records and their lifecycle: list, create, edit, delete, start, stop, reboot, and bulk actions. */
export function addGuestRoutes(routes: RouteTable, deps: HttpDeps): void {
  const { guests, catalog, consoles, db, audit, here, relay } = deps;
  routes.add(
    "GET",
    "/api/guests",
    "guests.list",
    async (c) => {
      const page = await catalog.query(c.get("actor")!, c.get("query") as GuestListQuery);
      c.header(TOTAL_HEADER, String(page.total));
      return c.json(page.guests);
    },
    { query: guestListQuerySchema },
  );
  // Each guest is authorized and audited on its own, as by its own route (guest-bulk.ts).
  routes.add(
    "POST",
    "/api/guests/bulk",
    "guests.bulk",
    async (c) =>
      c.json(
        await runBulk(
          { db, guests, catalog, audit, here, relay, relayed: !!c.get("relayedFrom") },
          c.get("actor")!,
          c.get("meta"),
          await jsonBody(c),
        ),
      ),
    { body: jsonUpTo(BODY_BOUNDS.bulk, bulkRequestSchema) },
  );
  routes.add(
    "POST",
    "/api/guests",
    "guest.create",
    async (c) => {
      const { body, bytes } = await jsonBodyAndBytes(c);
      const input = body as z.output<typeof createGuestSchema>;
      const actor = c.get("actor")!;
      const host = await placeGuest(db, here, actor, input, { relayed: !!c.get("relayedFrom"), fleet: relay.enabled });
      // Another host's daemon creates it, with its own checks, and records it.
      if (host.id !== here.id) return relay.passOn(c, host.id, bytes, { placing: true });
      const guest = await catalog.create(body, actor);
      c.set("auditTarget", guest.id);
      return c.json(guest, 201);
    },
    { body: jsonUpTo(BODY_BOUNDS.guest, createGuestSchema), audit: "guest.create" },
  );
  routes.add("GET", "/api/guests/:id", "guest.read", async (c) =>
    c.json(await catalog.get(guestId(c.req.param("id")))),
  );
  routes.add(
    "PATCH",
    "/api/guests/:id",
    "guest.edit",
    async (c) => c.json(await catalog.edit(guestId(c.req.param("id")), await jsonBody(c))),
    { body: jsonUpTo(BODY_BOUNDS.guest, editGuestSchema), audit: "guest.edit" },
  );
  routes.add(
    "DELETE",
    "/api/guests/:id",
    "guest.delete",
    async (c) => {
      await catalog.remove(guestId(c.req.param("id")));
      return c.body(null, 204);
    },
    { audit: "guest.delete" },
  );
  routes.add(
    "POST",
    "/api/guests/:id/:action{start|stop|force-off|reboot}",
    "guest.control",
    async (c) => {
      const action = POWER_ACTIONS.find((a) => a === c.req.param("action"))!;
      return c.json(await guests.act(guestId(c.req.param("id")), action, c.get("guest")), 202);
    },
    {
      audit: (c) => `guest.${c.req.param("action")}`,
      // A start's one read of the guest: the authorization's (guest-lifecycle.ts start()).
      readGuest: (c, id) => (c.req.param("action") === "start" ? guests.readForStart(id) : findGuestPlace(db, id)),
    },
  );
  routes.add(
    "GET",
    "/api/guests/:id/console",
    "guest.read",
    async (c) => {
      const id = guestId(c.req.param("id"));
      return c.json(consoles.peek(id)?.stats() ?? null);
    },
    { onHost: true },
  );
}
